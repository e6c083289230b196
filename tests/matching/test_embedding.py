"""all-MiniLM-L6-v2 in numpy against sentence-transformers (bench/minilm_reference.py)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from claims.matching.embedding import DIMENSIONS, Encoder, encoder

REFERENCE = json.loads(Path(__file__).with_name("reference_vectors.json").read_text())


def base() -> Encoder:
    return Encoder(overlay=None)


def test_the_numpy_forward_pass_gives_sentence_transformers_vectors():
    got = base().encode(REFERENCE["sentences"])
    want = np.array(REFERENCE["vectors"], dtype=np.float32)
    assert got.shape == (len(want), DIMENSIONS)
    cosines = (got * want).sum(1)
    assert cosines.min() > 0.9999, cosines


def test_vectors_are_unit_length_and_batching_changes_nothing():
    model = base()
    texts = REFERENCE["sentences"]
    together = model.encode(texts)
    alone = np.vstack([model.encode([t]) for t in texts])
    assert np.allclose(np.linalg.norm(together, axis=1), 1.0, atol=1e-5)
    assert np.allclose(together, alone, atol=1e-5)


def test_a_paraphrase_is_nearer_than_an_unrelated_claim():
    a, b, c = encoder().encode(
        [
            "joblessness dropped to 3.5 percent",
            "the unemployment rate fell to 3.5%",
            "Police arrested 350 protesters in Minsk on Sunday night.",
        ]
    )
    assert a @ b > 0.6
    assert a @ b > a @ c + 0.3


def test_the_shipped_overlay_is_loaded_and_changes_only_the_top_layers():
    from safetensors.numpy import load_file

    from claims.matching.embedding import OVERLAY

    tuned = encoder()
    assert tuned.overlay == OVERLAY
    names = set(load_file(str(OVERLAY)))
    tuned_layers = tuple(f"encoder.layer.{i}." for i in (2, 3, 4, 5))
    assert names and all(n.startswith(tuned_layers) for n in names)
    assert np.array_equal(tuned.word, base().word)
