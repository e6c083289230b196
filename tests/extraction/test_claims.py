"""Which sentences are claims, of which types, with what score, cues and reason."""

from __future__ import annotations

import json

import pytest

from claims.extraction import ExtractedClaim, extract
from tests.extraction.conftest import claim_with, only_claim


def is_claim(text: str) -> bool:
    return bool(extract(text))


@pytest.mark.parametrize(
    "text",
    [
        # The author's analysis and opinion.
        "After a dangerous China-India border clash last month, this is further confirmation "
        "that the COVID-19 pandemic has intensified geo-political conflicts all over the world.",
        "Clearly, the government has failed the people of this region.",
        "We believe the ceasefire is the only way forward.",
        # Speculation.
        "A missile attack on this plant would inevitably lead to a horrific nuclear disaster "
        "affecting the entire region.",
        "Such a war could easily erupt into a conflict between Russia and Turkey.",
        "Escalation might provoke a broader conflict including Russia and NATO.",
        # Questions.
        "Will the ceasefire hold?",
    ],
)
def test_opinion_speculation_and_questions_are_not_claims(text: str) -> None:
    assert not is_claim(text)


@pytest.mark.parametrize(
    "text",
    [
        "To contact the WSWP and the\nSocialist Equality Party visit:",
        "[wsws.org/contact](https://www.wsws.org/contact)",
        "https://www.example.org/news/2020/07/18/border-clashes-kill-12",
        "Click here to read more about the 12 soldiers killed.",
        "Subscribe to our newsletter for daily updates.",
        "Copyright 2020 Example News. All rights reserved.",
        "Read the rest here.",
        "Join the protest against the war on Saturday!",
        "Photo: 12 soldiers at the border on Tuesday.",
    ],
)
def test_boilerplate_links_and_calls_to_action_are_not_claims(text: str) -> None:
    assert not is_claim("Some text comes first here.\n\n" + text)


def test_headlines_are_not_claims_even_with_figures() -> None:
    text = "Clashes kill 12 soldiers on the border\n\nThe army said 12 soldiers were killed."
    claims = extract(text)
    assert [c.text for c in claims] == ["The army said 12 soldiers were killed."]


def test_sample_title_byline_and_date_are_not_claims(
    sample_text: str, sample_claims: list[ExtractedClaim]
) -> None:
    body = sample_text.index("Armed clashes involving tanks")
    assert all(c.start >= body for c in sample_claims)
    texts = [c.text for c in sample_claims]
    assert "Ulas Atesci" not in texts
    assert "18 July 2020" not in texts


def test_sample_contact_lines_are_not_claims(sample_claims: list[ExtractedClaim]) -> None:
    assert not [c for c in sample_claims if "contact" in c.text or "wsws.org" in c.text]


def test_sample_analysis_and_speculation_are_not_claims(
    sample_claims: list[ExtractedClaim],
) -> None:
    for fragment in (
        "this is further confirmation",
        "would inevitably lead to a horrific nuclear disaster",
        "Such a war that could easily erupt",
        "constitute a warning that escalation",
    ):
        assert not [c for c in sample_claims if fragment in c.text], fragment


def test_sample_factual_sentences_are_claims(sample_claims: list[ExtractedClaim]) -> None:
    for fragment in (
        "At least 12 soldiers",
        "334 deaths",
        "Kerim Veliyev claimed",
        "about 35 kilometers",
        "At 4:00 a.m. local time",
        "declared independence in 1991",
        "some 30,000 lives",
        "two military bases",
        "Dmitry Peskov said Tuesday",
        "Sergei Shoigu said",
    ):
        assert claim_with(sample_claims, fragment).score >= 0.5


def test_sample_claim_count_is_stable(sample_claims: list[ExtractedClaim]) -> None:
    # 46 sentences of prose; the opinion, speculation and vague ones are left out.
    assert 30 <= len(sample_claims) <= 40


def test_types_are_in_canonical_order_and_known() -> None:
    claim = only_claim(
        "According to AP, the army said “12 soldiers were killed” and 300 were wounded "
        "on Tuesday, July 14, 2020."
    )
    order = ["casualty", "quantity", "quote", "attribution", "event"]
    assert claim.types == sorted(claim.types, key=order.index)
    assert {"casualty", "quote", "attribution"} <= set(claim.types)


def test_event_type_for_a_plain_assertion() -> None:
    claim = only_claim("The OSCE Minsk Group was created in 1992 by the United States and France.")
    assert claim.types == ["event"]


def test_casualty_without_a_number() -> None:
    claim = only_claim("Several soldiers were killed near the village of Agdam overnight.")
    assert claim.types[0] == "casualty"
    assert claim.figures == []


def test_score_is_a_probability_and_higher_for_stronger_claims() -> None:
    strong = only_claim("At least 12 soldiers were killed on Tuesday, the army said.")
    weak = only_claim("The OSCE Minsk Group was created in 1992 by the United States and France.")
    assert 0.0 <= weak.score < strong.score <= 1.0


def test_cues_and_reason_say_why() -> None:
    claim = only_claim(
        "Azerbaijani Deputy Defense Minister Kerim Veliyev claimed that at least 12 soldiers "
        "were killed."
    )
    assert {"casualty_figure", "hedge_at_least", "attribution", "speaker_named"} <= set(claim.cues)
    assert claim.reason.startswith("Casualty figure (12 soldiers, hedged 'at least')")
    assert "attributed to a named person (Kerim Veliyev)" in claim.reason


def test_claim_to_dict_is_json_serialisable() -> None:
    claim = only_claim("Officials said at least 12 soldiers were killed on Tuesday, July 14, 2020.")
    data = json.loads(json.dumps(claim.to_dict()))
    assert data["date"] == "2020-07-14"
    assert data["figures"][0] == {
        "value": 12,
        "hedge": "at_least",
        "counted": "soldiers",
        "side": None,
        "unit": None,
        "text": "at least 12 soldiers",
    }
    assert set(data) == {
        "claim", "start", "end", "text", "types", "score", "cues", "reason", "speaker",
        "figures", "date",
    }  # fmt: skip
    assert data["claim"] is True


def test_claims_are_frozen() -> None:
    claim = only_claim("Officials said 12 soldiers were killed.")
    with pytest.raises(AttributeError):
        claim.score = 1.0  # type: ignore[misc]


def test_claims_never_span_two_sentences(sample_text: str) -> None:
    from claims.extraction import segment

    spans = set(segment(sample_text))
    assert all((c.start, c.end) in spans for c in extract(sample_text))


def test_claim_text_is_the_original_slice(
    sample_text: str, sample_claims: list[ExtractedClaim]
) -> None:
    for claim in sample_claims:
        assert sample_text[claim.start : claim.end] == claim.text
