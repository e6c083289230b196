"""Conditional GET and CDN caching for the public endpoints, in one place."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, quote_etag


def make_etag(*parts: Any) -> str:
    raw = "\x1f".join(str(p) for p in parts)
    return quote_etag(hashlib.sha256(raw.encode("utf-8")).hexdigest()[:32])


def public_cache_headers[R: HttpResponseBase](
    response: R, *, etag: str, last_modified: dt.datetime | None
) -> R:
    """ETag, Last-Modified and a Cache-Control a CDN may honour, on a public response."""
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified.timestamp())
    patch_cache_control(
        response,
        public=True,
        max_age=settings.PUBLIC_API_CACHE_MAX_AGE,
        s_maxage=settings.PUBLIC_API_CACHE_S_MAXAGE,
    )
    # Partner platforms read the feed from their own pages too.
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Expose-Headers"] = "ETag, Last-Modified, Retry-After"
    return response


def not_modified(
    request: HttpRequest, *, etag: str, last_modified: dt.datetime | None
) -> HttpResponseBase | None:
    """A 304 (with the validators and caching headers) when the client's copy is current,
    else ``None``. Called before the expensive work, so a CDN's revalidation is cheap."""
    template = public_cache_headers(HttpResponse(), etag=etag, last_modified=last_modified)
    answer = get_conditional_response(
        request,
        etag=etag,
        last_modified=int(last_modified.timestamp()) if last_modified is not None else None,
        response=template,
    )
    if answer is template:
        return None
    if answer is not None and answer.status_code == 304:
        public_cache_headers(answer, etag=etag, last_modified=last_modified)
    return answer


def public_header_parameters() -> list[Any]:
    """The caching headers of public responses, for the schema."""
    from drf_spectacular.utils import OpenApiParameter

    described = {
        "ETag": "Validator for If-None-Match.",
        "Last-Modified": "Validator for If-Modified-Since.",
        "Cache-Control": "Public; a CDN may cache it.",
    }
    requests = {
        "If-None-Match": "An ETag you hold: 304 when it is still current.",
        "If-Modified-Since": "The Last-Modified you hold: 304 when nothing changed since.",
    }
    return [
        *(
            OpenApiParameter(
                name, str, OpenApiParameter.HEADER, description=text, response=[200, 304]
            )
            for name, text in described.items()
        ),
        *(
            OpenApiParameter(name, str, OpenApiParameter.HEADER, description=text)
            for name, text in requests.items()
        ),
    ]


# Public GETs also answer 304 Not Modified (no body) to a conditional request.
NOT_MODIFIED_DESCRIPTION = "Not modified since the copy you hold (no body)."
