"""Query parameters of the source list and of the agreement figures."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet

from annotations.models import Source
from annotations.selectors import search_sources
from claims.api.filters import IdFilter
from claims.models import Claim, ClaimType


class SourceFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(max_length=500, help_text="Words of the URL, title, publisher.")

    class Meta:
        model = Source
        fields: list[str] = []

    def filter_queryset(self, queryset: QuerySet[Source]) -> QuerySet[Source]:
        query = self.form.cleaned_data.get("q")
        return search_sources(query) if query else queryset


class AgreementFilterSet(django_filters.FilterSet):
    article = IdFilter(help_text="Only the claims of this article (id).")
    type = django_filters.ChoiceFilter(choices=ClaimType.choices, help_text="Claim type.")

    class Meta:
        model = Claim
        fields: list[str] = []

    def filter_queryset(self, queryset: QuerySet[Claim]) -> QuerySet[Claim]:
        data = self.form.cleaned_data
        if data.get("article"):
            queryset = queryset.filter(article_id=data["article"])
        if data.get("type"):
            queryset = queryset.of_type(data["type"])  # type: ignore[attr-defined]
        return queryset
