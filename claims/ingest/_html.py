"""HTML to article text and metadata.

Main text comes from trafilatura, which is good at telling an article body from navigation,
cookie banners and "read more" boxes; we render its intermediate XML ourselves so that every
paragraph, list item and heading becomes its own "\\n\\n"-separated paragraph, like a plain-text
article (trafilatura's own text output separates them with single newlines).

Metadata comes first from explicit, structured sources we read ourselves (JSON-LD NewsArticle,
og:*, article:*, citation_*, Dublin Core, <time>), in a fixed order of trust, and only then from
trafilatura's heuristics. trafilatura merges sources in an order we cannot control and its date
guesser may pick any date printed on the page; a wrong publication date is worse than none,
because it silently shifts every relative date ("on Thursday") in the article.
"""

from __future__ import annotations

import datetime
import email.utils
import json
import logging
import re
import threading
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

import lxml.etree
import lxml.html
import trafilatura
from lxml.etree import _Element

from ._model import IngestedDocument, IngestError, SourceFormat

logger = logging.getLogger(__name__)

# from_html takes a str from any caller; fetch_url and from_upload cap input at a few MB, this
# only keeps a direct caller from handing us something that would take minutes and gigabytes.
MAX_HTML_CHARS = 32 * 1024 * 1024

NO_TEXT_MESSAGE = "No article text found on that page"

# Characters that must not reach lxml (it rejects them) or the stored text (they are invisible
# and would make quotes impossible to match): C0 controls except tab/LF/CR, DEL, lone surrogates.
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
# Invisible characters a reader never sees but that break quote matching and search: soft
# hyphen, zero-width space, word joiner, BOM, C1 controls (legacy-encoding debris).
_INVISIBLE = dict.fromkeys([0x00AD, 0x200B, 0x2060, 0xFEFF, *range(0x80, 0xA0)])

_LEADING_BY = re.compile(r"^\s*by\s+", re.IGNORECASE)
_TITLE_SEPARATORS = (" | ", " - ", " \u2013 ", " \u2014 ", " \u00b7 ", " :: ", " \u00bb ")

# Short contact/donation/subscription boxes, which trafilatura keeps when they sit inside
# <article>. The length guard stops a mislabelled wrapper from taking the article with it.
_BOILERPLATE_TOKENS = ("contact", "donate", "donation", "subscribe", "subscription", "signup")
_LOWER = (
    "translate(concat(' ', @class, ' ', @id), 'ABCDEFGHIJKLMNOPQRSTUVWXYZ_', "
    "'abcdefghijklmnopqrstuvwxyz-')"
)
_PRUNE_XPATHS = [
    ".//*[self::div or self::section or self::aside or self::p or self::ul]["
    + " or ".join(f"contains({_LOWER}, ' {token}')" for token in _BOILERPLATE_TOKENS)
    + "][not(.//h1)][string-length(normalize-space(.)) < 400]",
]

_ARTICLE_TYPES = {
    "article",
    "newsarticle",
    "reportagenewsarticle",
    "analysisnewsarticle",
    "opinionnewsarticle",
    "backgroundnewsarticle",
    "reviewnewsarticle",
    "askpublicnewsarticle",
    "satiricalarticle",
    "scholarlyarticle",
    "medicalscholarlyarticle",
    "techarticle",
    "report",
    "blogposting",
    "liveblogposting",
    "socialmediaposting",
    "discussionforumposting",
}
_PAGE_TYPES = {"webpage", "itempage", "collectionpage", "aboutpage", "profilepage"}
_SITE_TYPES = {"website"}
_JSONLD_MAX_NODES = 2000
_JSONLD_MAX_DEPTH = 12

# Meta names (lower-cased name=/property=/itemprop=) in order of trust.
_TITLE_META = (
    "og:title",
    "twitter:title",
    "citation_title",
    "dc.title",
    "dcterms.title",
    "parsely-title",
    "sailthru.title",
    "headline",
)
_AUTHOR_META = (
    "author",
    "article:author",
    "citation_author",
    "dc.creator",
    "dcterms.creator",
    "parsely-author",
    "sailthru.author",
    "byl",
)
_DATE_META = (
    "article:published_time",
    "og:article:published_time",
    "og:published_time",
    "datepublished",
    "citation_publication_date",
    "citation_date",
    "citation_online_date",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date",
    "dcterms.date",
    "dcterms.created",
    "parsely-pub-date",
    "sailthru.date",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "publication_date",
    "date",
)
_OUTLET_META = (
    "og:site_name",
    "citation_journal_title",
    "citation_publisher",
    "dc.publisher",
    "dcterms.publisher",
    "publisher",
)

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_ISO_DATE = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)")
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:$|T|\d)")
_WEEKDAY = r"^(?:[A-Za-z]+,?\s+)?"  # "Saturday, " / "Sat "
_ORDINAL = r"(?:st|nd|rd|th)?"
_DAY_MONTH_YEAR = re.compile(
    _WEEKDAY + rf"(\d{{1,2}}){_ORDINAL}\.?\s+([A-Za-z]+)\.?,?\s+(\d{{4}})\b"
)
_MONTH_DAY_YEAR = re.compile(_WEEKDAY + rf"([A-Za-z]+)\.?\s+(\d{{1,2}}){_ORDINAL},?\s+(\d{{4}})\b")


# --- parsing ---------------------------------------------------------------------------------

_parsers = threading.local()


def _parsers_for_thread() -> tuple[lxml.etree.HTMLParser, lxml.html.HTMLParser]:
    # lxml parser objects must not be used by two threads at once; one pair per thread.
    parsers: tuple[lxml.etree.HTMLParser, lxml.html.HTMLParser] | None = getattr(
        _parsers, "pair", None
    )
    if parsers is None:
        # Comments and processing instructions go at parse time: they are never content. The
        # encoding is fixed because the text is already decoded: a <meta charset> in it must
        # not make lxml decode it a second time.
        options: dict[str, Any] = {
            "encoding": "utf-8",
            "remove_comments": True,
            "remove_pis": True,
            "no_network": True,
            "collect_ids": False,
            "default_doctype": False,
        }
        # Our own passes walk plain lxml.etree elements: lxml.html's element classes cost a
        # Python-level class lookup per element visited, which dominates on large pages.
        parsers = (lxml.etree.HTMLParser(**options), lxml.html.HTMLParser(**options))
        _parsers.pair = parsers
    return parsers


def _parse(html: str) -> _Element:
    data = _CONTROL_CHARS.sub("", html).encode("utf-8")
    try:
        root = lxml.etree.fromstring(data, parser=_parsers_for_thread()[0])
    except (lxml.etree.ParserError, lxml.etree.XMLSyntaxError, ValueError):
        root = None
    if root is None:  # empty document
        raise IngestError(NO_TEXT_MESSAGE, code="no_text")
    return root


def _as_html_tree(root: _Element) -> lxml.html.HtmlElement:
    """trafilatura only accepts lxml.html trees; a round trip through serialisation is cheap
    at the sizes it gets (scripts and other raw-text elements are gone by then)."""
    data = lxml.etree.tostring(root, method="html", encoding="utf-8")
    return lxml.html.document_fromstring(data, parser=_parsers_for_thread()[1])


# --- preparing the tree for trafilatura ------------------------------------------------------

# Never article text. Removed by us, with their tail text kept in place: trafilatura removes
# most of them itself, but when one sits inside a paragraph its removal glues that paragraph to
# the next one, and it keeps the text of <template> (inert markup no reader sees).
_DROP = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "svg",
        "math",
        "iframe",
        "frame",
        "object",
        "embed",
        "applet",
        "canvas",
        "audio",
        "video",
        "picture",
        "map",
        "figure",
        "select",
        "textarea",
        "button",
        "progress",
        "meter",
        "datalist",
        "dialog",
    }
)
# Inline elements whose removal by trafilatura glues their paragraph to the next one ("The
# attack on <time>Tuesday</time> killed ..."): we unwrap them, keeping the words. A <time>
# that is all the text of its parent is a dateline, which trafilatura rightly drops, and so do
# we (its date is already read as metadata).
_UNWRAP = frozenset({"time", "label", "output", "q"})
# Formatting elements. Left alone normally (trafilatura's heuristics read them), but unwrapped
# under a parent with very many of them (every word in a <span>, as in exported word-processor
# HTML): lxml's strip_tags, which trafilatura calls, is quadratic in the number of siblings.
_INLINE = frozenset(
    {
        "span",
        "a",
        "b",
        "strong",
        "i",
        "em",
        "u",
        "s",
        "strike",
        "del",
        "ins",
        "small",
        "big",
        "font",
        "mark",
        "abbr",
        "acronym",
        "cite",
        "sub",
        "sup",
        "var",
        "kbd",
        "samp",
        "dfn",
        "bdi",
        "bdo",
        "nobr",
        "tt",
        "data",
        "code",
    }
)
_CROWDED = 32
# trafilatura's run time grows faster than linearly with the number of elements, mostly in the
# backup extractors (readability, jusText) of its default "balanced" mode: a second at ~10,000
# elements, minutes at 100,000. Up to BALANCED_MAX_ELEMENTS (typical article pages) we use the
# balanced mode, up to MAX_ELEMENTS_FOR_TRAFILATURA its fast mode (main extractor only, ~2 s
# at worst), and above that our own linear block extractor, so a 5 MB page takes seconds.
BALANCED_MAX_ELEMENTS = 5_000
MAX_ELEMENTS_FOR_TRAFILATURA = 20_000


def _visible_length(element: _Element) -> int:
    """Characters of text in ``element`` (not counting its tail), whitespace excluded."""
    return sum(len(word) for word in " ".join(element.itertext()).split())


def _rebuild(parent: _Element, crowded: bool) -> None:
    """Drop/unwrap ``parent``'s children in one linear pass (element-by-element removal
    re-concatenates the surrounding text each time, which is quadratic)."""
    texts: list[str] = [parent.text or ""]
    kept: list[tuple[_Element, list[str]]] = []
    slot = texts

    def emit(node: _Element) -> None:
        nonlocal slot
        children = list(node)
        times = [child for child in children if child.tag == "time"]
        datelines = bool(times) and _visible_length(node) == sum(map(_visible_length, times))
        for child in children:
            tag = child.tag
            if tag in _DROP or (tag == "time" and datelines):
                pass
            elif tag in _UNWRAP or (crowded and tag in _INLINE):
                # <q> is rendered with quotation marks; a reader copying the page gets them.
                if tag == "q":
                    slot.append("\u201c")
                if child.text:
                    slot.append(child.text)
                emit(child)
                if tag == "q":
                    slot.append("\u201d")
            else:
                slot = []
                kept.append((child, slot))
            if child.tail:
                slot.append(child.tail)

    emit(parent)
    parent[:] = [child for child, _ in kept]
    parent.text = "".join(texts) or None
    for child, pieces in kept:
        child.tail = "".join(pieces) or None


_COUNT_ELEMENTS = lxml.etree.XPath("count(//*)")


def _depth(element: _Element) -> int:
    return sum(1 for _ in element.iterancestors())


def _prepare(tree: _Element) -> int:
    """Simplify ``tree`` in place for text extraction; return its element count after."""
    # tree.iter(tags) filters in C; a Python loop over every element of a large page would
    # cost seconds. Keys are element proxies, which lxml keeps identical while referenced.
    targets: dict[_Element, bool] = {}
    for element in tree.iter(*_DROP, *_UNWRAP):
        parent = element.getparent()
        if parent is not None:
            targets.setdefault(parent, False)
    inline_children: dict[_Element, int] = {}
    for element in tree.iter(*_INLINE):
        parent = element.getparent()
        if parent is not None:
            inline_children[parent] = inline_children.get(parent, 0) + 1
    for parent, count in inline_children.items():
        if count > _CROWDED:
            targets[parent] = True
    # Deepest first, so a parent that unwraps a child sees that child already simplified.
    for element in sorted(targets, key=_depth, reverse=True):
        _rebuild(element, targets[element])
    count = _COUNT_ELEMENTS(tree)
    assert isinstance(count, float)
    return int(count)


# --- text ------------------------------------------------------------------------------------


def clean_line(text: str) -> str:
    """NFC, invisible characters dropped, every run of whitespace (NBSP, thin space, tab, ...)
    made one ASCII space, as a browser renders it; no leading or trailing space."""
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE)
    return " ".join(text.split())


def _add_block(blocks: list[str], raw: str) -> None:
    # A <br> inside a paragraph is a deliberate line break (verse, addresses, old sites that
    # use <br> instead of <p>), so it stays a single "\n" inside the paragraph.
    lines = [line for line in (clean_line(part) for part in raw.split("\n")) if line]
    if lines:
        blocks.append("\n".join(lines))


def _inline_text(element: _Element, skip: frozenset[str] = frozenset()) -> str:
    parts: list[str] = []

    def walk(node: _Element) -> None:
        if node.text:
            parts.append(node.text)
        for child in node:
            if child.tag == "lb":
                parts.append("\n")
            elif child.tag not in skip and child.tag != "graphic":
                walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(element)
    return "".join(parts)


_CONTAINER_CHILDREN = frozenset({"p", "list", "head", "quote", "table", "code"})


def _render(element: _Element, blocks: list[str]) -> None:
    tag = element.tag
    if tag == "list":
        for item in element:
            _add_block(blocks, _inline_text(item, skip=frozenset({"list"})))
            for sub in item:
                if sub.tag == "list":
                    _render(sub, blocks)
    elif tag == "table":
        # One line per row, cells separated by tabs: what a reader gets when copying a table
        # from a browser, and it keeps figures next to their row label.
        rows = []
        for row in element:
            cells = [clean_line(_inline_text(cell)) for cell in row if cell.tag == "cell"]
            if any(cells):
                rows.append("\t".join(cells).strip("\t"))
        if rows:
            blocks.append("\n".join(rows))
    elif tag == "quote" and any(child.tag in _CONTAINER_CHILDREN for child in element):
        if element.text:
            _add_block(blocks, element.text)
        for child in element:
            _render(child, blocks)
            if child.tail:
                _add_block(blocks, child.tail)
    else:
        _add_block(blocks, _inline_text(element))


def _same_text(a: str, b: str) -> bool:
    return clean_line(a).casefold() == clean_line(b).casefold()


def _blocks_from_trafilatura(body: _Element) -> list[str]:
    blocks: list[str] = []
    for child in body:
        _render(child, blocks)
    return blocks


_FALLBACK_SKIP = frozenset({"nav", "header", "footer", "aside", "form", "head", "title", *_DROP})
_FALLBACK_BLOCKS = frozenset(
    {
        "p",
        "div",
        "li",
        "td",
        "th",
        "tr",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "pre",
        "blockquote",
        "section",
        "article",
        "main",
        "dd",
        "dt",
        "ul",
        "ol",
        "dl",
        "table",
        "caption",
        "figcaption",
        "address",
        "details",
        "summary",
        "hr",
        "body",
    }
)


def _fallback_blocks(tree: _Element) -> list[str]:
    """Every block-level element's own text, outside navigation, headers and footers, from
    the <article> (or <main>, or <body>): for pages too large for trafilatura or on which it
    fails. One iterative pass, so linear time and no recursion limit."""
    root = next(
        (
            found
            for path in (".//article", ".//main", ".//body")
            if (found := tree.find(path)) is not None
        ),
        tree,
    )
    blocks: list[str] = []
    buffer: list[str] = []

    def flush() -> None:
        if buffer:
            _add_block(blocks, "".join(buffer))
            buffer.clear()

    stack: list[tuple[_Element, bool]] = [(root, False)]
    while stack:
        element, closing = stack.pop()
        tag = element.tag
        if closing:
            if buffer and tag in _FALLBACK_BLOCKS:
                flush()
            if element is not root and element.tail:
                buffer.append(element.tail)
            continue
        if tag in _FALLBACK_SKIP or tag == "br":
            if tag == "br":
                buffer.append("\n")
            if element.tail:
                buffer.append(element.tail)
            continue
        if buffer and tag in _FALLBACK_BLOCKS:
            flush()
        if element.text:
            buffer.append(element.text)
        stack.append((element, True))
        stack.extend((child, False) for child in reversed(element))
    flush()
    return blocks


# --- metadata --------------------------------------------------------------------------------


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, str):
                yield item


@dataclass
class _JsonLd:
    article: dict[str, Any] | None
    pages: list[dict[str, Any]]
    sites: list[dict[str, Any]]
    by_id: dict[str, dict[str, Any]]

    def resolve(self, value: Any) -> Any:
        # Yoast and others write {"@id": "...#person"} and put the Person elsewhere in @graph.
        if isinstance(value, dict) and "name" not in value:
            ref = value.get("@id")
            if isinstance(ref, str) and ref in self.by_id:
                return self.by_id[ref]
        return value

    def names(self, value: Any, depth: int = 0) -> list[str]:
        value = self.resolve(value)
        if isinstance(value, str):
            return [value]
        if isinstance(value, list) and depth < 3:
            return [name for item in value[:50] for name in self.names(item, depth + 1)]
        if isinstance(value, dict):
            name = value.get("name")
            if isinstance(name, list):
                name = next(_strings(name), None)
            if isinstance(name, str):
                return [name]
            given, family = value.get("givenName"), value.get("familyName")
            if isinstance(given, str) and isinstance(family, str):
                return [f"{given} {family}"]
        return []


def _types(node: dict[str, Any]) -> set[str]:
    return {t.rsplit("/", 1)[-1].rsplit(":", 1)[-1].lower() for t in _strings(node.get("@type"))}


def _read_jsonld(tree: _Element) -> _JsonLd:
    nodes: list[dict[str, Any]] = []

    def collect(value: Any, depth: int) -> None:
        if depth > _JSONLD_MAX_DEPTH or len(nodes) >= _JSONLD_MAX_NODES:
            return
        if isinstance(value, list):
            for item in value:
                collect(item, depth + 1)
        elif isinstance(value, dict):
            if "@type" in value:
                nodes.append(value)
            for key, item in value.items():
                if isinstance(item, (dict, list)) and key != "@context":
                    collect(item, depth + 1)

    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json" or not script.text:
            continue
        raw = script.text.strip()
        # CMSs wrap JSON-LD in HTML comments or CDATA to protect old browsers.
        raw = re.sub(r"^(?:<!--|<!\[CDATA\[|/\*<!\[CDATA\[\*/)|(?:-->|\]\]>|/\*\]\]>\*/)$", "", raw)
        try:
            data = json.loads(raw, strict=False)
        except (ValueError, RecursionError):
            continue  # broken JSON-LD is common; the other sources still apply
        collect(data, 0)

    by_id = {node["@id"]: node for node in nodes if isinstance(node.get("@id"), str)}
    articles = [node for node in nodes if _types(node) & _ARTICLE_TYPES]
    # The node with a headline is the article itself, not e.g. a related article it mentions.
    article = next((n for n in articles if n.get("headline")), articles[0] if articles else None)
    return _JsonLd(
        article=article,
        pages=[node for node in nodes if _types(node) & _PAGE_TYPES],
        sites=[node for node in nodes if _types(node) & _SITE_TYPES],
        by_id=by_id,
    )


def _read_meta(tree: _Element) -> dict[str, list[str]]:
    meta: dict[str, list[str]] = {}
    for element in tree.iter("meta"):
        content = element.get("content")
        if not content or not content.strip():
            continue
        for attribute in ("property", "name", "itemprop"):
            key = element.get(attribute)
            if key:
                meta.setdefault(key.strip().lower(), []).append(content.strip())
    return meta


def _first(values: Iterable[str | None]) -> str | None:
    for value in values:
        if value:
            cleaned = clean_line(value)
            if cleaned:
                return cleaned
    return None


def parse_date(value: str | None) -> datetime.date | None:
    """The calendar date a metadata value names, as written (an offset is not applied: the
    publisher's local day is the day relative dates in the article refer to)."""
    if not value:
        return None
    value = value.strip()
    year = month = day = 0
    match = _ISO_DATE.match(value) or _COMPACT_DATE.match(value)
    if match:
        year, month, day = (int(part) for part in match.groups())
    elif match := _DAY_MONTH_YEAR.match(value):
        day, month, year = int(match[1]), _MONTHS.get(match[2].lower(), 0), int(match[3])
    elif match := _MONTH_DAY_YEAR.match(value):
        month, day, year = _MONTHS.get(match[1].lower(), 0), int(match[2]), int(match[3])
    else:
        parsed = email.utils.parsedate_tz(value)
        if parsed:
            year, month, day = parsed[0], parsed[1], parsed[2]
    try:
        result = datetime.date(year, month, day)
    except ValueError:
        return None
    # Far-future or prehistoric dates are template placeholders or typos, not publication dates
    # (two days of slack for time zones ahead of ours).
    if result.year < 1800 or result > datetime.date.today() + datetime.timedelta(days=2):
        return None
    return result


def _clean_person(name: str) -> str | None:
    name = _LEADING_BY.sub("", clean_line(name)).strip(" ,;|")
    if not name or len(name) > 200 or "://" in name or name.startswith("www.") or "@" in name:
        return None  # profile URLs, e-mail addresses and Twitter handles are not names
    return name


def _join_people(names: Iterable[str]) -> str | None:
    unique: list[str] = []
    seen: set[str] = set()
    for raw in names:
        name = _clean_person(raw)
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            unique.append(name)
    if not unique:
        return None
    # "Last, First" names (citation_author) would be ambiguous joined with commas.
    return ("; " if any("," in name for name in unique) else ", ").join(unique)


def _strip_outlet(title: str | None, outlet: str | None) -> str | None:
    """Drop " | Outlet" / "Outlet - " that sites glue to <title> and sometimes og:title."""
    if not title or not outlet:
        return title
    folded, site = title.casefold(), outlet.casefold()
    for separator in _TITLE_SEPARATORS:
        if folded.endswith(separator + site) and len(title) > len(separator + outlet):
            return title[: -len(separator + outlet)].strip()
        if folded.startswith(site + separator) and len(title) > len(outlet + separator):
            return title[len(outlet + separator) :].strip()
    return title


def _absolute_http_url(href: str | None, base: str | None) -> str | None:
    if not href:
        return None
    href = href.strip()
    candidate = urljoin(base, href) if base else href
    try:
        parts = urlsplit(candidate)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    # A canonical pointing at the home page is a common CMS misconfiguration, not the article.
    if base and parts.path in ("", "/") and urlsplit(base).path not in ("", "/"):
        return None
    return candidate


def _time_dates(tree: _Element) -> Iterator[str | None]:
    marked = ".//time[@pubdate or @itemprop='datePublished' or contains(@class, 'publish')]"
    for xpath in (marked, ".//article//time[@datetime]", ".//main//time[@datetime]"):
        for element in tree.xpath(xpath)[:5]:
            yield element.get("datetime") or "".join(element.itertext())
    for element in tree.xpath(".//*[@itemprop='datePublished'][not(self::meta)]")[:5]:
        yield element.get("datetime") or element.get("content") or "".join(element.itertext())


@dataclass
class _Metadata:
    title: str | None
    byline: str | None
    published: datetime.date | None
    outlet: str | None
    url: str | None
    html_title: str | None  # <title>, the least trusted title: it usually carries the site name
    headlines: list[str]  # <h1> texts


def _own_metadata(tree: _Element, base_url: str | None) -> _Metadata:
    """Metadata from explicit, structured markup, each field from the most trusted source
    that has it."""
    meta = _read_meta(tree)
    ld = _read_jsonld(tree)
    article = ld.article or {}

    def metas(names: Iterable[str]) -> Iterator[str]:
        for name in names:
            yield from meta.get(name, ())

    outlet = _first(
        [
            *ld.names(article.get("publisher")),
            *(name for page in ld.pages for name in ld.names(page.get("publisher"))),
            *metas(_OUTLET_META),
            *(name for site in ld.sites for name in ld.names(site.get("name"))),
        ]
    )
    title = _first(
        [
            *_strings(article.get("headline")),
            *_strings(article.get("name")),
            *metas(_TITLE_META),
        ]
    )
    title_element = tree.find(".//title")
    html_title = _first(["".join(title_element.itertext()) if title_element is not None else None])

    byline = _join_people(ld.names(article.get("author")))
    for name in _AUTHOR_META:
        if byline:
            break
        byline = _join_people(meta.get(name, ()))

    published = None
    for value in (
        *_strings(article.get("datePublished")),
        *_strings(article.get("dateCreated")),
        *(date for page in ld.pages for date in _strings(page.get("datePublished"))),
        *metas(_DATE_META),
        *_time_dates(tree),
    ):
        published = parse_date(value)
        if published:
            break

    canonical = next(
        (
            link.get("href")
            for link in tree.iter("link")
            if "canonical" in (link.get("rel") or "").lower().split()
        ),
        None,
    )
    main_entity = article.get("mainEntityOfPage")
    if isinstance(main_entity, dict):
        main_entity = main_entity.get("@id") or main_entity.get("url")
    url = None
    for candidate in (
        canonical,
        *metas(("og:url",)),
        *_strings(article.get("url")),
        *_strings(main_entity),
    ):
        url = _absolute_http_url(candidate, base_url)
        if url:
            break
    return _Metadata(
        title=title,
        byline=byline,
        published=published,
        outlet=outlet,
        url=url or base_url,
        html_title=html_title,
        headlines=[clean_line("".join(h1.itertext())) for h1 in tree.iter("h1")][:3],
    )


def _with_fallback(own: _Metadata, extracted: Any) -> _Metadata:
    """Fill the gaps from trafilatura's heuristics (bylines in page text, <h1> titles, site
    names derived from the title or host name, dates from the URL)."""
    outlet = own.outlet or _first([getattr(extracted, "sitename", None)])
    title = own.title or _first(
        [getattr(extracted, "title", None), own.html_title, *own.headlines[:1]]
    )
    # trafilatura joins several authors with "; ".
    byline = own.byline or _join_people((getattr(extracted, "author", None) or "").split(";"))
    published = own.published or parse_date(getattr(extracted, "date", None))
    return _Metadata(
        title=_strip_outlet(title, outlet),
        byline=byline,
        published=published,
        outlet=outlet,
        url=own.url,
        html_title=own.html_title,
        headlines=own.headlines,
    )


# --- entry points ----------------------------------------------------------------------------


def _trafilatura(tree: _Element, url: str | None, *, fast: bool) -> Any:
    today = datetime.date.today().isoformat()
    try:
        return trafilatura.bare_extraction(
            _as_html_tree(tree),
            url=url,
            fast=fast,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            include_images=False,
            include_links=False,
            include_formatting=False,
            deduplicate=False,
            prune_xpath=_PRUNE_XPATHS,
            # No free-text date search: on a page without date metadata it returns whatever
            # date is printed somewhere on the page (a related story, the copyright year).
            date_extraction_params={
                "extensive_search": False,
                "original_date": True,
                "max_date": today,
            },
        )
    except Exception:  # a third-party heuristic must not turn odd HTML into a server error
        logger.exception("trafilatura failed on %s; using the simple extractor", url or "HTML")
        return None


def _choose_blocks(tree: _Element, body: _Element | None) -> list[str]:
    blocks = _blocks_from_trafilatura(body) if body is not None else []
    # When its extractors find no article, trafilatura's last resort is every text node of the
    # page in one <p>, newline-separated, navigation included. Our block extractor skips
    # navigation, headers and footers, so it wins unless it finds much less text (pages whose
    # article exists only in JSON-LD articleBody, which the dump comes from).
    dump = (
        body is not None and len(body) == 1 and body[0].tag == "p" and "\n" in (body[0].text or "")
    )
    if dump or not blocks:
        fallback = _fallback_blocks(tree)
        if 2 * sum(map(len, fallback)) >= sum(map(len, blocks)):
            return fallback
        return [line for block in blocks for line in block.split("\n")]
    return blocks


def ingest_html(html: str, *, url: str | None, source_format: SourceFormat) -> IngestedDocument:
    if len(html) > MAX_HTML_CHARS:
        raise IngestError("The page is too large to read.", code="too_large")
    tree = _parse(html)
    # Our own metadata first: it needs the JSON-LD <script>s and <time>s that _prepare removes.
    own = _own_metadata(tree, url)
    elements = _prepare(tree)
    extracted = None
    if elements <= MAX_ELEMENTS_FOR_TRAFILATURA:
        extracted = _trafilatura(tree, url, fast=elements > BALANCED_MAX_ELEMENTS)
    else:
        logger.info("%s has %d elements; using the simple extractor", url or "HTML", elements)
    metadata = _with_fallback(own, extracted)

    blocks = _choose_blocks(tree, getattr(extracted, "body", None))
    # The headline is metadata, not article text (and headlines are never claims). Only a
    # title the page declares or an <h1> counts: with neither, trafilatura's title is a guess
    # (the first <h2>), and that is a subheading of the text.
    headlines = list(metadata.headlines)
    if metadata.title and (own.title or own.html_title):
        headlines.append(metadata.title)
    for index, block in enumerate(blocks[:2]):
        if any(_same_text(block, headline) for headline in headlines):
            del blocks[index]
            break
    if not blocks:
        raise IngestError(NO_TEXT_MESSAGE, code="no_text")
    return IngestedDocument(
        text="\n\n".join(blocks),
        title=metadata.title,
        byline=metadata.byline,
        published=metadata.published,
        outlet=metadata.outlet,
        url=metadata.url,
        source_format=source_format,
    )


def from_html(html: str, *, url: str | None = None) -> IngestedDocument:
    """Article text and metadata from an HTML page (``url``: where it came from, if known;
    used to resolve a relative canonical link and as the fallback ``url``)."""
    return ingest_html(html, url=url, source_format="html")
