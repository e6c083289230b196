"""What the services accept as a number or as text, whatever the client sent."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from annotations import services as notes
from claims import services
from claims.services import storable_text, whole_number


@pytest.mark.parametrize("value", [12, "12", " 12 ", "-3", "+4", 12.0])
def test_whole_numbers_from_forms_and_json_are_accepted(value):
    assert whole_number(value, "start", "no") == int(float(value))


@pytest.mark.parametrize(
    "value", [True, False, 3.7, float("inf"), float("nan"), "3.5", "1e3", "١٢", "", None, [1]]
)
def test_booleans_fractions_infinities_and_non_digits_are_refused(value):
    with pytest.raises(ValidationError) as info:
        whole_number(value, "start", "Offsets must be whole numbers.")
    assert info.value.message_dict == {"start": ["Offsets must be whole numbers."]}


@pytest.mark.parametrize("value", ["a\x00b", "a\ud800b", "\udfff"])
def test_text_no_database_can_store_is_refused(value):
    with pytest.raises(ValidationError, match=r"NUL|surrogates"):
        storable_text(value, "comment")


def test_a_boolean_offset_is_not_offset_one(article, reviewer):
    with pytest.raises(ValidationError, match="whole numbers"):
        services.claim_add(actor=reviewer, article=article, start=True, end=20, types=["event"])


def test_a_fractional_confidence_is_not_rounded(claim, reviewer, editor):
    services.claim_assign(actor=editor, claim=claim, reviewer=reviewer)
    with pytest.raises(ValidationError, match="Confidence"):
        notes.rating_submit(
            actor=reviewer, claim=claim, label="false", justification="x", confidence=3.7
        )


def test_a_boolean_is_not_the_first_label(claim, reviewer, editor):
    services.claim_assign(actor=editor, claim=claim, reviewer=reviewer)
    with pytest.raises(ValidationError, match="not a label"):
        notes.rating_submit(actor=reviewer, claim=claim, label=True, justification="x")


def test_verdict_text_with_a_surrogate_is_refused(claim, reviewer, editor):
    services.claim_assign(actor=editor, claim=claim, reviewer=reviewer)
    with pytest.raises(ValidationError, match="surrogates"):
        services.claim_propose(
            actor=editor, claim=claim, label="false", summary="a\ud800", justification="x"
        )
