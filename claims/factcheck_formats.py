"""Other organisations' fact-checks, read from the files they publish. Plain Python: no Django.

Two formats:

- **ClaimReview** (schema.org JSON-LD), as fact-checkers put it in their pages and as Google's
  Fact Check Tools export it: one ClaimReview object, a list of them, a ``DataFeed`` whose
  ``dataFeedElement`` items carry them, an ``@graph``, JSON Lines (one document a line), and
  the Fact Check Tools API's own shapes (``claims[].claimReview[]`` from claims:search and
  ``claimReviewMarkups`` from the markup pages).
- **TSV** with a header row naming its columns: ``id``, ``claim``, and any of ``title``,
  ``url``, ``rating``, ``publisher``, ``date``, ``language`` (and ``claimant``). Fields may be
  quoted as spreadsheets and pandas write them (``"a ""quoted"" word"``, line breaks inside
  quotes). A few other names are read as these (``vclaim`` for ``claim``, a nameless first
  column for ``id``, as pandas writes its index): see ``TSV_COLUMNS``.

``parse()`` returns the good records with where each came from, and one ``RowError`` per bad
record, saying which and why; a file that cannot be read at all raises ``FormatError``. What a
record means (identity, update or create) is the importing service's business.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

FORMATS = ("claimreview", "tsv")

# The longest value each field may hold (the database columns' sizes).
LIMITS = {
    "publisher": 200,
    "external_id": 200,
    "url": 2000,
    "title": 1000,
    "rating_text": 300,
    "claimant": 300,
    "language": 35,
    "claim_text": 20_000,
}


class FormatError(ValueError):
    """The file as a whole cannot be read (not JSON, no header, no claim column...)."""


@dataclass(frozen=True)
class FactCheckRecord:
    """One fact-check as its publisher gives it: their rating in their words."""

    publisher: str
    claim_text: str
    external_id: str = ""
    url: str = ""
    title: str = ""
    rating_text: str = ""
    claimant: str = ""
    published: dt.date | None = None
    language: str = ""

    @property
    def key(self) -> tuple[str, str, str]:
        """Its identity: (publisher, "id", id) or, without an id, (publisher, "url", url)."""
        if self.external_id:
            return (self.publisher, "id", self.external_id)
        return (self.publisher, "url", self.url)

    @property
    def ref(self) -> str:
        return self.external_id or self.url


@dataclass(frozen=True)
class RowError:
    """Why one record was not imported. ``row`` is the TSV line it starts on, or the
    ClaimReview's position (1 = the first) in the file."""

    row: int
    message: str
    ref: str = ""

    def __str__(self) -> str:
        where = f"row {self.row}" + (f" ({self.ref})" if self.ref else "")
        return f"{where}: {self.message}"


@dataclass
class Parsed:
    format: str
    records: list[tuple[int, FactCheckRecord]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.records) + len(self.errors)


class _BadRecord(ValueError):
    pass


# --- shared cleaning -------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_ISO_DATE = re.compile(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:$|[T\s])")


def _text(value: Any, what: str, *, one_line: bool = True) -> str:
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise _BadRecord(f"the {what} must be text, not {type(value).__name__}")
    text = str(value)
    if "\x00" in text:
        raise _BadRecord(f"the {what} contains a NUL character")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise _BadRecord(f"the {what} is not valid Unicode") from None
    text = _CONTROL.sub("", text)
    text = " ".join(text.split()) if one_line else text.strip()
    return text


def _limit(text: str, what: str, key: str) -> str:
    limit = LIMITS[key]
    if len(text) > limit:
        raise _BadRecord(f"the {what} is too long ({len(text):,} characters; {limit:,} at most)")
    return text


def parse_date(value: Any) -> dt.date | None:
    """An ISO date, or the date of an ISO date-time (``2020-03-01T10:00:00Z``)."""
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise _BadRecord(f"the date {value!r} is not a date (give YYYY-MM-DD)")
    match = _ISO_DATE.match(value + " ")
    if not match:
        raise _BadRecord(f"the date {value.strip()!r} is not a date (give YYYY-MM-DD)")
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        raise _BadRecord(f"the date {value.strip()!r} does not exist") from None


def clean_url(value: Any) -> str:
    url = _text(value, "url")
    if not url:
        return ""
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or " " in url:
        raise _BadRecord(f"the url {url[:200]!r} is not a web address (http:// or https://)")
    return _limit(url, "url", "url")


def make_record(
    *,
    publisher: Any,
    claim_text: Any,
    external_id: Any = "",
    url: Any = "",
    title: Any = "",
    rating_text: Any = "",
    claimant: Any = "",
    published: Any = None,
    language: Any = "",
) -> FactCheckRecord:
    """A checked record, or ``_BadRecord`` saying what is wrong with it."""
    claim = _limit(_text(claim_text, "claim"), "claim", "claim_text")
    if not claim:
        raise _BadRecord("the claim is empty")
    pub = _limit(_text(publisher, "publisher"), "publisher", "publisher")
    if not pub:
        raise _BadRecord("no publisher: the record names none and no default publisher was given")
    ident = _limit(_text(external_id, "id"), "id", "external_id")
    link = clean_url(url)
    if not ident and not link:
        raise _BadRecord("neither an id nor a url: one of them is needed to recognise it again")
    date = published if isinstance(published, dt.date) else parse_date(published)
    return FactCheckRecord(
        publisher=pub,
        claim_text=claim,
        external_id=ident,
        url=link,
        title=_limit(_text(title, "title"), "title", "title"),
        rating_text=_limit(_text(rating_text, "rating"), "rating", "rating_text"),
        claimant=_limit(_text(claimant, "claimant"), "claimant", "claimant"),
        published=date,
        language=_limit(_text(language, "language"), "language", "language"),
    )


def _keep(
    parsed: Parsed,
    row: int,
    build: Any,
    seen: dict[tuple[str, str, str], int],
    ref: Any = "",
) -> None:
    """Add the record ``build()`` makes, or the error it raises (naming the record by
    ``ref``, its id or url as given, when it has one); a second record with the same identity
    in one file is an error (which one is meant cannot be told)."""
    try:
        record: FactCheckRecord = build()
    except _BadRecord as exc:
        shown = " ".join(ref.split())[:200] if isinstance(ref, str) else ""
        parsed.errors.append(RowError(row, str(exc), shown))
        return
    first = seen.get(record.key)
    if first is not None:
        parsed.errors.append(
            RowError(row, f"the same fact-check as row {first}; only the first is kept", record.ref)
        )
        return
    seen[record.key] = row
    parsed.records.append((row, record))


# --- TSV -------------------------------------------------------------------------------------

# Each field and the header names read as it (lower-cased, spaces and dashes as underscores).
TSV_COLUMNS: dict[str, tuple[str, ...]] = {
    "external_id": ("id", "vclaim_id", "identifier", "fact_check_id"),
    "claim_text": ("claim", "vclaim", "claim_reviewed", "claimreviewed", "claim_text"),
    "title": ("title", "headline"),
    "url": ("url", "link", "review_url"),
    "rating_text": ("rating", "textual_rating", "textualrating", "verdict"),
    "publisher": ("publisher", "author", "fact_checker"),
    "published": ("date", "date_published", "datepublished", "review_date", "reviewdate"),
    "language": ("language", "lang", "language_code", "languagecode", "inlanguage"),
    "claimant": ("claimant", "speaker", "claim_author"),
}
_ALIAS = {name: key for key, names in TSV_COLUMNS.items() for name in names}


def _decode(data: bytes | str) -> str:
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FormatError(
            f"The file is not UTF-8 text (byte {exc.start:,} cannot be read); "
            "save it as UTF-8 and import it again."
        ) from None


def _header(cells: list[str]) -> tuple[dict[str, int], list[str]]:
    columns: dict[str, int] = {}
    ignored: list[str] = []
    for i, raw in enumerate(cells):
        name = re.sub(r"[\s\-]+", "_", raw.strip().lower())
        key = _ALIAS.get(name)
        if key is None and name == "" and i == 0:
            key = "external_id"  # pandas writes its index as a nameless first column
        if key is None:
            if raw.strip():
                ignored.append(raw.strip())
            continue
        if key in columns:
            raise FormatError(f"The header names the {key.replace('_', ' ')} twice ({raw!r}).")
        columns[key] = i
    if "claim_text" not in columns:
        raise FormatError(
            "The header row names no claim column: the first line must name the columns, "
            "tab-separated, among them id and claim."
        )
    if "external_id" not in columns and "url" not in columns:
        raise FormatError("The header row names neither an id nor a url column.")
    return columns, ignored


def parse_tsv(data: bytes | str, *, publisher: str = "") -> Parsed:
    text = _decode(data)
    parsed = Parsed(format="tsv")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter="\t", quotechar='"')
    try:
        head = next(reader, None)
    except csv.Error as exc:
        raise FormatError(f"The header row cannot be read: {exc}.") from None
    if head is None or not any(c.strip() for c in head):
        raise FormatError("The file is empty: it needs a header row and one row per fact-check.")
    columns, parsed.ignored_columns = _header(head)
    width = len(head)
    seen: dict[tuple[str, str, str], int] = {}
    line = reader.line_num
    while True:
        start = line + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            parsed.errors.append(RowError(start, f"the row cannot be read: {exc}"))
            line = reader.line_num
            continue
        line = reader.line_num
        if not any(c.strip() for c in cells):
            continue
        if len(cells) > width:
            parsed.errors.append(
                RowError(
                    start,
                    f"the row has {len(cells)} fields but the header names {width} "
                    "(a tab inside a field?)",
                )
            )
            continue

        def value(key: str, cells: list[str] = cells) -> str:
            i = columns.get(key)
            return cells[i] if i is not None and i < len(cells) else ""

        def build(value: Any = value) -> FactCheckRecord:
            return make_record(
                publisher=value("publisher").strip() or publisher,
                claim_text=value("claim_text"),
                external_id=value("external_id"),
                url=value("url"),
                title=value("title"),
                rating_text=value("rating_text"),
                claimant=value("claimant"),
                published=value("published"),
                language=value("language"),
            )

        _keep(parsed, start, build, seen, value("external_id").strip() or value("url").strip())
    return parsed


# --- ClaimReview (JSON-LD) -------------------------------------------------------------------


def _types(obj: dict[str, Any]) -> set[str]:
    kind = obj.get("@type", obj.get("type"))
    kinds = kind if isinstance(kind, list) else [kind]
    # "schema:ClaimReview" and "http://schema.org/ClaimReview" are the same type.
    return {str(k).rsplit("/", 1)[-1].rsplit(":", 1)[-1] for k in kinds if k}


def _name(value: Any) -> str:
    """The name of an Organization or Person (or of the first of a list), or the text."""
    if isinstance(value, list):
        for item in value:
            name = _name(item)
            if name:
                return name
        return ""
    if isinstance(value, dict):
        for key in ("name", "legalName", "alternateName"):
            if isinstance(value.get(key), str) and value[key].strip():
                return str(value[key])
        return ""
    return value if isinstance(value, str) else ""


def _first(value: Any) -> Any:
    return value[0] if isinstance(value, list) and value else value


def _language(value: Any) -> str:
    value = _first(value)
    if isinstance(value, dict):
        return str(value.get("alternateName") or value.get("name") or "")
    return value if isinstance(value, str) else ""


def _rating(value: Any) -> str:
    value = _first(value)
    if isinstance(value, str):
        return value
    if not isinstance(value, dict):
        return ""
    for key in ("alternateName", "name", "textualRating"):
        if isinstance(value.get(key), str) and value[key].strip():
            return str(value[key])
    if value.get("ratingValue") not in (None, ""):
        best = value.get("bestRating")
        return (
            f"{value['ratingValue']}/{best}"
            if best not in (None, "")
            else str(value["ratingValue"])
        )
    return ""


def _id(obj: dict[str, Any]) -> str:
    for key in ("identifier", "@id"):
        value = _first(obj.get(key))
        if isinstance(value, dict):
            value = value.get("value")
        if isinstance(value, str | int) and not isinstance(value, bool) and str(value).strip():
            text = str(value).strip()
            # A blank node id ("_:b0") names nothing outside this file.
            if not text.startswith("_:"):
                return text
    return ""


def _claimreview_fields(obj: dict[str, Any], publisher: str) -> dict[str, Any]:
    item = _first(obj.get("itemReviewed"))
    item = item if isinstance(item, dict) else {}
    url = obj.get("url")
    ident = _id(obj)
    if ident == url:
        ident = ""  # an @id that is the page's address is the url, not a separate id
    return {
        "publisher": _name(obj.get("author")) or _name(obj.get("publisher")) or publisher,
        "claim_text": obj.get("claimReviewed") or _name(item) or "",
        "external_id": ident,
        "url": url if isinstance(url, str) else _first(url) or "",
        "title": obj.get("headline") or obj.get("name") or "",
        "rating_text": _rating(obj.get("reviewRating")),
        "claimant": _name(item.get("author")),
        "published": obj.get("datePublished") or obj.get("dateCreated") or None,
        "language": _language(obj.get("inLanguage")),
    }


def _google_api_fields(
    claim: dict[str, Any], review: dict[str, Any], publisher: str
) -> dict[str, Any]:
    """Google Fact Check Tools' claims:search: a claim with the reviews of it."""
    return {
        "publisher": _name(review.get("publisher")) or publisher,
        "claim_text": claim.get("text") or "",
        "external_id": "",
        "url": review.get("url") or "",
        "title": review.get("title") or "",
        "rating_text": review.get("textualRating") or "",
        "claimant": claim.get("claimant") or "",
        "published": review.get("reviewDate") or None,
        "language": review.get("languageCode") or "",
    }


def _markup_fields(page: dict[str, Any], markup: dict[str, Any], publisher: str) -> dict[str, Any]:
    """Google Fact Check Tools' markup pages: a page with its ClaimReview markups."""
    return {
        "publisher": _name(page.get("claimReviewAuthor")) or publisher,
        "claim_text": markup.get("claimReviewed") or "",
        "external_id": "",
        "url": markup.get("url") or page.get("pageUrl") or "",
        "title": "",
        "rating_text": _rating(markup.get("rating")),
        "claimant": _name(markup.get("claimAuthor")),
        "published": page.get("publishDate") or None,
        "language": "",
    }


def _reviews(doc: Any, publisher: str, depth: int = 0) -> Iterator[dict[str, Any] | str]:
    """The fact-checks in a JSON document, as keyword arguments for ``make_record``, or the
    reason an object that should be one is not."""
    if depth > 8:
        return
    if isinstance(doc, list):
        for item in doc:
            yield from _reviews(item, publisher, depth + 1)
        return
    if not isinstance(doc, dict):
        yield f"expected a ClaimReview object, found {type(doc).__name__}"
        return
    kinds = _types(doc)
    if "ClaimReview" in kinds:
        yield _claimreview_fields(doc, publisher)
    elif "DataFeed" in kinds or "dataFeedElement" in doc:
        yield from _reviews(doc.get("dataFeedElement") or [], publisher, depth + 1)
    elif "DataFeedItem" in kinds:
        yield from _reviews(doc.get("item") or [], publisher, depth + 1)
    elif "@graph" in doc:
        yield from _reviews(doc["@graph"], publisher, depth + 1)
    elif isinstance(doc.get("claims"), list):
        for claim in doc["claims"]:
            reviews = claim.get("claimReview") if isinstance(claim, dict) else None
            if not isinstance(reviews, list) or not reviews:
                yield "a claim with no claimReview"
                continue
            for review in reviews:
                if isinstance(review, dict):
                    yield _google_api_fields(claim, review, publisher)
                else:
                    yield "a claimReview that is not an object"
    elif isinstance(doc.get("claimReviewMarkups"), list):
        for markup in doc["claimReviewMarkups"]:
            if isinstance(markup, dict):
                yield _markup_fields(doc, markup, publisher)
            else:
                yield "a claimReviewMarkup that is not an object"
    elif isinstance(doc.get("claimReview"), list | dict) and "text" in doc:
        for review in (
            doc["claimReview"] if isinstance(doc["claimReview"], list) else [doc["claimReview"]]
        ):
            if isinstance(review, dict):
                yield _google_api_fields(doc, review, publisher)
    else:
        found = ", ".join(sorted(kinds)) or "no @type"
        yield f"not a ClaimReview ({found})"


def _documents(text: str) -> list[Any]:
    try:
        return [json.loads(text)]
    except json.JSONDecodeError as whole:
        # JSON Lines: one document per line.
        lines = [line for line in text.splitlines() if line.strip()]
        if len(lines) > 1:
            docs = []
            for n, line in enumerate(lines, 1):
                try:
                    docs.append(json.loads(line))
                except json.JSONDecodeError:
                    break
                if n == len(lines):
                    return docs
        raise FormatError(
            f"The file is not JSON: {whole.msg} at line {whole.lineno}, column {whole.colno}."
        ) from None


def parse_claimreview(data: bytes | str, *, publisher: str = "") -> Parsed:
    text = _decode(data)
    if not text.strip():
        raise FormatError("The file is empty.")
    parsed = Parsed(format="claimreview")
    seen: dict[tuple[str, str, str], int] = {}
    position = 0
    for doc in _documents(text):
        for found in _reviews(doc, publisher):
            position += 1
            if isinstance(found, str):
                parsed.errors.append(RowError(position, found))
                continue
            ref = found.get("external_id") or found.get("url") or ""
            _keep(parsed, position, lambda found=found: make_record(**found), seen, ref)
    if position == 0:
        raise FormatError("The file holds no ClaimReview.")
    return parsed


# --- either ----------------------------------------------------------------------------------


def detect_format(data: bytes | str, filename: str = "") -> str:
    """``claimreview`` for JSON (by its name or its first character), else ``tsv``."""
    name = filename.lower()
    if name.endswith((".json", ".jsonld", ".json-ld", ".jsonl", ".ndjson")):
        return "claimreview"
    if name.endswith((".tsv", ".tab", ".txt")):
        return "tsv"
    head = data[:200] if isinstance(data, str) else data[:200].decode("utf-8", "ignore")
    return "claimreview" if head.lstrip("\ufeff \t\r\n").startswith(("{", "[")) else "tsv"


def parse(
    data: bytes | str, *, format: str | None = None, publisher: str = "", filename: str = ""
) -> Parsed:
    """The fact-checks in a file of either format (guessed from its name or content when
    ``format`` is not given). ``publisher`` is used for records that name none."""
    chosen = format or detect_format(data, filename)
    if chosen not in FORMATS:
        raise FormatError(f"Unknown format {chosen!r}: use {' or '.join(FORMATS)}.")
    publisher = " ".join((publisher or "").split())
    if chosen == "tsv":
        return parse_tsv(data, publisher=publisher)
    return parse_claimreview(data, publisher=publisher)
