"""The public ratings feed: published and corrected verdicts only, ClaimReview, versions,
retractions, conditional GET, filters, cursor pagination and the researchers' exports."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from django.utils import timezone
from django.utils.http import http_date

from claims import services
from claims.models import ClaimStatus, Organisation, RatingLabel, Verdict
from tests.api.conftest import problem
from tests.factories import ArticleFactory, ClaimFactory, ClaimSourceFactory, UserFactory
from tests.workflow import advance, correct

S = ClaimStatus
pytestmark = pytest.mark.django_db


@pytest.fixture
def published(claim, people):
    claim.article.title = "Border clashes"
    claim.article.url = "https://news.example/clashes"
    claim.article.outlet = "Example News"
    claim.article.published = dt.date(2020, 7, 18)
    claim.article.save()
    return advance(claim, S.PUBLISHED, **people)


def feed(client, query=""):
    response = client.get(f"/api/v1/published/{query}")
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_the_feed_lists_a_published_rating_with_its_claimreview(anon_api, published):
    (item,) = feed(anon_api)
    assert item["id"] == published.pk
    assert item["url"] == f"http://testserver/api/v1/published/{published.pk}/"
    assert item["page_url"] == f"http://testserver/ratings/{published.pk}/"
    assert item["claim"]["text"] == published.text
    assert item["speaker"] == "the ministry"
    assert item["rating"] == {
        "label": "mostly-false",
        "name": "Mostly false",
        "alternate_name": "Mostly false",
        "rating_value": 2,
        "best_rating": 5,
        "worst_rating": 1,
        "averitec": "Refuted",
    }
    assert item["summary"] == "The figure is inflated."
    assert item["reviewers"] == []
    review = item["claimreview"]
    assert review["@context"] == "https://schema.org" and review["@type"] == "ClaimReview"
    assert review["claimReviewed"] == published.text
    assert review["url"] == item["page_url"]
    assert review["reviewRating"] == {
        "@type": "Rating",
        "alternateName": "Mostly false",
        "ratingValue": 2,
        "bestRating": 5,
        "worstRating": 1,
    }
    assert review["itemReviewed"]["@type"] == "Claim"
    assert review["itemReviewed"]["author"]["name"] == "the ministry"
    assert review["itemReviewed"]["appearance"]["url"] == "https://news.example/clashes"
    assert review["author"] == {
        "@type": "Organization",
        "name": "Claim Workbench",
        "url": "https://example.org/",
    }
    assert review["datePublished"] == timezone.now().date().isoformat()


def test_the_feed_shows_the_sources_the_verdict_relies_on(anon_api, claim, people):
    claim = advance(claim, S.IN_REVIEW, **people)
    relied = ClaimSourceFactory(claim=claim, stance="refutes", excerpt="Ten died.")
    ClaimSourceFactory(claim=claim, source__url="https://not-relied-on.example/")
    services.claim_propose(
        actor=people["editor"],
        claim=claim,
        label="false",
        summary="s",
        justification="j",
        source_ids=[relied.source_id],
    )
    services.claim_approve(actor=people["second_editor"], claim=claim)
    services.claim_publish(actor=people["second_editor"], claim=claim)
    (item,) = feed(anon_api)
    assert [(s["url"], s["stance"], s["excerpt"]) for s in item["sources"]] == [
        (relied.source.url, "refutes", "Ten died.")
    ]
    assert b"not-relied-on" not in anon_api.get("/api/v1/published/").content


def test_only_published_and_corrected_claims_are_in_the_feed_newest_first(
    anon_api, article, people
):
    claims = {status: advance(ClaimFactory(article=article), status, **people) for status in S}
    listed = [item["id"] for item in feed(anon_api)]
    assert listed == [claims[S.CORRECTED].pk, claims[S.PUBLISHED].pk]


def test_a_corrected_rating_shows_its_current_version_and_all_versions(anon_api, published, people):
    correct(
        published,
        proposer=people["second_editor"],
        approver=people["editor"],
        label="false",
        summary="The figure is false.",
        note="New ministry data.",
    )
    (item,) = feed(anon_api)
    assert item["edition"] == 2 and item["corrected"] is True
    assert item["rating"]["label"] == "false"
    assert item["correction_note"] == "New ministry data."
    detail = anon_api.get(item["url"]).json()
    assert [(v["edition"], v["label"]["label"], v["corrected"]) for v in detail["versions"]] == [
        (2, "false", False),
        (1, "mostly-false", True),
    ]
    assert detail["versions"][1]["summary"] == "The figure is inflated."
    assert detail["claimreview"]["dateModified"]


def test_a_retracted_rating_is_gone_from_the_feed_and_its_detail_is_410_without_text(
    anon_api, published, people
):
    services.claim_retract(actor=people["second_editor"], claim=published, reason="Withdrawn.")
    assert feed(anon_api) == []
    response = anon_api.get(f"/api/v1/published/{published.pk}/")
    assert response.status_code == 410
    body = problem(response)
    assert body["code"] == "gone" and body["page_url"].endswith(f"/ratings/{published.pk}/")
    assert b"inflated" not in response.content and b"Withdrawn" not in response.content


@pytest.mark.parametrize("status", [S.NEW, S.IN_REVIEW, S.PROPOSED, S.APPROVED, S.DISMISSED])
def test_an_unpublished_claim_has_no_public_detail(anon_api, claim, people, status):
    claim = advance(claim, status, **people)
    response = anon_api.get(f"/api/v1/published/{claim.pk}/")
    assert response.status_code == 404
    assert problem(response)["detail"] == "No such published rating."


def test_reviewer_names_appear_only_when_the_organisation_shows_them(anon_api, published):
    assert b"erin" not in anon_api.get(f"/api/v1/published/{published.pk}/").content
    org = Organisation.current()
    org.show_reviewer_names = True
    org.save()
    item = anon_api.get(f"/api/v1/published/{published.pk}/").json()
    assert {(p["role"], p["name"]) for p in item["reviewers"]} == {
        ("author", "Erin"),
        ("approved_by", "Frank"),
        ("published_by", "Frank"),
    }
    assert {p["name"] for p in feed(anon_api)[0]["reviewers"]} == {"Erin", "Frank"}


# --- filters and pages --------------------------------------------------------------------


@pytest.fixture
def several(people):
    article = ArticleFactory(title="Ceasefire")
    other = ArticleFactory(title="Elections")
    a = advance(ClaimFactory(article=article, speaker="Defence Ministry"), S.PUBLISHED, **people)
    start = other.text.index("The president")
    b = ClaimFactory(
        article=other,
        start=start,
        end=other.text.index("respond.") + 9,
        types=["quote"],
        speaker="The president",
        figures=[],
    )
    b = advance(b, S.PUBLISHED, **people)
    correct(b, proposer=people["second_editor"], approver=people["editor"], note="n", label="true")
    Verdict.objects.filter(claim=a).update(published_at=timezone.now() - dt.timedelta(days=10))
    return a, b, article, other


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["b", "a"]),
        ("?label=true", ["b"]),
        ("?label=mostly-false", ["a"]),
        ("?type=quote", ["b"]),
        ("?speaker=defence", ["a"]),
        ("?q=president", ["b"]),
        ("?q=soldiers", ["a"]),
        ("?label=unknown-label", []),
    ],
)
def test_the_feed_is_filtered(anon_api, several, query, expected):
    a, b, *_ = several
    names = {a.pk: "a", b.pk: "b"}
    assert [names[item["id"]] for item in feed(anon_api, query)] == expected


def test_the_feed_is_filtered_by_article_and_publication_days(anon_api, several):
    a, b, article, _ = several
    today = timezone.now().date()
    assert [i["id"] for i in feed(anon_api, f"?article={article.pk}")] == [a.pk]
    assert [i["id"] for i in feed(anon_api, f"?since={today.isoformat()}")] == [b.pk]
    until = (today - dt.timedelta(days=5)).isoformat()
    assert [i["id"] for i in feed(anon_api, f"?until={until}")] == [a.pk]


@pytest.mark.parametrize(
    "query", ["?since=last-week", "?type=opinion", "?article=-1", "?cursor=garbage"]
)
def test_bad_feed_parameters_are_a_400(anon_api, several, query):
    response = anon_api.get(f"/api/v1/published/{query}")
    assert response.status_code == 400
    assert problem(response)["errors"]


def test_the_feed_pages_with_a_cursor(anon_api, several):
    a, b, *_ = several
    first = anon_api.get("/api/v1/published/?page_size=1").json()
    assert [i["id"] for i in first["results"]] == [b.pk] and first["previous"] is None
    second = anon_api.get(first["next"]).json()
    assert [i["id"] for i in second["results"]] == [a.pk] and second["next"] is None


# --- conditional GET ----------------------------------------------------------------------


def test_the_feed_answers_304_to_a_current_etag_and_changes_it_when_something_is_published(
    anon_api, published, claim, people
):
    first = anon_api.get("/api/v1/published/")
    etag, modified = first["ETag"], first["Last-Modified"]
    assert first["Cache-Control"] == "public, max-age=60, s-maxage=300"
    again = anon_api.get("/api/v1/published/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == etag and "s-maxage=300" in again["Cache-Control"]
    since = anon_api.get("/api/v1/published/", HTTP_IF_MODIFIED_SINCE=modified)
    assert since.status_code == 304
    other_query = anon_api.get("/api/v1/published/?label=true", HTTP_IF_NONE_MATCH=etag)
    assert other_query.status_code == 200

    advance(ClaimFactory(article=claim.article), S.PUBLISHED, **people)
    changed = anon_api.get("/api/v1/published/", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert len(changed.json()["results"]) == 2


def test_a_retraction_changes_the_etag(anon_api, published, people):
    etag = anon_api.get("/api/v1/published/")["ETag"]
    detail_etag = anon_api.get(f"/api/v1/published/{published.pk}/")["ETag"]
    services.claim_retract(actor=people["second_editor"], claim=published, reason="r")
    assert anon_api.get("/api/v1/published/", HTTP_IF_NONE_MATCH=etag).status_code == 200
    detail = anon_api.get(f"/api/v1/published/{published.pk}/", HTTP_IF_NONE_MATCH=detail_etag)
    assert detail.status_code == 410


def test_the_detail_answers_304_and_a_correction_changes_it(anon_api, published, people):
    first = anon_api.get(f"/api/v1/published/{published.pk}/")
    assert first["ETag"] and first["Last-Modified"]
    assert (
        anon_api.get(
            f"/api/v1/published/{published.pk}/", HTTP_IF_NONE_MATCH=first["ETag"]
        ).status_code
        == 304
    )
    correct(
        published,
        proposer=people["second_editor"],
        approver=people["editor"],
        note="n",
        label="true",
    )
    assert (
        anon_api.get(
            f"/api/v1/published/{published.pk}/", HTTP_IF_NONE_MATCH=first["ETag"]
        ).status_code
        == 200
    )


def test_an_old_if_modified_since_gets_the_body(anon_api, published):
    old = http_date((timezone.now() - dt.timedelta(days=1)).timestamp())
    assert anon_api.get("/api/v1/published/", HTTP_IF_MODIFIED_SINCE=old).status_code == 200


def test_renaming_a_rating_label_changes_the_etag(anon_api, published):
    etag = anon_api.get("/api/v1/published/")["ETag"]
    RatingLabel.objects.filter(slug="mostly-false").update(alternate_name="Largely false")
    response = anon_api.get("/api/v1/published/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response.json()["results"][0]["claimreview"]["reviewRating"]["alternateName"] == (
        "Largely false"
    )


def test_showing_reviewer_names_changes_the_etag(anon_api, published):
    etag = anon_api.get("/api/v1/published/")["ETag"]
    Organisation.objects.update(show_reviewer_names=True)
    assert anon_api.get("/api/v1/published/", HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_cache_lifetimes_come_from_settings(anon_api, published, settings):
    settings.PUBLIC_API_CACHE_MAX_AGE = 5
    settings.PUBLIC_API_CACHE_S_MAXAGE = 30
    assert anon_api.get("/api/v1/published/")["Cache-Control"] == "public, max-age=5, s-maxage=30"


def test_the_public_feed_ignores_credentials_and_does_not_vary_on_them(
    editor_api, anon_api, published
):
    signed_in = editor_api.get("/api/v1/published/")
    anonymous = anon_api.get("/api/v1/published/")
    assert signed_in.content == anonymous.content
    assert "Cookie" not in signed_in.get("Vary", "")
    assert "Authorization" not in signed_in.get("Vary", "")


# --- exports ------------------------------------------------------------------------------


def content(response):
    return b"".join(response.streaming_content).decode("utf-8")


def test_csv_export_has_a_row_per_rating_with_the_averitec_label(anon_api, several):
    a, b, *_ = several
    response = anon_api.get("/api/v1/published/export.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(content(response))))
    assert [(int(r["claim_id"]), r["label"], r["averitec_label"]) for r in rows] == [
        (b.pk, "true", "Supported"),
        (a.pk, "mostly-false", "Refuted"),
    ]
    assert rows[1]["claim_text"] == a.text and rows[1]["speaker"] == "Defence Ministry"
    assert rows[1]["article_title"] == "Ceasefire"
    assert rows[1]["page_url"] == f"http://testserver/ratings/{a.pk}/"
    assert rows[0]["corrected"] == "True" and rows[0]["edition"] == "2"


def test_jsonl_export_is_one_object_per_line_and_takes_the_feed_filters(anon_api, several):
    _, b, *_ = several
    response = anon_api.get("/api/v1/published/export.jsonl?label=true")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/jsonl")
    lines = content(response).splitlines()
    rows = [json.loads(line) for line in lines]
    assert [(r["claim_id"], r["averitec_label"]) for r in rows] == [(b.pk, "Supported")]


def test_csv_cells_that_would_run_as_formulas_are_defused(anon_api, claim, people):
    claim.speaker = '=HYPERLINK("http://evil.example")'
    claim.save()
    advance(claim, S.PUBLISHED, **people)
    rows = list(csv.DictReader(io.StringIO(content(anon_api.get("/api/v1/published/export.csv")))))
    assert rows[0]["speaker"].startswith("'=")


def test_exports_answer_in_their_format_whatever_the_client_accepts(anon_api, published):
    response = anon_api.get("/api/v1/published/export.csv", HTTP_ACCEPT="application/json")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    bad = anon_api.get("/api/v1/published/export.csv?since=soon")
    assert bad.status_code == 400 and problem(bad)["errors"]["since"]


def test_exports_answer_304_to_a_current_etag(anon_api, published):
    etag = anon_api.get("/api/v1/published/export.jsonl")["ETag"]
    again = anon_api.get("/api/v1/published/export.jsonl", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304


def test_public_endpoints_allow_partners_pages_to_read_them(anon_api, published):
    assert anon_api.get("/api/v1/published/")["Access-Control-Allow-Origin"] == "*"


def test_an_outsider_with_a_token_sees_the_same_public_feed(client_for, published):
    outsider = client_for(UserFactory(username="partner"))
    assert [i["id"] for i in feed(outsider)] == [published.pk]


def test_a_rating_published_again_after_a_retraction_never_shows_the_withdrawn_editions(
    anon_api, published, people
):
    editor, second = people["editor"], people["second_editor"]
    correct(
        published,
        proposer=second,
        approver=editor,
        note="Revised count.",
        summary="Corrected summary, later withdrawn.",
    )
    services.claim_retract(actor=second, claim=published, reason="Source withdrawn.")
    services.claim_reopen(actor=editor, claim=published, reason="New evidence.")
    services.claim_propose(
        actor=editor,
        claim=published,
        label="half-true",
        summary="Rated again on new evidence.",
        justification="j",
    )
    services.claim_approve(actor=second, claim=published)
    services.claim_publish(actor=second, claim=published)

    response = anon_api.get(f"/api/v1/published/{published.pk}/")
    assert response.status_code == 200
    detail = response.json()
    assert [v["edition"] for v in detail["versions"]] == [3]
    assert detail["summary"] == "Rated again on new evidence."
    for withdrawn in (b"inflated", b"later withdrawn", b"Source withdrawn"):
        assert withdrawn not in response.content
    listed = anon_api.get("/api/v1/published/").content
    assert b"inflated" not in listed and b"later withdrawn" not in listed
