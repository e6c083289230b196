"""Train the check-worthiness model and write its weights to claims/extraction/.

    .venv/bin/python bench/train_checkworthiness.py [--data ../shared/data] [--check]

Data (see ../shared/data/README.md):

* ClaimBuster two-class union (label 1 = check-worthy factual claim), minus every id of
  ``test.json`` and every sentence whose normalised text occurs in a held-out set;
* CLEF-2019 CheckThat! task 1 training files from 2016 (label 1 = selected for checking).

Held out, never trained on, used by bench/quality.py: ClaimBuster ``test.json`` and the
CheckThat! files from 2017, 2018 and 2019. Overlap between the corpora (same debates) is
removed by normalised text, so no held-out sentence is seen in training.

The model is a logistic regression over binary word features (the tokenisation of
``claims.extraction.model.features``: lower-cased words, digit runs as ``<d>``), with the
regularisation chosen by 5-fold cross-validation on the training set. Word pairs were tried
and dropped: they added nothing on the held-out sets (see claims/extraction/model.py) and
doubled the inference time. Words seen fewer than twice are dropped, and so are weights below
0.001 in size, which keeps the JSON small. Same data, same code, same weights: the fit is
deterministic (liblinear, fixed folds).

``--check`` retrains and fails if the committed weights differ from what the data gives.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from claims.extraction import model  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data"
MIN_WEIGHT = 0.001
C_GRID = (0.03, 0.1, 0.3, 1.0)
HELD_OUT_CHECKTHAT_YEARS = ("2017", "2018", "2019")


@dataclass(frozen=True, slots=True)
class Example:
    text: str
    label: int
    source: str


def normalise(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def load_claimbuster(data: Path) -> tuple[list[Example], list[Example]]:
    """(union rows, test.json rows)."""
    folder = data / "claimbuster"
    csv.field_size_limit(1 << 30)
    with (folder / "claimbuster_two_class_union.tsv").open(encoding="utf-8", newline="") as fh:
        union = [
            (row["sentence_id"], Example(row["text"], int(row["label"]), "claimbuster"))
            for row in csv.DictReader(fh, delimiter="\t")
        ]
    test_rows = json.loads((folder / "test.json").read_text(encoding="utf-8"))
    test_ids = {str(r["sentence_id"]) for r in test_rows}
    test = [Example(r["text"], int(r["label"]), "claimbuster-test") for r in test_rows]
    return [ex for sid, ex in union if sid not in test_ids], test


def load_checkthat(data: Path) -> dict[str, list[Example]]:
    """Rows of each CheckThat! file, by file stem; SYSTEM lines (applause) dropped."""
    out: dict[str, list[Example]] = {}
    for path in sorted((data / "checkthat2019-train").glob("*.tsv")):
        rows: list[Example] = []
        with path.open(encoding="utf-8", newline="") as fh:
            for line in csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
                if len(line) < 4 or line[1] == "SYSTEM":
                    continue
                rows.append(Example(line[2], int(line[3]), path.stem))
        out[path.stem] = rows
    return out


@dataclass(slots=True)
class Splits:
    train: list[Example]
    claimbuster_test: list[Example]
    checkthat_heldout: list[Example]


def load_splits(data: Path) -> Splits:
    cb_train, cb_test = load_claimbuster(data)
    ct = load_checkthat(data)
    ct_heldout = [
        ex for stem, rows in ct.items() if stem.startswith(HELD_OUT_CHECKTHAT_YEARS) for ex in rows
    ]
    ct_train = [
        ex
        for stem, rows in ct.items()
        if not stem.startswith(HELD_OUT_CHECKTHAT_YEARS)
        for ex in rows
    ]
    held = {normalise(ex.text) for ex in cb_test} | {normalise(ex.text) for ex in ct_heldout}
    train: dict[str, Example] = {}
    for ex in [*cb_train, *ct_train]:
        key = normalise(ex.text)
        if not key or key in held:
            continue
        seen = train.get(key)
        # Duplicates across corpora: keep a positive label if any annotator gave one.
        if seen is None or ex.label > seen.label:
            train[key] = ex
    return Splits(list(train.values()), cb_test, ct_heldout)


def _analyzer(text: str) -> list[str]:
    return sorted(model.features(text))


def train(examples: list[Example]) -> tuple[float, dict[str, float], dict[str, object]]:
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_score

    vectorizer = CountVectorizer(analyzer=_analyzer, binary=True, min_df=2)
    x = vectorizer.fit_transform([ex.text for ex in examples])
    y = [ex.label for ex in examples]

    def make(c: float) -> LogisticRegression:
        return LogisticRegression(C=c, class_weight="balanced", solver="liblinear", max_iter=1000)

    # Regularisation chosen by cross-validation on the training set only (average precision).
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
    cv = {
        c: float(cross_val_score(make(c), x, y, cv=folds, scoring="average_precision").mean())
        for c in C_GRID
    }
    best_c = max(C_GRID, key=lambda c: (round(cv[c], 4), -c))
    for c in C_GRID:
        chosen = "  <- chosen" if c == best_c else ""
        print(f"  C={c:<5} 5-fold CV average precision {cv[c]:.4f}{chosen}")
    clf = make(best_c)
    clf.fit(x, y)
    names = vectorizer.get_feature_names_out()
    coefs = clf.coef_[0]
    order = [i for i in range(len(names)) if abs(coefs[i]) >= MIN_WEIGHT]
    weights = {
        str(names[i]): round(float(coefs[i]), 4) for i in sorted(order, key=lambda i: names[i])
    }
    info = {
        "examples": len(examples),
        "positives": sum(y),
        "features_fitted": len(names),
        "features_kept": len(weights),
        "C": best_c,
        "class_weight": "balanced",
    }
    return round(float(clf.intercept_[0]), 4), weights, info


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--check", action="store_true", help="fail if committed weights differ")
    args = parser.parse_args()
    if not (args.data / "claimbuster").is_dir():
        print(f"No training data at {args.data} (expected ../shared/data); nothing to do.")
        return 2
    splits = load_splits(args.data)
    intercept, weights, info = train(splits.train)
    import sklearn

    payload = {
        "about": "Check-worthiness logistic regression; see bench/train_checkworthiness.py",
        "trained_on": (
            "ClaimBuster union minus test.json; CheckThat! 2019 training files from 2016; "
            "held-out texts removed"
        ),
        "held_out": "ClaimBuster test.json; CheckThat! 2019 files 2017-2019",
        "sklearn": sklearn.__version__,
        **info,
        "intercept": intercept,
        "weights": weights,
    }
    text = json.dumps(payload, indent=0, sort_keys=True, ensure_ascii=False) + "\n"
    if args.check:
        current = (
            model.WEIGHTS_PATH.read_text(encoding="utf-8") if model.WEIGHTS_PATH.exists() else ""
        )
        if current != text:
            print("Committed weights differ from a fresh training run.")
            return 1
        print("Committed weights reproduce.")
        return 0
    model.WEIGHTS_PATH.write_text(text, encoding="utf-8")
    print(
        f"Trained on {info['examples']} sentences ({info['positives']} positive); "
        f"kept {info['features_kept']} of {info['features_fitted']} features; "
        f"wrote {model.WEIGHTS_PATH.relative_to(ROOT)} ({len(text.encode()) // 1024} KB)."
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
