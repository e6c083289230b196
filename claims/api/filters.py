"""Query parameters of the claim list and of the public feed.

The filter sets only read and check the parameters (a bad one is a 400 with field errors);
the filtering itself is the selectors' (``filter_claims``, ``search_claims``,
``published_since``), the same code the web pages use.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from claims.models import Claim, ClaimStatus, ClaimType, Verdict
from claims.selectors import ClaimFilters, filter_claims, published_since, search_claims

MAX_ID = 2**63 - 1


class IdFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class ClaimFilterSet(django_filters.FilterSet):
    article = IdFilter(help_text="Only the claims of this article (id).")
    status = django_filters.ChoiceFilter(choices=ClaimStatus.choices)
    type = django_filters.ChoiceFilter(choices=ClaimType.choices, help_text="Claim type.")
    speaker = django_filters.CharFilter(max_length=200, help_text="Part of the speaker's name.")
    assignee = django_filters.CharFilter(
        max_length=150, help_text='Username or user id of an assigned reviewer, or "me".'
    )
    min_score = django_filters.NumberFilter(min_value=0, max_value=1)
    max_score = django_filters.NumberFilter(min_value=0, max_value=1)
    q = django_filters.CharFilter(max_length=500, help_text="Search claim text, speaker, title.")
    include_superseded = django_filters.BooleanFilter(
        help_text="Also list claims replaced by a split or merge."
    )

    class Meta:
        model = Claim
        fields: list[str] = []

    def filter_queryset(self, queryset: QuerySet[Claim]) -> QuerySet[Claim]:
        data = self.form.cleaned_data
        return filter_claims(
            queryset,
            ClaimFilters(
                article=data.get("article"),
                status=data.get("status") or None,
                type=data.get("type") or None,
                speaker=data.get("speaker") or None,
                assignee=self._assignee(data.get("assignee")),
                min_score=_float(data.get("min_score")),
                max_score=_float(data.get("max_score")),
                q=data.get("q") or None,
                include_superseded=bool(data.get("include_superseded")),
            ),
        )

    def _assignee(self, value: str | None) -> int | None:
        if not value:
            return None
        value = value.strip()
        if value == "me":
            return getattr(self.request.user, "pk", None) if self.request else None
        if value.isdigit() and int(value) <= MAX_ID:
            return int(value)
        pk = get_user_model().objects.filter(username=value).values_list("pk", flat=True).first()
        return pk if pk is not None else 0  # nobody: an empty list, not every claim


def _float(value: Any) -> float | None:
    return float(value) if value is not None else None


class PublishedFilterSet(django_filters.FilterSet):
    label = django_filters.CharFilter(
        max_length=100, help_text="Rating label slug (see /api/v1/rating-labels/)."
    )
    type = django_filters.ChoiceFilter(choices=ClaimType.choices, help_text="Claim type.")
    speaker = django_filters.CharFilter(max_length=200, help_text="Part of the speaker's name.")
    article = IdFilter(help_text="Only ratings of claims in this article (id).")
    since = django_filters.DateFilter(help_text="Published on or after this day (YYYY-MM-DD).")
    until = django_filters.DateFilter(help_text="Published on or before this day (YYYY-MM-DD).")
    q = django_filters.CharFilter(max_length=500, help_text="Search claim text, speaker, title.")

    class Meta:
        model = Verdict
        fields: list[str] = []

    def get_form_class(self) -> Any:
        # django-filter builds a new form class, a field and a label for every filter, on
        # every request (0.3 ms of the public feed's); these fields never depend on it.
        cls = type(self)
        if "_form_class" not in cls.__dict__:
            cls._form_class = super().get_form_class()  # type: ignore[attr-defined]
        return cls.__dict__["_form_class"]

    def filter_queryset(self, queryset: QuerySet[Verdict]) -> QuerySet[Verdict]:
        data = self.form.cleaned_data
        if data.get("label"):
            queryset = queryset.filter(label__slug=data["label"])
        if data.get("type"):
            queryset = queryset.filter(
                claim__in=Claim.objects.public().of_type(data["type"]).values("pk")
            )
        if data.get("speaker"):
            queryset = queryset.filter(claim__speaker__icontains=data["speaker"])
        if data.get("article"):
            queryset = queryset.filter(claim__article_id=data["article"])
        queryset = published_since(queryset, data.get("since"), data.get("until"))
        if data.get("q"):
            queryset = queryset.filter(
                claim__in=search_claims(Claim.objects.public(), data["q"]).values("pk")
            )
        return queryset
