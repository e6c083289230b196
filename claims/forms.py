"""Forms of the web workbench for articles, claims and verdicts.

They only check the shape of what was typed (a number is a number, a required box is filled)
so that a person gets the error next to the field; every rule about what may happen lives in
``claims.services``, which the views call with the cleaned values.
"""

from __future__ import annotations

import re
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError

from claims.models import Article, ClaimStatus, ClaimType, RatingLabel
from claims.services import HEDGES

HEDGE_CHOICES = [
    ("exact", "exactly"),
    ("at_least", "at least"),
    ("more_than", "more than"),
    ("less_than", "less than"),
    ("nearly", "nearly"),
    ("about", "about"),
]
assert [h for h, _ in HEDGE_CHOICES] == list(HEDGES)


def DATE_WIDGET() -> forms.DateInput:
    # <input type="date"> takes ISO dates whatever the site's locale.
    return forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


def apply_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on the field it names when the form has
    that field, otherwise at the top of the form."""
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            target = name if name in form.fields else None
            for message in messages:
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


def set_choices(form: forms.Form, name: str, choices: Any) -> None:
    """Choices known only when the form is made (labels, reviewers, split points)."""
    cast(forms.ChoiceField, form.fields[name]).choices = choices


class Form(forms.Form):
    """Labels without Django's trailing colon: the layout already sets them apart."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class VersionedForm(Form):
    """Every change carries the version the person saw; the service refuses a stale one."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    BROKEN_VERSION = (
        "This form came without the version of what it changes (the page may be damaged or "
        "very old): reload the page and make your change again."
    )

    def full_clean(self) -> None:
        super().full_clean()
        # Hidden fields have no place on the page for their errors, and pages show a button
        # form's errors at the top: a missing or garbled version must be said there.
        if self.is_bound and "version" in self.errors:
            del self.errors["version"]
            self.add_error(None, self.BROKEN_VERSION)


# --- importing articles ---------------------------------------------------------------------


class ArticleMetaFields(Form):
    title = forms.CharField(
        max_length=500, required=False, help_text="Leave empty to take it from the text."
    )
    byline = forms.CharField(max_length=300, required=False, label="Author(s)")
    outlet = forms.CharField(max_length=200, required=False, label="Outlet")
    published = forms.DateField(
        required=False,
        label="Publication date",
        widget=DATE_WIDGET(),
        help_text="Relative dates in the text (“on Thursday”) are resolved against it.",
    )


class ImportTextForm(ArticleMetaFields):
    text = forms.CharField(
        label="Article text",
        strip=False,
        widget=forms.Textarea(attrs={"rows": 14, "spellcheck": "false"}),
    )
    url = forms.URLField(max_length=2000, required=False, label="Original address")

    field_order = ["text", "title", "byline", "outlet", "published", "url"]

    def clean_text(self) -> str:
        text: str = self.cleaned_data["text"]
        # Browsers send textarea line breaks as CRLF; the stored text uses \n only, like
        # every other import path, so offsets mean the same thing everywhere.
        return text.replace("\r\n", "\n").replace("\r", "\n")


class ImportUploadForm(Form):
    file = forms.FileField(
        label="File",
        help_text="A .txt, .md or .html file; its title, author and date are read from it.",
        widget=forms.ClearableFileInput(attrs={"accept": ".txt,.text,.md,.markdown,.html,.htm"}),
    )


class ImportUrlForm(Form):
    url = forms.URLField(
        max_length=2000,
        label="Web address",
        assume_scheme="https",
        help_text="The page is fetched once and its text stored.",
    )


# --- claims -----------------------------------------------------------------------------------

TYPE_CHOICES = ClaimType.choices


class ClaimTypesField(forms.MultipleChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("choices", TYPE_CHOICES)
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        kwargs.setdefault("label", "Types")
        kwargs.setdefault("error_messages", {"required": "Give at least one claim type."})
        super().__init__(**kwargs)


def parse_figure_value(raw: str) -> int | float | list[int | float]:
    """ "12", "30,000", "2.5" or a range "10-20" (any dash) as the services expect it."""
    text = raw.strip().replace(",", "").replace("\u00a0", "").replace(" ", "")
    parts = re.split(r"(?<=\d)[-\u2013\u2014](?=\d)", text)

    def number(part: str) -> int | float:
        try:
            return int(part)
        except ValueError:
            try:
                return float(part)
            except ValueError:
                raise ValidationError(
                    "Give a number like 12 or 30,000, or a range like 10-20."
                ) from None

    values = [number(p) for p in parts]
    if len(values) == 1:
        return values[0]
    if len(values) == 2:
        return values
    raise ValidationError("Give a number like 12 or 30,000, or a range like 10-20.")


# How a figure's hedge reads before its value on a page; "exact" says nothing.
HEDGE_WORDS = {
    "exact": "",
    "at_least": "at least",
    "more_than": "more than",
    "less_than": "less than",
    "nearly": "nearly",
    "about": "about",
}


def hedge_words(hedge: str | None) -> str:
    return HEDGE_WORDS.get(hedge or "exact", hedge or "")


def format_figure_value(value: Any) -> str:
    if isinstance(value, list):
        return "\u2013".join(format_figure_value(v) for v in value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:,}" if isinstance(value, int) else str(value)


class FigureForm(Form):
    value = forms.CharField(max_length=50, required=False, label="Value")
    hedge = forms.ChoiceField(choices=HEDGE_CHOICES, initial="exact", label="Hedge")
    counted = forms.CharField(max_length=200, required=False, label="What is counted")
    side = forms.CharField(max_length=200, required=False, label="Whose side")
    remove = forms.BooleanField(required=False, label="Remove")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        raw = (data.get("value") or "").strip()
        if raw and not data.get("remove"):
            try:
                data["parsed"] = parse_figure_value(raw)
            except ValidationError as exc:
                self.add_error("value", exc)
        return data


FigureFormSet = forms.formset_factory(FigureForm, extra=1, max_num=20)


def figures_from_formset(formset: Any) -> list[dict[str, Any]]:
    figures: list[dict[str, Any]] = []
    for form in formset.forms:
        data = getattr(form, "cleaned_data", None) or {}
        if data.get("remove") or "parsed" not in data:
            continue
        figures.append(
            {
                "value": data["parsed"],
                "hedge": data.get("hedge") or "exact",
                "counted": (data.get("counted") or "").strip(),
                "side": (data.get("side") or "").strip() or None,
            }
        )
    return figures


def figure_initial(figures: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "value": format_figure_value(f.get("value")),
            "hedge": f.get("hedge") or "exact",
            "counted": f.get("counted") or "",
            "side": f.get("side") or "",
        }
        for f in figures or []
    ]


class ClaimEditForm(VersionedForm):
    """Correct a claim: its span, types, speaker and date (figures come in a formset)."""

    start = forms.IntegerField(min_value=0, label="Starts at character")
    end = forms.IntegerField(min_value=1, label="Ends at character")
    types = ClaimTypesField()
    speaker = forms.CharField(max_length=200, required=False, label="Speaker or source")
    date = forms.DateField(required=False, label="Date it refers to", widget=DATE_WIDGET())


class ClaimAddForm(Form):
    """A claim a person adds by selecting text (offsets in code points into the stored text)."""

    start = forms.IntegerField(min_value=0, label="Starts at character")
    end = forms.IntegerField(min_value=1, label="Ends at character")
    types = ClaimTypesField()
    speaker = forms.CharField(max_length=200, required=False, label="Speaker or source")
    date = forms.DateField(required=False, label="Date it refers to", widget=DATE_WIDGET())


class PromoteForm(Form):
    """A sentence from "more sentences" made a claim: its offsets, and the types when the
    engine gave none (or the person corrects them)."""

    start = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    end = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    types = forms.MultipleChoiceField(
        choices=ClaimType.choices, required=False, widget=forms.CheckboxSelectMultiple
    )


class SplitForm(VersionedForm):
    at = forms.TypedChoiceField(coerce=int, label="Split after")

    def __init__(self, *args: Any, points: list[tuple[int, str]] | None = None, **kw: Any):
        super().__init__(*args, **kw)
        set_choices(self, "at", points or [])


class MergeForm(VersionedForm):
    other = forms.IntegerField(widget=forms.HiddenInput)
    other_version = forms.IntegerField(widget=forms.HiddenInput)


class ReasonForm(VersionedForm):
    reason = forms.CharField(
        label="Reason", widget=forms.Textarea(attrs={"rows": 2}), max_length=5000
    )


class OptionalReasonForm(VersionedForm):
    reason = forms.CharField(
        label="Reason (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=5000,
    )


class AssignForm(VersionedForm):
    reviewer = forms.TypedChoiceField(coerce=int, label="Reviewer")

    def __init__(self, *args: Any, reviewers: list[Any] | None = None, **kw: Any):
        super().__init__(*args, **kw)
        set_choices(
            self,
            "reviewer",
            [(u.pk, u.get_full_name() or u.get_username()) for u in reviewers or []],
        )


class UnassignForm(VersionedForm):
    reviewer = forms.IntegerField(widget=forms.HiddenInput)


# --- verdicts ----------------------------------------------------------------------------------


def label_choices(labels: Any, empty: str = "Choose a rating") -> list[tuple[str, str]]:
    """Rating labels as (slug, name) choices, from a list already loaded for the page, so a
    form renders without querying again."""
    return [("", empty)] + [(label.slug, label.name) for label in labels or []]


class VerdictForm(VersionedForm):
    """Propose a verdict, or amend a proposed one."""

    label = forms.ChoiceField(label="Verdict")
    summary = forms.CharField(
        label="Summary",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="One or two sentences readers see first.",
    )
    justification = forms.CharField(
        label="Justification", widget=forms.Textarea(attrs={"rows": 5}), max_length=20000
    )
    sources = forms.TypedMultipleChoiceField(
        coerce=int,
        required=False,
        label="Sources relied on",
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self,
        *args: Any,
        labels: Any = None,
        sources: list[tuple[int, str]] | None = None,
        **kw: Any,
    ):
        super().__init__(*args, **kw)
        set_choices(self, "label", label_choices(labels))
        set_choices(self, "sources", sources or [])
        self.order_fields(["label", "summary", "justification", "sources", "version"])


class CorrectForm(VersionedForm):
    note = forms.CharField(
        label="What changed and why",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=5000,
        help_text="Shown to readers with the corrected verdict.",
    )
    label = forms.ChoiceField(label="Verdict", required=False)
    summary = forms.CharField(
        label="Summary", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    justification = forms.CharField(
        label="Justification", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args: Any, labels: Any = None, **kw: Any):
        super().__init__(*args, **kw)
        set_choices(self, "label", label_choices(labels, "Keep the current verdict"))
        self.order_fields(["note", "label", "summary", "justification", "version"])


# --- finding things -----------------------------------------------------------------------


class SearchForm(Form):
    q = forms.CharField(label="Search", max_length=200, required=False)
    status = forms.ChoiceField(
        label="State", required=False, choices=[("", "Any state"), *ClaimStatus.choices]
    )
    type = forms.ChoiceField(
        label="Type", required=False, choices=[("", "Any type"), *ClaimType.choices]
    )


class PublicFilterForm(Form):
    rating = forms.ChoiceField(label="Rating", required=False)

    def __init__(self, *args: Any, labels: list[RatingLabel] | None = None, **kw: Any):
        super().__init__(*args, **kw)
        set_choices(
            self, "rating", [("", "All ratings")] + [(lb.slug, lb.name) for lb in labels or []]
        )


SOURCE_FORMATS = dict(Article.Format.choices)


# --- other organisations' fact-checks ------------------------------------------------------------


class FactCheckImportForm(Form):
    file = forms.FileField(
        label="File",
        help_text=(
            "ClaimReview JSON-LD (.json: one object, a list or a DataFeed) or a TSV whose first "
            "row names its columns: id, claim, and any of title, url, rating, publisher, date, "
            "language."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".json,.jsonld,.jsonl,.tsv,.tab,.txt"}),
    )
    format = forms.ChoiceField(
        label="Format",
        choices=[("", "From the file"), ("claimreview", "ClaimReview"), ("tsv", "TSV")],
        required=False,
    )
    publisher = forms.CharField(
        label="Publisher",
        max_length=200,
        required=False,
        help_text="For records that name none (a TSV without a publisher column).",
    )
