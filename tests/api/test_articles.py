"""Articles through the API: import from text, URL or upload; list; detail with claims."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from claims.ingest import IngestedDocument, IngestError
from claims.models import Article
from tests.api.conftest import problem
from tests.factories import ArticleFactory, ClaimFactory

pytestmark = pytest.mark.django_db


def test_reviewer_imports_an_article_from_text_and_gets_its_claims(reviewer_api, sample_text):
    response = reviewer_api.post("/api/v1/articles/", {"text": sample_text, "outlet": "AP"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["title"].startswith("Armenia-Azerbaijan border clashes")
    assert body["outlet"] == "AP"
    assert body["source_format"] == "text"
    assert body["extraction_status"] == "done"
    assert body["text"] == sample_text
    assert len(body["claims"]) >= 20
    assert body["claim_count"] == len(body["claims"])
    assert body["progress"]["new"] == len(body["claims"])
    first = body["claims"][0]
    assert first["text"] == sample_text[first["start"] : first["end"]]
    assert first["url"].endswith(f"/api/v1/claims/{first['id']}/")


def test_the_same_text_twice_answers_200_with_the_same_article(reviewer_api, sample_text):
    first = reviewer_api.post("/api/v1/articles/", {"text": sample_text}).json()
    again = reviewer_api.post("/api/v1/articles/", {"text": sample_text})
    assert again.status_code == 200
    assert again.json()["id"] == first["id"]
    assert Article.objects.count() == 1


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"text": "   "}, "text"),
        ({}, "text"),
        ({"text": "A story.", "published": "yesterday"}, "published"),
        ({"text": "A story.", "source_url": "not a url"}, "source_url"),
    ],
)
def test_bad_article_input_is_a_400_with_field_errors_and_stores_nothing(
    reviewer_api, payload, field
):
    response = reviewer_api.post("/api/v1/articles/", payload)
    assert response.status_code == 400
    body = problem(response)
    assert field in body["errors"]
    assert Article.objects.count() == 0


def test_anonymous_gets_401_and_outsider_403_on_import(anon_api, outsider_api):
    anonymous = anon_api.post("/api/v1/articles/", {"text": "A story."})
    assert anonymous.status_code == 401
    assert anonymous["WWW-Authenticate"] == "Token"
    assert problem(anonymous)["code"] == "not-authenticated"
    refused = outsider_api.post("/api/v1/articles/", {"text": "A story."})
    assert refused.status_code == 403
    assert "reviewers and editors" in problem(refused)["detail"]
    assert Article.objects.count() == 0


def test_upload_of_a_text_file_imports_it(editor_api):
    upload = SimpleUploadedFile("story.txt", b"Officials said 40 people were hurt on Monday.\n")
    response = editor_api.post("/api/v1/articles/upload/", {"file": upload}, format="multipart")
    assert response.status_code == 201, response.content
    assert response.json()["text"] == "Officials said 40 people were hurt on Monday.\n"
    assert response.json()["source_format"] == "text"


def test_upload_of_an_unsupported_file_is_a_400_on_file(editor_api):
    upload = SimpleUploadedFile("virus.exe", b"MZ\x90\x00")
    response = editor_api.post("/api/v1/articles/upload/", {"file": upload}, format="multipart")
    assert response.status_code == 400
    assert "Upload a .txt, .md or .html file" in problem(response)["errors"]["file"][0]
    assert Article.objects.count() == 0


def test_import_from_a_url_fetches_it_once(editor_api, monkeypatch):
    calls = []

    def fake_fetch(url, **kwargs):
        calls.append(url)
        return IngestedDocument(
            text="The minister said 12 soldiers died.\n",
            title="Clashes",
            byline=None,
            published=None,
            outlet="Example News",
            url="https://news.example/clashes",
            source_format="url",
        )

    monkeypatch.setattr("claims.ingest.fetch_url", fake_fetch)
    response = editor_api.post(
        "/api/v1/articles/from-url/", {"source_url": "https://news.example/clashes?utm=x"}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["source_url"] == "https://news.example/clashes"
    assert body["source_format"] == "url"
    assert calls == ["https://news.example/clashes?utm=x"]


def test_a_page_that_cannot_be_fetched_is_a_400_on_source_url(editor_api, monkeypatch):
    def failing_fetch(url, **kwargs):
        raise IngestError("Could not fetch news.example: the server refused the connection.")

    monkeypatch.setattr("claims.ingest.fetch_url", failing_fetch)
    response = editor_api.post(
        "/api/v1/articles/from-url/", {"source_url": "https://news.example/"}
    )
    assert response.status_code == 400
    assert "refused the connection" in problem(response)["errors"]["source_url"][0]


def test_an_outsider_cannot_make_the_server_fetch_anything(outsider_api, monkeypatch):
    def must_not_fetch(url, **kwargs):
        raise AssertionError("fetched for someone without a role")

    monkeypatch.setattr("claims.ingest.fetch_url", must_not_fetch)
    response = outsider_api.post("/api/v1/articles/from-url/", {"source_url": "https://x.example/"})
    assert response.status_code == 403


def test_article_list_shows_progress_per_status(reviewer_api, people):
    from tests.workflow import advance

    article = ArticleFactory(title="Clashes")
    ClaimFactory(article=article)
    advance(ClaimFactory(article=article), "in_review", **people)
    response = reviewer_api.get("/api/v1/articles/")
    assert response.status_code == 200
    (item,) = response.json()["results"]
    assert item["title"] == "Clashes"
    assert item["claim_count"] == 2
    assert item["progress"]["new"] == 1 and item["progress"]["in_review"] == 1


def test_article_detail_lists_its_active_claims_in_reading_order(reviewer_api, article):
    later = ClaimFactory(
        article=article,
        start=article.text.index("Officials"),
        end=article.text.index("the report.") + 11,
    )
    earlier = ClaimFactory(article=article)
    response = reviewer_api.get(f"/api/v1/articles/{article.pk}/")
    assert response.status_code == 200
    assert [c["id"] for c in response.json()["claims"]] == [earlier.pk, later.pk]


def test_an_outsider_gets_404_for_an_article_and_403_for_the_list(outsider_api, article):
    assert outsider_api.get(f"/api/v1/articles/{article.pk}/").status_code == 404
    assert outsider_api.get("/api/v1/articles/").status_code == 403


def test_a_missing_article_is_a_404_problem(reviewer_api):
    response = reviewer_api.get("/api/v1/articles/999999/")
    assert response.status_code == 404
    assert problem(response)["code"] == "not-found"
