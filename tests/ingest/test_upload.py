from __future__ import annotations

import datetime
import pickle

import pytest

from claims.ingest import DEFAULT_MAX_BYTES, IngestError, decode_text, from_upload

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
ARTICLE = (
    "Border clashes threaten broader war\n\n"
    "At least 12 soldiers and one civilian from Azerbaijan are dead.\n\n"
    "“It can be considered that the tension has been greatly eased,” he said.\n"
)


# --- decode_text -----------------------------------------------------------------------------


def test_decode_text_reads_utf8_with_and_without_bom():
    assert decode_text(ARTICLE.encode("utf-8")) == ARTICLE
    assert decode_text(b"\xef\xbb\xbf" + ARTICLE.encode("utf-8")) == ARTICLE


def test_decode_text_normalises_line_endings_and_to_nfc():
    data = "Cafe\u0301 line one\r\nline two\rline three\n".encode()

    assert decode_text(data) == "Caf\u00e9 line one\nline two\nline three\n"


def test_decode_text_of_nothing_is_empty_text():
    assert decode_text(b"") == ""


def test_invalid_utf8_names_the_file_the_line_and_the_fix():
    data = "Line one\nLine two: café costs 3 €\n".encode("cp1252")

    with pytest.raises(IngestError) as caught:
        decode_text(data, filename="notes.txt")

    assert caught.value.code == "not_utf8"
    message = caught.value.message
    assert message.startswith("The file notes.txt is not UTF-8 text (line 2 ")
    assert "Windows-1252" in message
    assert message.endswith("Save it as UTF-8 and upload it again.")
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("data", "described_as"),
    [
        (PNG, "a PNG image"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "a PDF document"),
        (b"PK\x03\x04\x14\x00\x06\x00", "a ZIP archive"),
        (b"plain looking text\x00with a NUL byte", "NUL bytes"),
        (bytes(range(1, 32)) * 20, "binary data"),
    ],
)
def test_binary_content_is_refused_with_what_it_looks_like(data, described_as):
    with pytest.raises(IngestError) as caught:
        decode_text(data, filename="article.txt")

    assert caught.value.code == "binary"
    assert caught.value.message.startswith("The file article.txt is not a text file")
    assert described_as in caught.value.message


def test_utf16_text_is_refused_with_a_clear_message():
    with pytest.raises(IngestError) as caught:
        decode_text("\ufeffHello".encode("utf-16-le"))

    assert caught.value.code == "not_utf8"
    assert "UTF-16" in caught.value.message


# --- from_upload -----------------------------------------------------------------------------


def test_txt_upload_is_text_with_no_metadata_guessed():
    document = from_upload(ARTICLE.encode(), "article.txt")

    assert document.text == ARTICLE
    assert document.source_format == "text"
    assert (document.title, document.byline, document.published) == (None, None, None)
    assert (document.outlet, document.url) == (None, None)


def test_markdown_upload_is_kept_as_written():
    markdown = "# Border clashes\n\n*By Ulas Atesci*\n\n- 12 soldiers\n- [link](https://x.org)\n"

    document = from_upload(markdown.encode(), "article.md")

    assert document.text == markdown
    assert document.source_format == "markdown"


def test_upload_extension_is_case_insensitive_and_client_paths_are_ignored():
    document = from_upload(b"Text.", "C:\\fakepath\\Article.TXT")

    assert (document.text, document.source_format) == ("Text.", "text")


def test_bom_is_dropped_from_uploads():
    assert from_upload(b"\xef\xbb\xbf" + ARTICLE.encode(), "a.txt").text == ARTICLE


def test_html_upload_goes_through_html_extraction(armenia_html, armenia_paragraphs):
    document = from_upload(armenia_html.encode("utf-8"), "saved-page.html")

    assert document.source_format == "html"
    assert document.text.split("\n\n") == armenia_paragraphs
    assert document.title == "Armenia-Azerbaijan border clashes threaten broader war in Caucasus"
    assert document.published == datetime.date(2020, 7, 18)
    # A saved page still knows where it came from.
    assert document.url == "https://www.wsws.org/en/articles/2020/07/18/arme-j18.html"


def test_htm_upload_honours_its_meta_charset():
    html = (
        '<html><head><meta charset="windows-1252"><title>Caf\u00e9</title></head>'
        "<body><p>\u201cDialogue\u201d, said the caf\u00e9 owner.</p></body></html>"
    )

    document = from_upload(html.encode("cp1252"), "page.htm")

    assert document.text == "\u201cDialogue\u201d, said the caf\u00e9 owner."


@pytest.mark.parametrize("filename", ["article.txt", "article.md", "article.html"])
def test_binary_content_under_a_text_extension_is_refused(filename):
    with pytest.raises(IngestError) as caught:
        from_upload(PNG, filename)

    assert caught.value.code == "binary"
    assert "PNG image" in caught.value.message


def test_invalid_utf8_upload_is_refused():
    with pytest.raises(IngestError) as caught:
        from_upload(b"caf\xe9 \xff\xfe", "article.txt")

    assert caught.value.code == "not_utf8"


@pytest.mark.parametrize(
    ("filename", "expected"),
    [
        ("report.docx", ".docx files cannot be used (report.docx)."),
        ("report.pdf", ".pdf files cannot be used (report.pdf)."),
        ("README", "Files without an extension cannot be used (README)."),
        (".txt", "Files without an extension cannot be used (.txt)."),
    ],
)
def test_unknown_extension_is_refused_and_the_accepted_ones_are_named(filename, expected):
    with pytest.raises(IngestError) as caught:
        from_upload(b"some text", filename)

    assert caught.value.code == "unsupported_type"
    assert caught.value.message == f"{expected} Upload a .txt, .md or .html file."


@pytest.mark.parametrize("data", [b"", b"   \n\t\n"])
def test_empty_upload_is_refused(data):
    with pytest.raises(IngestError) as caught:
        from_upload(data, "empty.txt")

    assert caught.value.code == "empty"
    assert "empty.txt" in caught.value.message


def test_oversized_upload_is_refused_before_decoding():
    with pytest.raises(IngestError) as caught:
        from_upload(b"a" * (DEFAULT_MAX_BYTES + 1), "huge.txt")

    assert caught.value.code == "too_large"
    assert caught.value.message == "The file huge.txt is larger than the 6 MB limit."


def test_upload_size_limit_is_a_parameter():
    assert from_upload(b"x" * 100, "ok.txt", max_bytes=100).text == "x" * 100
    with pytest.raises(IngestError) as caught:
        from_upload(b"x" * 101, "big.txt", max_bytes=100)

    assert caught.value.code == "too_large"


def test_ingest_error_keeps_message_and_code_through_pickling():
    error = IngestError("The file a.txt is empty.", code="empty")

    copy = pickle.loads(pickle.dumps(error))

    assert (copy.message, copy.code, str(copy)) == (error.message, "empty", error.message)
