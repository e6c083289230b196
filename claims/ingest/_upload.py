"""Uploaded files: the extension says what the file is meant to be, the bytes must agree."""

from __future__ import annotations

from ._html import ingest_html
from ._model import DEFAULT_MAX_BYTES, IngestedDocument, IngestError, SourceFormat
from ._text import decode_text, decode_web_bytes, is_utf16, sniff_binary

_FORMATS: dict[str, SourceFormat] = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
}


def _basename(filename: str) -> str:
    # Browsers on Windows used to send the full client path ("C:\\fakepath\\a.txt").
    return filename.replace("\\", "/").rsplit("/", 1)[-1].strip()


def format_size(size: int) -> str:
    """``6 MB``, ``1.5 MB``, ``100 KB`` (binary units, as upload limits are usually set)."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f}".removesuffix(".0") + " MB"
    return f"{max(1, round(size / 1024))} KB"


def from_upload(
    data: bytes, filename: str, *, max_bytes: int = DEFAULT_MAX_BYTES
) -> IngestedDocument:
    """A document from an uploaded .txt / .md / .html file.

    .txt and .md must be UTF-8 (see ``decode_text``) and are kept as written (Markdown is not
    rendered; metadata is left to the plain-text detector). .html/.htm go through ``from_html``
    with the page's own charset declaration honoured.
    """
    name = _basename(filename) or "file"
    dot = name.rfind(".")
    extension = name[dot:].lower() if dot > 0 else ""
    source_format = _FORMATS.get(extension)
    if source_format is None:
        kind = f"{extension} files" if extension else "Files without an extension"
        raise IngestError(
            f"{kind} cannot be used ({name}). Upload a .txt, .md or .html file.",
            code="unsupported_type",
        )
    if not data:
        raise IngestError(f"The file {name} is empty.", code="empty")
    if len(data) > max_bytes:
        raise IngestError(
            f"The file {name} is larger than the {format_size(max_bytes)} limit.",
            code="too_large",
        )

    if source_format == "html":
        binary = None if is_utf16(data) else sniff_binary(data)
        if binary:
            raise IngestError(
                f"The file {name} is not an HTML page: it looks like {binary}.", code="binary"
            )
        return ingest_html(
            decode_web_bytes(data, declared=None, html=True), url=None, source_format="html"
        )

    text = decode_text(data, filename=name)
    if not text.strip():
        raise IngestError(f"The file {name} contains no text.", code="empty")
    return IngestedDocument(
        text=text,
        title=None,
        byline=None,
        published=None,
        outlet=None,
        url=None,
        source_format=source_format,
    )
