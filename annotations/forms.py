"""Forms for annotations, comments, sources and ratings: shape only, rules in the services."""

from __future__ import annotations

from typing import Any

from django import forms

from annotations.models import ClaimSource, Rating, Source
from claims.forms import DATE_WIDGET, Form, VersionedForm, label_choices, set_choices


class AnnotationForm(Form):
    start = forms.IntegerField(min_value=0, label="From character")
    end = forms.IntegerField(min_value=1, label="To character")
    label = forms.ChoiceField(label="Label")
    comment = forms.CharField(
        label="Comment", required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=20000
    )

    def __init__(self, *args: Any, labels: Any = None, **kw: Any):
        super().__init__(*args, **kw)
        set_choices(
            self, "label", [("", "Choose a label")] + [(lb.slug, lb.name) for lb in labels or []]
        )
        self.order_fields(["label", "comment", "start", "end"])


class AnnotationEditForm(VersionedForm):
    comment = forms.CharField(
        label="Comment", required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=20000
    )


class CommentForm(Form):
    body = forms.CharField(
        label="Comment", widget=forms.Textarea(attrs={"rows": 2}), max_length=20000
    )
    parent = forms.IntegerField(widget=forms.HiddenInput, required=False)


class SourceForm(Form):
    url = forms.URLField(max_length=2000, label="Address (URL)", assume_scheme="https")
    title = forms.CharField(max_length=500, required=False, label="Title")
    publisher = forms.CharField(max_length=200, required=False, label="Publisher")
    published = forms.DateField(required=False, label="Published on", widget=DATE_WIDGET())
    accessed = forms.DateField(
        required=False,
        label="Accessed on",
        widget=DATE_WIDGET(),
        help_text="Today if left empty.",
    )
    archive_url = forms.URLField(
        max_length=2000, required=False, label="Archived copy (URL)", assume_scheme="https"
    )
    excerpt = forms.CharField(
        required=False,
        label="Excerpt relied on",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=20000,
    )
    stance = forms.ChoiceField(
        choices=ClaimSource.Stance.choices, initial=ClaimSource.Stance.CONTEXT, label="Stance"
    )
    kind = forms.ChoiceField(
        choices=Source.Kind.choices, initial=Source.Kind.SECONDARY, label="Kind of source"
    )


class RatingForm(VersionedForm):
    label = forms.ChoiceField(label="Your rating")
    justification = forms.CharField(
        label="Justification", widget=forms.Textarea(attrs={"rows": 4}), max_length=20000
    )
    confidence = forms.TypedChoiceField(
        coerce=int,
        choices=Rating.Confidence.choices,
        initial=Rating.Confidence.MEDIUM,
        label="Confidence",
    )

    def __init__(self, *args: Any, labels: Any = None, **kw: Any):
        super().__init__(*args, **kw)
        set_choices(self, "label", label_choices(labels))
        self.order_fields(["label", "justification", "confidence", "version"])
