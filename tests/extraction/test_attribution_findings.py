"""Attribution as a property of a claim: findings reported with "shows that", "found that"
carry the attribution type beside the claim's other types, with their source as speaker."""

from __future__ import annotations

import pytest

from claims.extraction import rank


def judged(text: str):
    [sentence] = rank(text)
    return sentence


@pytest.mark.parametrize(
    ("text", "types", "speaker"),
    [
        (
            "A Bloomberg poll shows that 60 percent of voters oppose the deal.",
            {"quantity", "attribution"},
            "Bloomberg poll",
        ),
        (
            "A UN report found that 40 civilians were killed in the strikes.",
            {"casualty", "attribution"},
            "UN report",
        ),
        (
            "The health ministry said 40 soldiers were killed.",
            {"casualty", "attribution"},
            "health ministry",
        ),
    ],
)
def test_a_reported_finding_is_an_attribution_beside_its_other_types(text, types, speaker):
    sentence = judged(text)
    assert sentence.claim
    assert types <= set(sentence.types)
    assert sentence.speaker == speaker


@pytest.mark.parametrize(
    "text",
    [
        "Police found the body of a 40-year-old man on Tuesday.",
        "The video shows a crowd of 5,000 people outside parliament.",
    ],
)
def test_found_and_shows_with_a_plain_object_are_not_speech(text):
    sentence = judged(text)
    assert "attribution" not in sentence.types and sentence.speaker is None
