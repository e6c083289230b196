"""A corpus of hostile input, and where each piece applies.

Every case names the places (``surfaces``) it can be sent to: the command line and the
services use it now; the web forms and the API reuse the same cases (the surfaces say which
field of which form or endpoint). A case is either refused there (a clear 4xx or error
message, the database unchanged) or, for markup and odd Unicode that is valid text, stored
exactly as sent and escaped when shown (``accepted``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

# Where a value can be sent.
ARTICLE_TEXT = "article text"  # pasted text, an uploaded file's text, the API's "text"
ARTICLE_FILE = "article file"  # raw bytes of an uploaded or command-line file
OFFSET = "offset"  # start/end of a claim or annotation
TEXT_FIELD = "text field"  # comment, justification, excerpt, title, summary, reason
NUMBER = "number"  # confidence, versions
LABEL = "label"  # rating or annotation label, by slug or id
URL = "url"  # a source's address or archive
DATE = "date"  # a source's publication date, a claim's date
CLAIM_TYPES = "claim types"
FIGURES = "figures"
JSON_BODY = "json body"  # a raw request body (API, htmx)
CONTENT_TYPE = "content type"  # (content type, raw body): a body the endpoint does not read

SURFACES = (
    ARTICLE_TEXT,
    ARTICLE_FILE,
    OFFSET,
    TEXT_FIELD,
    NUMBER,
    LABEL,
    URL,
    DATE,
    CLAIM_TYPES,
    FIGURES,
    JSON_BODY,
    CONTENT_TYPE,
)


@dataclass(frozen=True)
class Case:
    name: str
    value: Any
    surfaces: frozenset[str]
    accepted: bool = False  # valid input: stored exactly, escaped on display
    why: str = ""

    def __str__(self) -> str:
        return self.name


def case(name: str, value: Any, *surfaces: str, accepted: bool = False, why: str = "") -> Case:
    return Case(name, value, frozenset(surfaces), accepted, why)


SCRIPT = "<script>document.title='pwned'</script><img src=x onerror=alert(1)>"

CORPUS: tuple[Case, ...] = (
    # --- sizes ------------------------------------------------------------------------------
    case(
        "oversized article",
        None,
        ARTICLE_TEXT,
        ARTICLE_FILE,
        JSON_BODY,
        why="built to ARTICLE_MAX_BYTES + 1 by oversized_text()",
    ),
    case("oversized comment", "x" * 20_001, TEXT_FIELD),
    case("empty", "", ARTICLE_TEXT, ARTICLE_FILE, TEXT_FIELD, URL),
    case(
        "only whitespace", " \n\t\u00a0\u2028\u3000 ", ARTICLE_TEXT, ARTICLE_FILE, TEXT_FIELD, URL
    ),
    # --- bytes that are not text ------------------------------------------------------------
    case("NUL in text", "At least 12 soldiers\x00 were killed.", ARTICLE_TEXT, TEXT_FIELD, URL),
    case("NUL bytes in a file", b"At least 12\x00\x00 killed", ARTICLE_FILE),
    case("invalid UTF-8", b"Soldiers \xff\xfe were \xc3\x28 killed.", ARTICLE_FILE, JSON_BODY),
    case("UTF-16 with BOM", "Soldiers were killed.".encode("utf-16"), ARTICLE_FILE),
    case("PNG image", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", ARTICLE_FILE),
    case(
        "lone surrogate",
        "Soldiers \ud800 were killed.",
        ARTICLE_TEXT,
        TEXT_FIELD,
        why="JSON may carry \\ud800; no database can store it",
    ),
    # --- wrong types ------------------------------------------------------------------------
    case("number instead of text", 12345, ARTICLE_TEXT, TEXT_FIELD, URL, CLAIM_TYPES),
    case("list instead of text", ["a", "b"], ARTICLE_TEXT, TEXT_FIELD, URL, OFFSET, NUMBER),
    case(
        "object instead of text", {"$gt": ""}, ARTICLE_TEXT, TEXT_FIELD, URL, OFFSET, NUMBER, LABEL
    ),
    case("null", None, OFFSET, NUMBER, CLAIM_TYPES),
    case("text instead of number", "twelve", OFFSET, NUMBER),
    case("boolean instead of number", True, OFFSET, NUMBER, FIGURES, LABEL),
    case("fraction instead of whole number", 3.7, OFFSET, NUMBER),
    # --- numbers out of range ---------------------------------------------------------------
    case("negative number", -1, OFFSET, NUMBER),
    case("huge number", 10**30, OFFSET, NUMBER, LABEL),
    case("infinity", float("inf"), OFFSET, NUMBER),
    case("not a number", float("nan"), OFFSET, NUMBER),
    case("offset past the end", 10**6, OFFSET),
    case("zero confidence", 0, NUMBER),
    # --- identifiers and enums --------------------------------------------------------------
    case("unknown label", "certainly-true", LABEL),
    case("path traversal", "../../../etc/passwd", LABEL, URL),
    case("SQL in an identifier", "true' OR '1'='1", LABEL, CLAIM_TYPES),
    case("empty list of types", [], CLAIM_TYPES),
    case("unknown claim type", ["opinion"], CLAIM_TYPES),
    case("types as a string", "casualty", CLAIM_TYPES),
    # A lone surrogate where the value is a choice: refused, and quoted back in the error.
    case("lone surrogate as a type", ["casualty", "\ud800"], CLAIM_TYPES),
    case("lone surrogate as a label", "\ud800", LABEL),
    case("lone surrogate as a hedge", [{"value": 12, "hedge": "\ud800"}], FIGURES),
    # --- addresses --------------------------------------------------------------------------
    case("javascript: URL", "javascript:alert(document.cookie)", URL),
    case("data: URL", "data:text/html,<script>alert(1)</script>", URL),
    case("file: URL", "file:///etc/passwd", URL),
    case("URL without host", "http://", URL),
    case("URL with spaces", "http://exa mple.org/a b", URL),
    case("overlong URL", "https://example.org/" + "a" * 2_000, URL),
    # --- dates ------------------------------------------------------------------------------
    case("impossible date", "2020-13-45", DATE),
    case("date in words", "last Thursday", DATE),
    case("year 99999", "99999-01-01", DATE),
    # --- figures ----------------------------------------------------------------------------
    case("figure as text", [{"value": "12"}], FIGURES),
    case("figure beyond range", [{"value": 1e300}], FIGURES),
    case("figure range upside down", [{"value": [30, 12]}], FIGURES),
    case("unknown hedge", [{"value": 12, "hedge": "roughly"}], FIGURES),
    # --- request bodies (API and htmx) -------------------------------------------------------
    case("malformed JSON", b'{"text": "soldiers", ', JSON_BODY),
    case("JSON array instead of object", b'["text"]', JSON_BODY),
    case("deeply nested JSON", b"[" * 100_000 + b"]" * 100_000, JSON_BODY),
    case("JSON with Infinity", b'{"version": Infinity, "start": NaN}', JSON_BODY),
    case("plain text body", ("text/plain", b'{"body": "x"}'), CONTENT_TYPE),
    case("XML body", ("application/xml", b"<comment><body>x</body></comment>"), CONTENT_TYPE),
    case(
        "JSON in a charset it is not",
        ("application/json; charset=utf-16", b'{"body": "x", "reason": "x"}'),
        CONTENT_TYPE,
    ),
    case("multipart without a boundary", ("multipart/form-data", b"body=x"), CONTENT_TYPE),
    # --- valid text that looks dangerous: stored exactly, escaped on display ----------------
    case(
        "script and HTML",
        f"Officials said {SCRIPT} 12 died.",
        ARTICLE_TEXT,
        TEXT_FIELD,
        accepted=True,
    ),
    case(
        "template syntax",
        "{{ settings.SECRET_KEY }} {% debug %} {{7*7}} ${7*7}",
        ARTICLE_TEXT,
        TEXT_FIELD,
        accepted=True,
    ),
    case(
        "SQL in text",
        "Robert'); DROP TABLE claims_claim;-- said 12 died.",
        ARTICLE_TEXT,
        TEXT_FIELD,
        accepted=True,
    ),
    case(
        "right-to-left",
        "قالت الوزارة إن 12 جنديا قتلوا \u202eأمس\u202c. המשרד אמר.",
        ARTICLE_TEXT,
        TEXT_FIELD,
        accepted=True,
    ),
    case(
        "combining characters",
        "Z\u0351\u0352\u0353a\u0301\u0301\u0301lgo e\u0301 12 died.",
        ARTICLE_TEXT,
        TEXT_FIELD,
        accepted=True,
    ),
    case("emoji", "12 died 👨‍👩‍👧 🇦🇲🇦🇿 👍🏽 \U0001f9df.", ARTICLE_TEXT, TEXT_FIELD, accepted=True),
    case(
        "control characters",
        "12 died\x07\x1b[31m red\x7f.",
        ARTICLE_TEXT,
        TEXT_FIELD,
        accepted=True,
    ),
    case(
        "Windows line endings",
        "Border clashes\r\n\r\nAt least 12 soldiers were killed.\r\n",
        ARTICLE_TEXT,
        accepted=True,
    ),
)


def cases(surface: str, *, accepted: bool | None = False) -> list[Case]:
    """The cases that apply to a surface: refused ones by default, accepted ones with
    ``accepted=True``, all with ``accepted=None``."""
    return [
        c for c in CORPUS if surface in c.surfaces and (accepted is None or c.accepted == accepted)
    ]


def names(items: Iterable[Case]) -> list[str]:
    return [c.name for c in items]


def oversized_text(limit: int) -> str:
    """Plain prose one byte over the limit (the limit is bytes of UTF-8)."""
    unit = "At least 12 soldiers were killed, the ministry said. "
    return (unit * (limit // len(unit) + 2))[: limit + 1]
