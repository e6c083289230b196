"""Small template helpers for the workbench's pages."""

from __future__ import annotations

import re
from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from claims.forms import format_figure_value, hedge_words
from claims.models import ClaimStatus, ClaimType

register = template.Library()


@register.simple_tag
def claim_states() -> list[tuple[str, str]]:
    return list(ClaimStatus.choices)


@register.simple_tag
def claim_types() -> list[tuple[str, str]]:
    return list(ClaimType.choices)


@register.filter
def type_label(value: str) -> str:
    return ClaimType(value).label if value in ClaimType.values else value


@register.filter
def state_label(value: str) -> str:
    return ClaimStatus(value).label if value in ClaimStatus.values else value


register.filter("hedge_words", hedge_words)


@register.filter
def figure_value(value: Any) -> str:
    return format_figure_value(value)


@register.filter
def percent(value: float | None) -> str:
    return "\u2013" if value is None else f"{round(100 * float(value))}%"


@register.filter
def cue_words(value: str) -> str:
    """``casualty_verb`` → ``casualty verb``: cue names as a person reads them."""
    return str(value).replace("_", " ")


_HEX = re.compile(r"^#[0-9a-fA-F]{3,8}$")


def _colour(value: Any) -> str:
    # Colours come from the database (admins edit them): only plain hex reaches the markup.
    return value if isinstance(value, str) and _HEX.match(value) else "#666666"


@register.simple_tag
def swatch(colour: Any) -> SafeString:
    """A small coloured square. SVG attributes, not inline styles: the CSP forbids those."""
    return format_html(
        '<svg class="sw" viewBox="0 0 10 10" aria-hidden="true" focusable="false">'
        '<rect width="10" height="10" rx="2.5" fill="{}"/></svg>',
        _colour(colour),
    )


@register.simple_tag
def rating_label(label: Any, big: bool = False, public: bool = False) -> SafeString:
    """A rating label as a badge with its colour; readers see ClaimReview's alternate name."""
    name = label.alternate_name if public else label.name
    return format_html(
        '<span class="rating-label{}">{}{}</span>',
        " rating-label-big" if big else "",
        swatch(label.colour),
        name,
    )


@register.filter
def context_before(value: str) -> str:
    """The quote's leading context from its first whole word, on one line."""
    text = " ".join(str(value or "").split("\n"))
    cut = text.find(" ")
    return "…" + text[cut + 1 :] if cut > 0 and not text[:1].isspace() else text.lstrip()


@register.filter
def context_after(value: str) -> str:
    text = " ".join(str(value or "").split("\n"))
    cut = text.rfind(" ")
    return text[:cut] + "…" if cut > 0 and not text[-1:].isspace() else text.rstrip()


# --- agreement figures -------------------------------------------------------------------------

# Why a figure is undefined, shown as a tooltip on its "—" and in the page's notes.
UNDEFINED = {
    "pairs": (
        "No claim has two ratings on the ordinal scale yet (Misleading and Unverifiable are "
        "not on it), so there is nothing to compare."
    ),
    "variation": (
        "Every rating has the same value: alpha weighs disagreement against the variation "
        "among all ratings, and there is none."
    ),
    "kappa": (
        "Both reviewers gave one and the same label on every claim they share: chance alone "
        "would agree as often, so kappa cannot be computed."
    ),
    "mean": (
        "No defined kappa with another reviewer: they share no claim with anyone, or every "
        "pair's kappa is undefined."
    ),
}

# Krippendorff's own guidance for alpha; Landis and Koch's bands for kappa.
ALPHA_READINGS = ((0.8, "good", "reliable"), (0.667, "fair", "tentative"))
KAPPA_READINGS = (
    (0.81, "good", "almost perfect"),
    (0.61, "good", "substantial"),
    (0.41, "fair", "moderate"),
    (0.21, "fair", "fair"),
    (0.0, "poor", "slight"),
)


@register.simple_tag
def undefined_note(why: str) -> str:
    return UNDEFINED.get(why, "Not enough ratings to compute this figure.")


@register.simple_tag
def coefficient(value: float | None, why: str = "") -> SafeString:
    """An agreement coefficient to two decimals (a true minus sign), or "—" linking to the
    note that says why it is undefined."""
    if value is None:
        return format_html(
            '<a class="undefined" href="#why-{}" title="{}"><span aria-hidden="true">—</span>'
            '<span class="visually-hidden">undefined (see the note)</span></a>',
            why or "pairs",
            undefined_note(why or "pairs"),
        )
    return format_html('<span class="coef">{}</span>', f"{value:.2f}".replace("-", "\u2212"))


@register.simple_tag
def reading(value: float | None, kind: str = "alpha") -> SafeString:
    """How to read a coefficient, in words: alpha by Krippendorff's thresholds, kappa by
    Landis and Koch's bands."""
    if value is None:
        return SafeString("")
    bands: tuple[tuple[float, str, str], ...]
    if kind == "kappa":
        bands, floor = KAPPA_READINGS, ("poor", "below chance")
    else:
        bands, floor = ALPHA_READINGS, ("poor", "unreliable")
    tone, words = next(((t, w) for limit, t, w in bands if value >= limit), floor)
    return format_html('<span class="reading r-{}">{}</span>', tone, words)
