"""The two types every ingest path returns or raises."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Literal

SourceFormat = Literal["text", "markdown", "html", "url"]

#: Default ceiling for uploads and downloads. Articles are a few hundred KB at most; anything
#: much larger is a media file or a hostile response, and would only cost memory.
DEFAULT_MAX_BYTES = 6 * 1024 * 1024


class IngestError(Exception):
    """Input we cannot turn into an article.

    ``message`` is meant to be shown to the user as is; ``code`` is a short stable identifier
    for callers that need to branch (e.g. to pick an HTTP status) without parsing the sentence:

    * the input: ``unsupported_type``, ``binary``, ``not_utf8``, ``empty``, ``too_large``,
      ``no_text`` (an HTML page without article text);
    * fetching: ``invalid_url``, ``blocked_address`` (private/local network), ``dns``,
      ``connection_refused``, ``timeout``, ``tls``, ``network``, ``http_status`` (4xx/5xx),
      ``too_many_redirects``, ``bad_response``.
    """

    def __init__(self, message: str, *, code: str = "invalid_input") -> None:
        super().__init__(message)
        self.message = message
        self.code = code

    def __str__(self) -> str:
        return self.message

    def __reduce__(self) -> tuple[type[IngestError], tuple[str], dict[str, str]]:
        # Keep the code when the error crosses a process boundary (task queues pickle it).
        return (type(self), (self.message,), {"code": self.code})


@dataclass(frozen=True)
class IngestedDocument:
    #: The article's main text. Stored verbatim: claim offsets point into exactly this string.
    text: str
    title: str | None
    #: Author(s), several joined with ", ".
    byline: str | None
    #: Publication date as the publisher wrote it (their local calendar day, not UTC), because
    #: relative dates in the text ("on Thursday") are relative to that day.
    published: datetime.date | None
    #: Site name / publisher.
    outlet: str | None
    #: Canonical URL if the page names one, else the URL the page was fetched from.
    url: str | None
    source_format: SourceFormat
