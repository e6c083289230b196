"""The learned attribution head: a sentence that reports what someone wants, expects or
found, with no speech verb the rules know, is typed attribution; its score is unchanged;
a leading pronoun takes the last fitting named source, as "he said" does."""

from __future__ import annotations

from claims.extraction import rank, sentence_model
from claims.extraction.scoring import WEIGHTS

ARTICLE = (
    "Governor Tom Baker, a Republican, spoke at the convention in Ohio on Monday night to a "
    "crowd of supporters.\n"
    "He wants to cut taxes for the middle class by 20 percent.\n"
    "He expects unemployment to fall below 4 percent next year.\n"
)


def test_the_shipped_model_has_an_attribution_head():
    model = sentence_model.loaded()
    assert model.attribution is not None
    coef, _, threshold = model.attribution
    assert coef.shape == (384,) and threshold >= 0


def test_reported_positions_are_attributions_with_the_source_a_pronoun_points_to():
    judged = {r.text.strip(): r for r in rank(ARTICLE)}
    wants = judged["He wants to cut taxes for the middle class by 20 percent."]
    expects = judged["He expects unemployment to fall below 4 percent next year."]
    for sentence in (wants, expects):
        assert sentence.claim
        assert {"quantity", "attribution"} <= set(sentence.types)
        assert "attribution_learned" in sentence.cues
        assert sentence.speaker == "Tom Baker"


def test_the_head_types_a_sentence_but_never_raises_its_score(monkeypatch):
    text = "Twelve percent of voters indicated they were not sure who to support."
    [with_head] = rank(text)
    assert "attribution" in with_head.types
    assert "attribution_learned" not in WEIGHTS
    model = sentence_model.loaded()
    monkeypatch.setattr(model, "attribution", None)
    [without] = rank(text)
    assert "attribution" not in without.types
    assert without.score == with_head.score
