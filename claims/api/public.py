"""The public ratings feed: published verdicts with their ClaimReview, and exports.

No authentication, and nothing unpublished: only the current published version of a
published or corrected claim (and, on its detail, the versions it corrected), never a draft,
a proposal, a rating, a comment or a retracted verdict's text, and reviewers' names only when
the organisation chose to show them. A retracted rating's detail is ``410 Gone`` with no
verdict text. Responses carry ``ETag``/``Last-Modified`` and a ``Cache-Control`` a CDN may
honour, and answer a conditional request with ``304`` before doing the work.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import hashlib
import io
import json
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.http import Http404, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django_filters.utils import translate_validation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import ISO_8601, serializers
from rest_framework.generics import GenericAPIView
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings

from claims import selectors
from claims.api.filters import PublishedFilterSet
from claims.claimreview import claimreview, claimreview_of
from claims.models import Organisation, Verdict
from workbench.api.caching import (
    NOT_MODIFIED_DESCRIPTION,
    make_etag,
    not_modified,
    public_cache_headers,
    public_header_parameters,
)
from workbench.api.pagination import PublicCursorPagination
from workbench.api.problems import PROBLEM_MEDIA_TYPE, ProblemSerializer, problem_response
from workbench.api.throttling import AnonymousThrottle


def public_page_path(claim_id: int) -> str:
    """The reader-facing page of a rating (the web UI's ``public-rating``)."""
    try:
        return reverse("public-rating", args=[claim_id])
    except NoReverseMatch:  # the pages are served by another part of the project
        return f"/ratings/{claim_id}/"


def public_page_url(request: Any, claim_id: int) -> str:
    return request.build_absolute_uri(public_page_path(claim_id))


def _name(user: Any) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else ""


# --- serializers ----------------------------------------------------------------------------------


class PublicArticleSerializer(serializers.Serializer):
    title = serializers.CharField()
    url = serializers.CharField(help_text="Where the article was published.")
    outlet = serializers.CharField()
    published = serializers.DateField(allow_null=True)


class PublicClaimSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    text = serializers.CharField()
    speaker = serializers.CharField()
    types = serializers.ListField(child=serializers.CharField())
    date = serializers.DateField(allow_null=True)
    article = PublicArticleSerializer()


class PublicRatingSerializer(serializers.Serializer):
    label = serializers.CharField(source="slug")  # type: ignore[assignment]
    name = serializers.CharField()
    alternate_name = serializers.CharField()
    rating_value = serializers.IntegerField(allow_null=True)
    best_rating = serializers.IntegerField(source="scale.best_rating")
    worst_rating = serializers.IntegerField(source="scale.worst_rating")
    averitec = serializers.CharField(help_text="The AVeriTeC label this rating maps to.")


class PublicSourceSerializer(serializers.Serializer):
    url = serializers.CharField()
    title = serializers.CharField()
    publisher = serializers.CharField()
    published = serializers.DateField(allow_null=True)
    accessed = serializers.DateField(allow_null=True)
    archive_url = serializers.CharField()
    kind = serializers.CharField()
    stance = serializers.CharField(allow_null=True)
    excerpt = serializers.CharField()
    published_after_claim = serializers.BooleanField(
        help_text="Published after the claim was made: not what the speaker relied on."
    )


class PublicPersonSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=["author", "approved_by", "published_by"])
    name = serializers.CharField()


class PublicVersionSerializer(serializers.Serializer):
    edition = serializers.IntegerField()
    label = PublicRatingSerializer()  # type: ignore[assignment]
    summary = serializers.CharField()
    published_at = serializers.DateTimeField(allow_null=True)
    correction_note = serializers.CharField()
    corrected = serializers.BooleanField(help_text="Replaced by a later version.")


CLAIMREVIEW_SCHEMA = {
    "type": "object",
    "description": "schema.org ClaimReview (JSON-LD), as Google's Fact Check Tools read it.",
    "required": [
        "@context",
        "@type",
        "url",
        "claimReviewed",
        "reviewRating",
        "itemReviewed",
        "author",
        "datePublished",
    ],
    "properties": {
        "@context": {"type": "string", "enum": ["https://schema.org"]},
        "@type": {"type": "string", "enum": ["ClaimReview"]},
        "url": {"type": "string", "format": "uri"},
        "claimReviewed": {"type": "string"},
        "headline": {"type": "string"},
        "datePublished": {"type": "string", "format": "date", "nullable": True},
        "dateModified": {"type": "string", "format": "date-time"},
        "reviewRating": {
            "type": "object",
            "required": ["@type", "alternateName"],
            "properties": {
                "@type": {"type": "string", "enum": ["Rating"]},
                "alternateName": {"type": "string"},
                "ratingValue": {"type": "integer"},
                "bestRating": {"type": "integer"},
                "worstRating": {"type": "integer"},
            },
        },
        "itemReviewed": {
            "type": "object",
            "required": ["@type", "appearance"],
            "properties": {
                "@type": {"type": "string", "enum": ["Claim"]},
                "author": {
                    "type": "object",
                    "properties": {"@type": {"type": "string"}, "name": {"type": "string"}},
                },
                "datePublished": {"type": "string", "format": "date"},
                "appearance": {"type": "object", "additionalProperties": True},
            },
        },
        "author": {
            "type": "object",
            "required": ["@type", "name"],
            "properties": {
                "@type": {"type": "string", "enum": ["Organization"]},
                "name": {"type": "string"},
                "url": {"type": "string"},
                "logo": {"type": "object", "additionalProperties": True},
            },
        },
    },
}


class PublishedItemSerializer(serializers.Serializer):
    """One published rating. ``id`` is the claim's: it stays the same across corrections."""

    id = serializers.IntegerField(source="claim_id")
    url = serializers.SerializerMethodField(help_text="This rating in the API.")
    page_url = serializers.SerializerMethodField(help_text="The public page of this rating.")
    claim = PublicClaimSerializer()
    speaker = serializers.CharField(source="claim.speaker")
    rating = PublicRatingSerializer(source="label")
    summary = serializers.CharField()
    justification = serializers.CharField()
    edition = serializers.IntegerField(help_text="1, then 2, 3… after each correction.")
    published_at = serializers.DateTimeField()
    corrected = serializers.SerializerMethodField(help_text="This version corrects an earlier one.")
    correction_note = serializers.CharField()
    sources = serializers.SerializerMethodField()
    reviewers = serializers.SerializerMethodField(
        help_text="Who wrote, approved and published it; empty unless the organisation shows "
        "reviewers' names."
    )
    claimreview = serializers.SerializerMethodField()

    def get_url(self, verdict: Verdict) -> str:
        request = self.context["request"]
        return request.build_absolute_uri(reverse("api-published-detail", args=[verdict.claim_id]))

    def get_page_url(self, verdict: Verdict) -> str:
        return public_page_url(self.context["request"], verdict.claim_id)

    def get_corrected(self, verdict: Verdict) -> bool:
        return verdict.corrects_id is not None

    @extend_schema_field(PublicSourceSerializer(many=True))
    def get_sources(self, verdict: Verdict) -> Any:
        claim = verdict.claim
        uses = {u.source_id: u for u in claim.claim_sources.all()}
        claim_date = claim.date or claim.article.published
        items = []
        for source in sorted(verdict.sources.all(), key=lambda x: (x.title.lower(), x.url)):
            use = uses.get(source.pk)
            items.append(
                {
                    "url": source.url,
                    "title": source.title,
                    "publisher": source.publisher,
                    "published": source.published,
                    "accessed": source.accessed,
                    "archive_url": source.archive_url,
                    "kind": source.kind,
                    "stance": use.stance if use else None,
                    "excerpt": use.excerpt if use else "",
                    "published_after_claim": bool(
                        source.published and claim_date and source.published > claim_date
                    ),
                }
            )
        return PublicSourceSerializer(items, many=True).data

    @extend_schema_field(PublicPersonSerializer(many=True))
    def get_reviewers(self, verdict: Verdict) -> list[dict[str, str]]:
        org: Organisation = self.context["organisation"]
        if not org.show_reviewer_names:
            return []
        people = [
            ("author", verdict.author),
            ("approved_by", verdict.approved_by),
            ("published_by", verdict.published_by),
        ]
        return [{"role": role, "name": _name(user)} for role, user in people if user is not None]

    @extend_schema_field(CLAIMREVIEW_SCHEMA)
    def get_claimreview(self, verdict: Verdict) -> dict[str, Any]:
        return claimreview(
            verdict,
            page_url=public_page_url(self.context["request"], verdict.claim_id),
            organisation=self.context["organisation"],
        )


class PublishedDetailSerializer(PublishedItemSerializer):
    versions = serializers.SerializerMethodField(
        help_text="Every published version, newest first; earlier ones are marked corrected."
    )

    @extend_schema_field(PublicVersionSerializer(many=True))
    def get_versions(self, verdict: Verdict) -> Any:
        versions = self.context.get("versions", [verdict])
        return PublicVersionSerializer(
            [
                {
                    "edition": v.edition,
                    "label": v.label,
                    "summary": v.summary,
                    "published_at": v.published_at,
                    "correction_note": v.correction_note,
                    "corrected": v.state == Verdict.State.SUPERSEDED,
                }
                for v in versions
            ],
            many=True,
        ).data


# --- the same JSON, fast -------------------------------------------------------------------------
#
# The serializers above describe the feed (the schema is generated from them) and are the
# reference that tests/api/test_public_fast_path.py holds these functions to, field for field.
# The views use these: plain functions over the rows that ``selectors.published_page`` and
# ``selectors.published_rating`` read with SQL. For a page of 50 on the bench machine, the
# serializers take 15 ms (a serializer and a deep copy of its fields for each nested object, a
# reverse() for each URL) and loading the verdicts as model instances with their prefetches
# 14 ms; these functions take about 1 ms, and the page and its sources 2 ms, most of it
# PostgreSQL's (bench/RESULTS.md).

_DATETIME = serializers.DateTimeField()
_DATE = serializers.DateField()
_PLACEHOLDER = 987654321


def _datetime_writer() -> Callable[[dt.datetime | None], str | None]:
    """DRF's DateTimeField.to_representation, with the current time zone looked up once for
    a page rather than once for each value (a context-local read each time)."""
    if str(api_settings.DATETIME_FORMAT).lower() != ISO_8601 or not settings.USE_TZ:
        return lambda value: None if value is None else _DATETIME.to_representation(value)
    zone = timezone.get_current_timezone()

    def write(value: dt.datetime | None) -> str | None:
        if value is None:
            return None
        if timezone.is_naive(value):
            return _DATETIME.to_representation(value)
        text = value.astimezone(zone).isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    return write


# DRF's DateField writes value.isoformat() when DATE_FORMAT is ISO 8601 (the default): the
# feed has up to 300 dates a page.
_ISO_DATES = str(api_settings.DATE_FORMAT).lower() == ISO_8601


def _date(value: dt.date | None) -> str | None:
    if value is None:
        return None
    return value.isoformat() if _ISO_DATES else _DATE.to_representation(value)


def _url_for(request: Any, path_of: Callable[[int], str]) -> Callable[[int], str]:
    """``lambda pk: request.build_absolute_uri(path_of(pk))``, with the URL resolved once per
    page instead of once per item."""
    head, tail = path_of(_PLACEHOLDER).split(str(_PLACEHOLDER))
    base = request.build_absolute_uri(head)
    return lambda pk: f"{base}{pk}{tail}"


def _api_path(claim_id: int) -> str:
    return reverse("api-published-detail", args=[claim_id])


def _ratings(state: selectors.PublicState) -> dict[int, dict[str, Any]]:
    """``PublicRatingSerializer`` of every label, by primary key."""
    keys = (
        "label",
        "name",
        "alternate_name",
        "rating_value",
        "averitec",
        "best_rating",
        "worst_rating",
    )
    order = (
        "label",
        "name",
        "alternate_name",
        "rating_value",
        "best_rating",
        "worst_rating",
        "averitec",
    )
    ratings = {}
    for pk, *values in state.labels:
        rating = dict(zip(keys, values, strict=True))
        ratings[pk] = {key: rating[key] for key in order}
    return ratings


def _sources(found: list[dict[str, Any]], claim_date: dt.date | None) -> list[dict[str, Any]]:
    return [
        {
            "url": source["url"],
            "title": source["title"],
            "publisher": source["publisher"],
            "published": _date(source["published"]),
            "accessed": _date(source["accessed"]),
            "archive_url": source["archive_url"],
            "kind": source["kind"],
            "stance": source["stance"],
            "excerpt": source["excerpt"] or "",
            "published_after_claim": bool(
                source["published"] and claim_date and source["published"] > claim_date
            ),
        }
        for source in sorted(found, key=lambda x: (x["title"].lower(), x["url"]))
    ]


_ROLES = (
    ("author", "author_id"),
    ("approved_by", "approved_by_id"),
    ("published_by", "published_by_id"),
)


def published_items(
    rows: list[dict[str, Any]],
    request: Any,
    organisation: Organisation,
    state: selectors.PublicState,
) -> list[dict[str, Any]]:
    """``PublishedItemSerializer(verdicts, many=True).data`` for ``published_page``, with the
    labels of ``state``: one query for the sources, and one for the people when the
    organisation shows their names."""
    ratings = _ratings(state)
    write_time = _datetime_writer()
    api_url = _url_for(request, _api_path)
    page_url = _url_for(request, public_page_path)
    sources = selectors.verdict_sources_rows([row["id"] for row in rows])
    people: dict[Any, Any] = {}
    if organisation.show_reviewer_names:
        ids = {row[key] for row in rows for _, key in _ROLES if row[key] is not None}
        people = get_user_model().objects.in_bulk(ids)
    items = []
    for row in rows:
        claim_id = row["claim_id"]
        page = page_url(claim_id)
        claim_date = row["claim__date"]
        article_published = row["claim__article__published"]
        published_at = row["published_at"]
        rating = ratings[row["label_id"]]
        items.append(
            {
                "id": claim_id,
                "url": api_url(claim_id),
                "page_url": page,
                "claim": {
                    "id": claim_id,
                    "text": row["claim__text"],
                    "speaker": row["claim__speaker"],
                    "types": list(row["claim__types"]),
                    "date": _date(claim_date),
                    "article": {
                        "title": row["claim__article__title"],
                        "url": row["claim__article__url"],
                        "outlet": row["claim__article__outlet"],
                        "published": _date(article_published),
                    },
                },
                "speaker": row["claim__speaker"],
                "rating": rating,
                "summary": row["summary"],
                "justification": row["justification"],
                "edition": row["edition"],
                "published_at": write_time(published_at),
                "corrected": row["corrects_id"] is not None,
                "correction_note": row["correction_note"],
                "sources": _sources(sources.get(row["id"], []), claim_date or article_published),
                "reviewers": [
                    {"role": role, "name": _name(people.get(row[key]))}
                    for role, key in _ROLES
                    if people.get(row[key]) is not None
                ],
                "claimreview": claimreview_of(
                    page_url=page,
                    organisation=organisation,
                    text=row["claim__text"],
                    speaker=row["claim__speaker"],
                    date=claim_date,
                    article_title=row["claim__article__title"],
                    article_url=row["claim__article__url"],
                    article_published=article_published,
                    outlet=row["claim__article__outlet"],
                    alternate_name=rating["alternate_name"],
                    rating_value=rating["rating_value"],
                    best_rating=rating["best_rating"],
                    worst_rating=rating["worst_rating"],
                    summary=row["summary"],
                    published_at=published_at,
                    corrects=row["corrects_id"] is not None,
                ),
            }
        )
    return items


def published_detail(
    versions: list[dict[str, Any]],
    request: Any,
    organisation: Organisation,
    state: selectors.PublicState,
) -> dict[str, Any] | None:
    """``PublishedDetailSerializer`` for the editions of ``selectors.published_rating`` that
    are published or superseded: the current one with every version, or ``None`` when none
    is published."""
    current = next((v for v in versions if v["state"] == Verdict.State.PUBLISHED), None)
    if current is None:
        return None
    (item,) = published_items([current], request, organisation, state)
    ratings = _ratings(state)
    write_time = _datetime_writer()
    item["versions"] = [
        {
            "edition": v["edition"],
            "label": ratings[v["label_id"]],
            "summary": v["summary"],
            "published_at": write_time(v["published_at"]),
            "correction_note": v["correction_note"],
            "corrected": v["state"] == Verdict.State.SUPERSEDED,
        }
        for v in versions
    ]
    return item


# --- reads ----------------------------------------------------------------------------------------


def _validators(
    request: Request,
    organisation: Organisation,
    kind: str,
    state: selectors.PublicState,
    claim_id: int | None = None,
) -> tuple[str, dt.datetime | None]:
    """ETag and Last-Modified, from a few cheap reads: when the public set last changed, and
    what the feed shows that has no timestamp (the organisation, the rating labels)."""
    etag = make_etag(
        kind,
        claim_id,
        state.last_changed,
        state.count,
        state.status,
        state.labels,
        organisation.name,
        organisation.url,
        organisation.logo_url,
        organisation.show_reviewer_names,
        request.build_absolute_uri("/"),
        request.get_full_path(),
    )
    return etag, state.last_changed


def _cache_key(request: Request, etag: str) -> str:
    # The ETag covers the address, the query and everything the body shows; the accepted
    # media type decides how it is written (``; indent=2``). Hashed: a cache key may not hold
    # spaces or quotes.
    raw = f"{request.accepted_media_type}\n{etag}".encode()
    return f"public-api:{hashlib.sha256(raw).hexdigest()}"


def _from_cache(request: Request, etag: str) -> HttpResponse | None:
    """The response rendered earlier under this ETag, when the response cache is on."""
    if settings.PUBLIC_API_RESPONSE_CACHE_SECONDS <= 0:
        return None
    kept = cache.get(_cache_key(request, etag))
    if kept is None:
        return None
    content_type, content = kept
    return HttpResponse(content, content_type=content_type)


def _keep(response: Response, request: Request, etag: str) -> Response:
    """Store the response once rendered, under its ETag (``PUBLIC_API_RESPONSE_CACHE_SECONDS``)."""
    seconds = settings.PUBLIC_API_RESPONSE_CACHE_SECONDS
    if seconds > 0:
        key = _cache_key(request, etag)

        def store(rendered: Any) -> None:
            if rendered.status_code == 200:
                cache.set(key, (rendered["Content-Type"], rendered.content), seconds)

        response.add_post_render_callback(store)
    return response


class PublicView(GenericAPIView):
    permission_classes = (AllowAny,)
    authentication_classes = ()
    throttle_classes = (AnonymousThrottle,)


class PublishedListView(PublicView):
    """Published and corrected ratings, newest first."""

    serializer_class = PublishedItemSerializer
    pagination_class = PublicCursorPagination
    filterset_class = PublishedFilterSet

    def get_queryset(self) -> Any:
        return selectors.published_verdicts()

    @extend_schema(
        operation_id="published_list",
        summary="Published ratings, newest first (public)",
        tags=["public"],
        parameters=public_header_parameters(),
        responses={
            200: OpenApiResponse(PublishedItemSerializer(many=True)),
            304: OpenApiResponse(description=NOT_MODIFIED_DESCRIPTION),
        },
    )
    def get(self, request: Request) -> HttpResponseBase:
        state = selectors.public_state()
        organisation = state.organisation or Organisation.current()
        etag, last_modified = _validators(request, organisation, "list", state)
        if (answer := not_modified(request, etag=etag, last_modified=last_modified)) is not None:
            return answer
        if (kept := _from_cache(request, etag)) is not None:
            return public_cache_headers(kept, etag=etag, last_modified=last_modified)
        # The filter set checks the parameters and the cursor pagination pages, as the schema
        # says (filterset_class, pagination_class); the rows come from one SQL query.
        pagination = PublicCursorPagination()
        rows = _FeedRows(_feed_filters(request))
        # _FeedRows answers the three calls CursorPagination makes of a queryset.
        page: list[dict[str, Any]] | None = pagination.paginate_queryset(
            rows,  # type: ignore[arg-type]
            request,
            self,
        )
        assert page is not None  # this view always pages
        data = published_items(page, request, organisation, state)
        response = _keep(pagination.get_paginated_response(data), request, etag)
        return public_cache_headers(response, etag=etag, last_modified=last_modified)


def _feed_filters(request: Request) -> selectors.FeedFilters:
    """The feed's query parameters, checked as DjangoFilterBackend checks them (a bad one is a
    400 with field errors) without building the queryset it would filter."""
    if request.query_params.keys().isdisjoint(PublishedFilterSet.base_filters):
        # None given: nothing to check. A filter set and its form cost 0.4 ms to build.
        return selectors.FeedFilters()
    filterset = PublishedFilterSet(
        request.query_params, queryset=Verdict.objects.none(), request=request
    )
    if not filterset.is_valid():
        raise translate_validation(filterset.errors)
    data = filterset.form.cleaned_data
    return selectors.FeedFilters(
        label=data.get("label") or None,
        type=data.get("type") or None,
        speaker=data.get("speaker") or None,
        article=data.get("article") or None,
        since=data.get("since"),
        until=data.get("until"),
        q=data.get("q") or None,
    )


@dataclasses.dataclass(frozen=True)
class _FeedRows:
    """What DRF's CursorPagination asks of a queryset, answered by one SQL query
    (``selectors.published_page``): its ordering (``-published_at, -pk`` or reversed), a
    filter on the cursor's position, and a slice. DRF's own code then pages, so the cursors,
    the ``next``/``previous`` links and an invalid cursor's 400 are as before."""

    filters: selectors.FeedFilters
    oldest_first: bool = False
    before: Any = None
    after: Any = None

    def order_by(self, *ordering: str) -> _FeedRows:
        if ordering not in (("-published_at", "-pk"), ("published_at", "pk")):
            raise ValueError(f"the feed is not ordered by {ordering}")
        return dataclasses.replace(self, oldest_first=ordering[0] == "published_at")

    def filter(self, **position: Any) -> _FeedRows:
        ((lookup, value),) = position.items()
        if lookup == "published_at__lt":
            return dataclasses.replace(self, before=value)
        if lookup == "published_at__gt":
            return dataclasses.replace(self, after=value)
        raise ValueError(f"the feed is not filtered by {lookup}")

    def __getitem__(self, rows: slice) -> list[dict[str, Any]]:
        offset = rows.start or 0
        return selectors.published_page(
            self.filters,
            offset=offset,
            limit=rows.stop - offset,
            oldest_first=self.oldest_first,
            before=self.before,
            after=self.after,
        )


class PublishedDetailView(PublicView):
    serializer_class = PublishedDetailSerializer
    filter_backends = ()
    pagination_class = None

    @extend_schema(
        operation_id="published_retrieve",
        summary="One published rating, with its versions (public)",
        description="`id` is the claim's id: it stays the same when the rating is corrected. "
        "A retracted rating answers 410 Gone, without its text.",
        tags=["public"],
        parameters=public_header_parameters(),
        responses={
            200: PublishedDetailSerializer,
            304: OpenApiResponse(description=NOT_MODIFIED_DESCRIPTION),
            (410, PROBLEM_MEDIA_TYPE): OpenApiResponse(
                ProblemSerializer, description="Retracted: the verdict is no longer published."
            ),
        },
    )
    def get(self, request: Request, pk: int) -> HttpResponseBase:
        found = selectors.published_rating(pk)
        if found is None:
            raise Http404("No such published rating.")
        state, editions = found
        organisation = state.organisation or Organisation.current()
        etag, last_modified = _validators(request, organisation, "detail", state, pk)
        if (answer := not_modified(request, etag=etag, last_modified=last_modified)) is not None:
            return answer
        if (kept := _from_cache(request, etag)) is not None:
            return public_cache_headers(kept, etag=etag, last_modified=last_modified)
        rule = selectors.public_editions((v["edition"], v["state"]) for v in editions)
        if rule.retracted is not None:
            retracted = next(v for v in editions if v["edition"] == rule.retracted)
            when = f" on {retracted['retracted_at']:%Y-%m-%d}" if retracted["retracted_at"] else ""
            response = problem_response(
                request,
                410,
                "gone",
                f"This rating was retracted{when}.",
                page_url=public_page_url(request, pk),
            )
            return public_cache_headers(response, etag=etag, last_modified=last_modified)
        data = published_detail(
            [v for v in editions if v["edition"] in rule.shown], request, organisation, state
        )
        if data is None:
            raise Http404("No such published rating.")
        response = _keep(Response(data), request, etag)
        return public_cache_headers(response, etag=etag, last_modified=last_modified)


# --- exports --------------------------------------------------------------------------------------


class _FirstRenderer(BaseContentNegotiation):
    """Exports answer in their own format whatever the client accepts; errors in JSON."""

    def select_renderer(self, request: Any, renderers: Any, format_suffix: Any = None) -> Any:
        return renderers[0], renderers[0].media_type

    def select_parser(self, request: Any, parsers: Any) -> Any:
        return parsers[0] if parsers else None


EXPORT_COLUMNS = [
    "claim_id",
    "claim_text",
    "speaker",
    "claim_types",
    "claim_date",
    "article_title",
    "article_url",
    "article_outlet",
    "article_published",
    "label",
    "label_name",
    "rating_value",
    "best_rating",
    "worst_rating",
    "averitec_label",
    "summary",
    "justification",
    "edition",
    "corrected",
    "correction_note",
    "published_at",
    "sources",
    "page_url",
    "api_url",
]


def export_row(verdict: Verdict, request: Any) -> dict[str, Any]:
    claim, label = verdict.claim, verdict.label
    article = claim.article
    return {
        "claim_id": claim.pk,
        "claim_text": claim.text,
        "speaker": claim.speaker,
        "claim_types": " ".join(claim.types or []),
        "claim_date": claim.date.isoformat() if claim.date else "",
        "article_title": article.title,
        "article_url": article.url,
        "article_outlet": article.outlet,
        "article_published": article.published.isoformat() if article.published else "",
        "label": label.slug,
        "label_name": label.name,
        "rating_value": label.rating_value if label.rating_value is not None else "",
        "best_rating": label.scale.best_rating,
        "worst_rating": label.scale.worst_rating,
        "averitec_label": label.averitec,
        "summary": verdict.summary,
        "justification": verdict.justification,
        "edition": verdict.edition,
        "corrected": verdict.corrects_id is not None,
        "correction_note": verdict.correction_note,
        "published_at": verdict.published_at.isoformat() if verdict.published_at else "",
        "sources": " ".join(sorted(s.url for s in verdict.sources.all())),
        "page_url": public_page_url(request, claim.pk),
        "api_url": request.build_absolute_uri(reverse("api-published-detail", args=[claim.pk])),
    }


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_safe(value: Any) -> Any:
    """Spreadsheets run a cell starting with = + - @ as a formula (CSV injection)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _csv_lines(rows: Iterator[dict[str, Any]]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=EXPORT_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _csv_safe(v) for k, v in row.items()})
        if buffer.tell() > 64_000:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _jsonl_lines(rows: Iterator[dict[str, Any]]) -> Iterator[str]:
    for row in rows:
        yield json.dumps(row, ensure_ascii=False) + "\n"


EXPORT_FORMATS = {
    "csv": ("text/csv; charset=utf-8", _csv_lines, "published-ratings.csv"),
    "jsonl": ("application/jsonl; charset=utf-8", _jsonl_lines, "published-ratings.jsonl"),
}


class PublishedExportView(PublicView):
    """The whole published set (filters as the feed), streamed, for researchers."""

    filterset_class = PublishedFilterSet
    pagination_class = None
    content_negotiation_class = _FirstRenderer
    export_format = "csv"

    def get(self, request: Request) -> HttpResponseBase:
        state = selectors.public_state()
        organisation = state.organisation or Organisation.current()
        etag, last_modified = _validators(
            request, organisation, f"export-{self.export_format}", state
        )
        if (answer := not_modified(request, etag=etag, last_modified=last_modified)) is not None:
            return answer
        queryset = self.filter_queryset(selectors.published_verdicts().prefetch_related("sources"))
        content_type, lines, filename = EXPORT_FORMATS[self.export_format]
        rows = (export_row(v, request) for v in queryset.iterator(chunk_size=500))
        response = StreamingHttpResponse(
            (line.encode("utf-8") for line in lines(rows)), content_type=content_type
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return public_cache_headers(response, etag=etag, last_modified=last_modified)


def _export_view(fmt: str, media_type: str, description: str) -> type[PublishedExportView]:
    def get(self: PublishedExportView, request: Request) -> HttpResponseBase:
        return PublishedExportView.get(self, request)

    # A function of its own for each format: the schema decoration is stored on it.
    documented = extend_schema(
        operation_id=f"published_export_{fmt}",
        summary=f"Export the published ratings as {fmt.upper()} (public)",
        description=description,
        tags=["public"],
        parameters=public_header_parameters(),
        responses={
            (200, media_type): OpenApiResponse(OpenApiTypes.STR),
            304: OpenApiResponse(description=NOT_MODIFIED_DESCRIPTION),
        },
    )(get)
    return type(
        f"PublishedExport{fmt.upper()}View",
        (PublishedExportView,),
        {"export_format": fmt, "get": documented},
    )


_EXPORT_DESCRIPTION = (
    "One row per published rating (current versions), newest first, with the columns "
    + ", ".join(f"`{c}`" for c in EXPORT_COLUMNS)
    + ". `averitec_label` maps each rating to AVeriTeC's four labels (Supported, Refuted, "
    "Not Enough Evidence, Conflicting Evidence/Cherrypicking)."
)
PublishedExportCSVView = _export_view(
    "csv",
    "text/csv",
    _EXPORT_DESCRIPTION + " Cells that a spreadsheet would run as a formula are prefixed with `'`.",
)
PublishedExportJSONLView = _export_view(
    "jsonl", "application/jsonl", _EXPORT_DESCRIPTION + " One JSON object per line."
)
