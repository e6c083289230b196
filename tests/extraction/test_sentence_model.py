"""The learned sentence model of check-worthiness (claims/extraction/sentence_model.py)."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import numpy as np
import pytest

from claims.extraction import extract, pipeline, sentence_model

CARD = Path(sentence_model.__file__).with_name("MODEL_CARD.md")


def test_the_shipped_weights_are_the_ones_the_model_card_names():
    digest = hashlib.sha256(sentence_model.WEIGHTS_PATH.read_bytes()).hexdigest()
    assert digest in CARD.read_text(encoding="utf-8")
    assert sentence_model.WEIGHTS_PATH.stat().st_size < 30_000_000


def test_it_loads_once_and_holds_one_vector_per_token():
    model = sentence_model.loaded()
    assert model is sentence_model.loaded()
    assert model.table.shape == (model.tokenizer.get_vocab_size(), 384)
    assert np.isfinite(model.table).all() and np.isfinite(model.coef).all()


def test_a_checkable_statement_scores_above_small_talk():
    claims = [
        "Unemployment fell to 3.5 percent last year, the lowest rate in fifty years.",
        "We have cut taxes for 95 percent of working families.",
        "The ministry said 40 soldiers were killed in the attack on Tuesday.",
    ]
    talk = [
        "Thank you all so much for coming tonight.",
        "I want to say how happy I am to be here with you.",
        "Good evening and welcome.",
    ]
    scores = sentence_model.logits(claims + talk)
    assert scores[:3].min() > scores[3:].max()
    assert (scores[:3] > 0).all() and (scores[3:] < 0).all()


def test_a_batch_scores_each_sentence_as_it_would_alone():
    sentences = ["Prices rose 8 percent.", "", "Hello.", "The deficit doubled since 2016 " * 40]
    together = sentence_model.logits(sentences)
    alone = np.array([sentence_model.logits([s])[0] for s in sentences])
    np.testing.assert_allclose(together, alone, rtol=1e-5, atol=1e-5)
    vectors = sentence_model.loaded().vectors(sentences)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, rtol=1e-5)


def test_the_logit_is_the_head_over_the_normalised_mean_token_vector():
    model = sentence_model.loaded()
    text = "Crime in the city went up by a third."
    ids = model.tokenizer.encode(text).ids[1:-1]
    mean = model.table[ids].mean(0)
    expected = mean @ model.coef / np.linalg.norm(mean) + model.bias
    assert model.logits([text])[0] == pytest.approx(expected, rel=1e-5)


def test_the_extractor_uses_it_and_falls_back_to_the_word_model_without_it(monkeypatch):
    text = (
        "The ministry said 40 soldiers were killed on Tuesday. Thank you for reading. "
        "Unemployment fell to 3.5 percent last year."
    )
    learned = extract(text)
    assert learned and all(re.search(r"\d", c.text) for c in learned)
    calls = []
    real = pipeline.combine

    def spy(word, model_logit):
        calls.append(model_logit)
        return real(word, model_logit)

    monkeypatch.setattr(pipeline, "combine", spy)
    extract(text)
    assert calls and all(c is not None for c in calls)
    calls.clear()
    monkeypatch.setattr(sentence_model, "loaded", lambda: None)
    words_only = extract(text)
    assert calls and all(c is None for c in calls)
    assert [c.text for c in words_only]  # the rules and the word model still find claims
