"""Importing an article by paste, upload or web address, then landing on its reader."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from claims.ingest import IngestedDocument, IngestError
from claims.models import Article

pytestmark = pytest.mark.django_db
URL = reverse("article-import")


def test_import_page_offers_paste_upload_and_url(as_reviewer):
    body = as_reviewer.get(URL).content.decode()
    for label in ('for="id_paste-text"', 'for="id_upload-file"', 'for="id_web-url"'):
        assert label in body


def test_pasted_text_is_imported_extracted_and_opened(as_reviewer, sample_text, reviewer):
    response = as_reviewer.post(
        URL, {"source": "paste", "paste-text": sample_text, "paste-outlet": "WSWS"}
    )
    article = Article.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/articles/{article.pk}/"
    assert article.text == sample_text and article.imported_by == reviewer
    assert article.title.startswith("Armenia-Azerbaijan border clashes")
    assert article.extraction_status == Article.Extraction.DONE
    assert article.claims.count() > 10
    page = as_reviewer.get(response["Location"]).content.decode()
    assert "Imported" in page and 'class="claim ' in page


def test_browser_line_endings_are_stored_as_newlines(as_reviewer):
    as_reviewer.post(URL, {"source": "paste", "paste-text": "Title\r\n\r\nAt least 3 died.\r\n"})
    assert Article.objects.get().text == "Title\n\nAt least 3 died.\n"


def test_the_same_text_twice_opens_the_first_import(as_reviewer, sample_text):
    as_reviewer.post(URL, {"source": "paste", "paste-text": sample_text})
    response = as_reviewer.post(URL, {"source": "paste", "paste-text": sample_text}, follow=True)
    assert Article.objects.count() == 1
    assert "already imported" in response.content.decode()


def test_empty_paste_is_an_error_and_stores_nothing(as_reviewer):
    response = as_reviewer.post(URL, {"source": "paste", "paste-text": "   \n  "})
    assert response.status_code == 400
    assert "The article is empty." in response.content.decode()
    assert not Article.objects.exists()


def test_upload_a_text_file(as_reviewer, sample_text):
    upload = SimpleUploadedFile("clashes.txt", sample_text.encode("utf-8"), "text/plain")
    response = as_reviewer.post(URL, {"source": "upload", "upload-file": upload})
    assert response.status_code == 302
    assert Article.objects.get().source_format == "text"


def test_upload_of_an_unsupported_file_says_why(as_reviewer):
    upload = SimpleUploadedFile("photo.jpg", b"\xff\xd8\xff\xe0binary", "image/jpeg")
    response = as_reviewer.post(URL, {"source": "upload", "upload-file": upload})
    assert response.status_code == 400
    assert ".jpg files cannot be used" in response.content.decode()
    assert not Article.objects.exists()


def test_import_from_a_web_address(as_reviewer, monkeypatch, sample_text):
    def fake_fetch(url, **kwargs):
        return IngestedDocument(
            text=sample_text,
            title="Clashes",
            byline="U. Atesci",
            published=None,
            outlet="WSWS",
            url=url,
            source_format="url",
        )

    monkeypatch.setattr("claims.ingest.fetch_url", fake_fetch)
    response = as_reviewer.post(URL, {"source": "web", "web-url": "https://example.org/a"})
    article = Article.objects.get()
    assert response.status_code == 302
    assert (article.title, article.outlet, article.source_format) == ("Clashes", "WSWS", "url")


def test_a_web_address_that_cannot_be_fetched_says_why(as_reviewer, monkeypatch):
    def failing(url, **kwargs):
        raise IngestError(f"Could not fetch {url}: the server did not answer.")

    monkeypatch.setattr("claims.ingest.fetch_url", failing)
    response = as_reviewer.post(URL, {"source": "web", "web-url": "https://example.org/x"})
    assert response.status_code == 400
    assert "the server did not answer" in response.content.decode()


def test_outsider_cannot_import(client, outsider, sample_text):
    client.force_login(outsider)
    response = client.post(URL, {"source": "paste", "paste-text": sample_text})
    assert response.status_code == 403 and not Article.objects.exists()
