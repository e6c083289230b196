"""Bytes to text: strict UTF-8 for uploaded text files, charset detection for web content,
binary sniffing, and the normalisation every stored text goes through."""

from __future__ import annotations

import codecs
import re
import unicodedata

from ._model import IngestError

# Magic numbers of the binary formats people most often upload or link by mistake, so the error
# can say what the file is instead of just "not text".
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"RIFF", "a RIFF media file (WebP image, WAV or AVI)"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or a Word/OpenDocument file)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office document"),
    (b"{\\rtf", "an RTF document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\x7fELF", "a program"),
    (b"\x00asm", "a WebAssembly program"),
    (b"OggS", "an Ogg media file"),
    (b"ID3\x02", "an MP3 audio file"),
    (b"ID3\x03", "an MP3 audio file"),
    (b"ID3\x04", "an MP3 audio file"),
    (b"\x00\x00\x01\x00", "an icon"),
)
_MP4_BRAND_AT = 4  # ISO media files ("ftyp" box) have no fixed first bytes, the tag is at offset 4

_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)

# C0 controls other than tab, LF, FF and CR: plain text never has many of them, binary always does.
_BINARY_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13)) + b"\x7f"
_SNIFF_WINDOW = 8192


def sniff_binary(data: bytes) -> str | None:
    """Return a description of ``data`` if it is binary (``"a PNG image"``), else None.

    Looks at magic numbers, NUL bytes anywhere (never in UTF-8 text; UTF-16 is handled by the
    callers before this), and the share of control characters in the first 8 KB.
    """
    for magic, what in _MAGIC:
        if data.startswith(magic):
            return what
    if data[_MP4_BRAND_AT : _MP4_BRAND_AT + 4] == b"ftyp":
        return "a video or audio file"
    if b"\x00" in data:
        return "binary data (it contains NUL bytes)"
    window = data[:_SNIFF_WINDOW]
    if window:
        controls = len(window) - len(window.translate(None, _BINARY_CONTROL_BYTES))
        if controls * 10 > len(window):
            return "binary data"
    return None


def _describe(filename: str | None) -> str:
    return f"The file {filename}" if filename else "The file"


def normalize_newlines_nfc(text: str) -> str:
    """CRLF/CR to LF and Unicode NFC: the same article must give the same stored text (and the
    same claim offsets) whichever OS saved it or whichever composition form the editor used."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def decode_text(data: bytes, *, filename: str | None = None) -> str:
    """Decode an uploaded text file, which must be UTF-8 (a BOM is accepted and dropped).

    Line endings become ``\\n`` and the text is NFC-normalised; nothing else changes (Markdown
    stays Markdown, blank lines and indentation stay). Raises IngestError for binary content,
    UTF-16 and anything that is not valid UTF-8 -- guessing a legacy encoding silently would
    store mojibake that reviewers then quote.
    """
    what = _describe(filename)
    if data.startswith(_UTF16_BOMS):
        raise IngestError(
            f"{what} is saved as UTF-16 text. Save it as UTF-8 and upload it again.",
            code="not_utf8",
        )
    binary = sniff_binary(data)
    if binary:
        raise IngestError(f"{what} is not a text file: it looks like {binary}.", code="binary")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        hint = ""
        try:
            data.decode("cp1252")
            hint = " It looks like Windows-1252 or Latin-1;"
        except UnicodeDecodeError:
            pass
        raise IngestError(
            f"{what} is not UTF-8 text (line {line} has bytes that are not valid UTF-8).{hint}"
            " Save it as UTF-8 and upload it again.",
            code="not_utf8",
        ) from None
    return normalize_newlines_nfc(text)


# --- web content: charset labels as browsers read them -------------------------------------

# WHATWG Encoding Standard aliases that Python spells or interprets differently. Browsers decode
# "iso-8859-1" and "us-ascii" as windows-1252, and pages labelled so really do contain 0x80-0x9F
# curly quotes and dashes; Python's latin-1 would turn those into invisible C1 controls.
_LABEL_ALIASES = {
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "iso_8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "l1": "cp1252",
    "cp819": "cp1252",
    "ibm819": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "windows-1252": "cp1252",
    "x-cp1252": "cp1252",
    "iso-8859-9": "cp1254",
    "latin5": "cp1254",
    "iso-8859-11": "cp874",
    "tis-620": "cp874",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "euc-kr": "cp949",
    "ks_c_5601-1987": "cp949",
    "x-sjis": "shift_jis",
    "utf8": "utf-8",
    "unicode-1-1-utf-8": "utf-8",
}
# Codecs Python accepts as text encodings that no web page may use: UTF-7 is a known XSS vector
# (browsers dropped it) and the escape codecs would interpret backslashes in the page.
_FORBIDDEN_CODECS = {
    "utf-7",
    "unicode-escape",
    "raw-unicode-escape",
    "idna",
    "punycode",
    "undefined",
    "mbcs",
    "oem",
    "charmap",
}
_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,512}?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]{1,40})""", re.IGNORECASE
)
_META_PRESCAN_BYTES = 4096


def codec_for_label(label: str | None) -> str | None:
    """Python codec name for a charset label from a header or <meta>, None if unusable."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    label = _LABEL_ALIASES.get(label, label)
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    if name in _FORBIDDEN_CODECS:
        return None
    try:
        b"".decode(name)  # rejects bytes-to-bytes codecs such as base64 or zlib
    except LookupError:
        return None
    return name


def _bom_codec(data: bytes) -> str | None:
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith(codecs.BOM_UTF16_LE):
        return "utf-16"
    if data.startswith(codecs.BOM_UTF16_BE):
        return "utf-16"
    return None


def meta_charset(data: bytes) -> str | None:
    """Codec named by <meta charset> / <meta http-equiv content="...; charset=..."> near the
    start of an HTML document (browsers only look at the first KBs too)."""
    match = _META_CHARSET.search(data[:_META_PRESCAN_BYTES])
    if not match:
        return None
    codec = codec_for_label(match.group(1).decode("ascii"))
    # A <meta> cannot truthfully declare UTF-16: the bytes that spell it would not be ASCII.
    if codec and codec.startswith("utf-16"):
        return "utf-8"
    return codec


def choose_codec(data: bytes, *, declared: str | None, html: bool) -> str:
    """Pick the codec the way a browser does: BOM, then the HTTP header, then <meta> for HTML,
    then UTF-8 if the bytes are valid UTF-8, else windows-1252 (the web's legacy default)."""
    codec = _bom_codec(data) or codec_for_label(declared)
    if codec is None and html:
        codec = meta_charset(data)
    if codec is None:
        try:
            data.decode("utf-8")
            codec = "utf-8"
        except UnicodeDecodeError:
            codec = "cp1252"
    if codec == "utf-8" and data.startswith(codecs.BOM_UTF8):
        codec = "utf-8-sig"
    return codec


def decode_web_bytes(data: bytes, *, declared: str | None, html: bool) -> str:
    """Decode downloaded or uploaded web content; undecodable bytes become U+FFFD, as in a
    browser, rather than failing the whole page."""
    codec = choose_codec(data, declared=declared, html=html)
    return data.decode(codec, errors="replace")


def is_utf16(data: bytes) -> bool:
    return data.startswith(_UTF16_BOMS)
