"""Annotations, comments, sources, blind ratings and agreement through the API."""

from __future__ import annotations

import pytest

from annotations import services as notes
from annotations.models import Annotation, ClaimSource, Comment, Rating, Source
from claims.models import ClaimStatus
from tests.api.conftest import problem
from tests.factories import ClaimFactory, ClaimSourceFactory
from tests.workflow import advance

S = ClaimStatus
pytestmark = pytest.mark.django_db


# --- annotations --------------------------------------------------------------------------


def test_reviewer_annotates_a_span_and_lists_it(reviewer_api, claim):
    start = claim.article.text.index("At least")
    response = reviewer_api.post(
        f"/api/v1/claims/{claim.pk}/annotations/",
        {"start": start, "end": start + 8, "label": "hedge", "comment": "Hedged."},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["exact"] == "At least" and body["label"] == "hedge"
    assert body["author"]["username"] == "alice"
    listed = reviewer_api.get(f"/api/v1/claims/{claim.pk}/annotations/").json()
    assert [a["id"] for a in listed] == [body["id"]]


def test_annotation_with_an_unknown_label_or_bad_span_is_a_400(reviewer_api, claim):
    bad_label = reviewer_api.post(
        f"/api/v1/claims/{claim.pk}/annotations/", {"start": 0, "end": 5, "label": "nope"}
    )
    assert bad_label.status_code == 400 and "label" in problem(bad_label)["errors"]
    bad_span = reviewer_api.post(
        f"/api/v1/claims/{claim.pk}/annotations/", {"start": 5, "end": 5, "label": "hedge"}
    )
    assert bad_span.status_code == 400 and "end" in problem(bad_span)["errors"]
    assert not Annotation.objects.exists()


def test_annotation_update_needs_its_version_and_its_author_or_an_editor(
    reviewer_api, second_reviewer_api, editor_api, claim, reviewer
):
    annotation = notes.annotation_create(
        actor=reviewer, claim=claim, start=0, end=6, label="figure"
    )
    url = f"/api/v1/annotations/{annotation.pk}/"
    refused = second_reviewer_api.patch(url, {"version": 1, "comment": "Mine."})
    assert refused.status_code == 403
    changed = editor_api.patch(url, {"version": 1, "comment": "Checked.", "label": "date"})
    assert changed.status_code == 200, changed.content
    assert changed.json()["label"] == "date" and changed.json()["version"] == 2
    stale = reviewer_api.patch(url, {"version": 1, "comment": "Late."})
    assert stale.status_code == 409 and problem(stale)["current_version"] == 2


def test_annotations_are_404_for_outsiders(outsider_api, claim, reviewer):
    annotation = notes.annotation_create(
        actor=reviewer, claim=claim, start=0, end=6, label="figure"
    )
    assert outsider_api.get(f"/api/v1/annotations/{annotation.pk}/").status_code == 404
    assert outsider_api.get(f"/api/v1/claims/{claim.pk}/annotations/").status_code == 404


def test_annotation_labels_are_listed(reviewer_api):
    slugs = [label["slug"] for label in reviewer_api.get("/api/v1/annotation-labels/").json()]
    assert slugs[:3] == ["figure", "speaker", "hedge"]


# --- comments -----------------------------------------------------------------------------


def test_comments_and_replies(reviewer_api, editor_api, claim):
    first = reviewer_api.post(f"/api/v1/claims/{claim.pk}/comments/", {"body": "Source?"})
    assert first.status_code == 201
    reply = editor_api.post(
        f"/api/v1/claims/{claim.pk}/comments/", {"body": "Ministry.", "parent": first.json()["id"]}
    )
    assert reply.status_code == 201 and reply.json()["parent"] == first.json()["id"]
    listed = reviewer_api.get(f"/api/v1/claims/{claim.pk}/comments/").json()
    assert [c["body"] for c in listed] == ["Source?", "Ministry."]


def test_empty_comment_or_reply_to_another_claims_comment_is_a_400(reviewer_api, claim, reviewer):
    other = notes.comment_add(actor=reviewer, claim=ClaimFactory(), body="Elsewhere.")
    empty = reviewer_api.post(f"/api/v1/claims/{claim.pk}/comments/", {"body": " "})
    assert empty.status_code == 400 and "body" in problem(empty)["errors"]
    wrong = reviewer_api.post(
        f"/api/v1/claims/{claim.pk}/comments/", {"body": "Hi", "parent": other.pk}
    )
    assert wrong.status_code == 400 and "parent" in problem(wrong)["errors"]
    assert Comment.objects.count() == 1


# --- sources ------------------------------------------------------------------------------


def test_reviewer_attaches_a_source_and_the_same_url_is_one_record(reviewer_api, editor_api, claim):
    response = reviewer_api.post(
        f"/api/v1/claims/{claim.pk}/sources/",
        {
            "url": "https://Gov.example/report?utm_source=x",
            "title": "Report",
            "kind": "primary",
            "stance": "refutes",
            "excerpt": "Ten died.",
            "published": "2020-07-20",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["source"]["url"] == "https://gov.example/report"
    assert body["stance"] == "refutes" and body["published_after_claim"] is False
    other = ClaimFactory(article=claim.article)
    again = editor_api.post(
        f"/api/v1/claims/{other.pk}/sources/", {"url": "https://gov.example/report"}
    )
    assert again.json()["source"]["id"] == body["source"]["id"]
    assert Source.objects.count() == 1
    found = reviewer_api.get("/api/v1/sources/?q=gov.example").json()["results"]
    assert [(s["id"], s["claims"]) for s in found] == [(body["source"]["id"], 2)]


def test_attaching_the_same_source_twice_is_a_409_and_a_bad_url_a_400(reviewer_api, claim):
    url = f"/api/v1/claims/{claim.pk}/sources/"
    assert reviewer_api.post(url, {"url": "https://a.example/"}).status_code == 201
    twice = reviewer_api.post(url, {"url": "https://a.example/"})
    assert twice.status_code == 409 and problem(twice)["code"] == "conflict"
    bad = reviewer_api.post(url, {"url": "javascript:alert(1)"})
    assert bad.status_code == 400 and "url" in problem(bad)["errors"]
    bad_stance = reviewer_api.post(url, {"url": "https://b.example/", "stance": "loves"})
    assert bad_stance.status_code == 400 and "stance" in problem(bad_stance)["errors"]
    assert ClaimSource.objects.count() == 1


def test_a_source_is_detached_unless_a_verdict_relies_on_it(editor_api, claim, people):
    claim = advance(claim, S.IN_REVIEW, **people)
    kept = ClaimSourceFactory(claim=claim)
    loose = ClaimSourceFactory(claim=claim)
    editor_api.post(
        f"/api/v1/claims/{claim.pk}/propose/",
        {
            "label": "false",
            "summary": "s",
            "justification": "j",
            "sources": [kept.source_id],
            "version": claim.version,
        },
    )
    # Both were added by someone else: an editor removing them says why.
    why = {"reason": "Not about this claim."}
    assert editor_api.delete(f"/api/v1/claim-sources/{loose.pk}/", why).status_code == 204
    refused = editor_api.delete(f"/api/v1/claim-sources/{kept.pk}/", why)
    assert refused.status_code == 409
    assert "relies on that source" in problem(refused)["detail"]
    assert list(ClaimSource.objects.values_list("pk", flat=True)) == [kept.pk]


def test_sources_are_404_for_outsiders(outsider_api, claim):
    use = ClaimSourceFactory(claim=claim)
    assert outsider_api.get(f"/api/v1/claim-sources/{use.pk}/").status_code == 404
    assert outsider_api.delete(f"/api/v1/claim-sources/{use.pk}/").status_code == 404
    assert outsider_api.get(f"/api/v1/sources/{use.source_id}/").status_code == 404
    assert outsider_api.get("/api/v1/sources/").status_code == 403
    assert ClaimSource.objects.filter(pk=use.pk).exists()


# --- ratings: blind -----------------------------------------------------------------------


@pytest.fixture
def rated(claim, editor, reviewer, second_reviewer):
    from claims import services

    services.claim_assign(actor=editor, claim=claim, reviewer=reviewer)
    services.claim_assign(actor=editor, claim=claim, reviewer=second_reviewer)
    notes.rating_submit(
        actor=second_reviewer, claim=claim, label="false", justification="Bob's secret reasoning."
    )
    claim.refresh_from_db()
    return claim


def test_a_reviewer_sees_no_other_rating_before_rating(reviewer_api, rated):
    body = reviewer_api.get(f"/api/v1/claims/{rated.pk}/ratings/").json()
    assert body["own"] is None and body["ratings"] == [] and body["hidden"] == 1
    assert "blind" in body["blind_reason"].lower()
    assert (
        b"secret reasoning" not in reviewer_api.get(f"/api/v1/claims/{rated.pk}/ratings/").content
    )


def test_after_rating_the_reviewer_sees_the_others(reviewer_api, rated):
    response = reviewer_api.post(
        f"/api/v1/claims/{rated.pk}/ratings/",
        {
            "label": "mostly-false",
            "justification": "Numbers differ.",
            "confidence": 4,
            "version": 0,  # a first rating
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["own"]["label"]["slug"] == "mostly-false" and body["own"]["confidence"] == 4
    assert sorted(r["reviewer"]["username"] for r in body["ratings"]) == ["alice", "bob"]
    assert body["hidden"] == 0


def test_editors_see_every_rating(editor_api, rated):
    body = editor_api.get(f"/api/v1/claims/{rated.pk}/ratings/").json()
    assert [r["justification"] for r in body["ratings"]] == ["Bob's secret reasoning."]


def test_revising_a_rating_needs_its_version(second_reviewer_api, rated):
    rating = Rating.objects.get(claim=rated)
    url = f"/api/v1/claims/{rated.pk}/ratings/"
    stale = second_reviewer_api.post(
        url, {"label": "true", "justification": "Changed.", "version": rating.version + 5}
    )
    assert stale.status_code == 409
    ok = second_reviewer_api.post(
        url, {"label": "true", "justification": "Changed.", "version": rating.version}
    )
    assert ok.status_code == 201 and ok.json()["own"]["version"] == rating.version + 1


def test_only_assigned_reviewers_rate_and_bad_ratings_are_400(client_for, reviewer_api, rated):
    from tests.factories import UserFactory

    carol = client_for(UserFactory(username="carol", roles=["reviewer"]))
    refused = carol.post(
        f"/api/v1/claims/{rated.pk}/ratings/", {"label": "true", "justification": "x"}
    )
    assert refused.status_code == 403
    for body, field in [
        ({"label": "nope", "justification": "x", "version": 0}, "label"),
        ({"label": "true", "justification": "", "version": 0}, "justification"),
        ({"label": "true", "justification": "x", "confidence": 9, "version": 0}, "confidence"),
    ]:
        response = reviewer_api.post(f"/api/v1/claims/{rated.pk}/ratings/", body)
        assert response.status_code == 400, body
        assert field in problem(response)["errors"]
    assert Rating.objects.filter(claim=rated).count() == 1


# --- agreement ----------------------------------------------------------------------------


def test_editors_get_agreement_figures_and_disagreements(editor_api, rated, reviewer):
    notes.rating_submit(actor=reviewer, claim=rated, label="true", justification="Fine.")
    report = editor_api.get(f"/api/v1/agreement/?article={rated.article_id}").json()
    assert report["claims_rated"] == 1 and report["ratings"] == 2
    assert report["per_pair"][0]["reviewers"] == ["alice", "bob"]
    assert {r["reviewer"] for r in report["per_reviewer"]} == {"alice", "bob"}
    flagged = editor_api.get("/api/v1/agreement/disagreements/").json()["results"]
    assert [(c["id"], c["rating_spread"]) for c in flagged] == [(rated.pk, 4)]


def test_reviewers_do_not_get_agreement_figures(reviewer_api, outsider_api, rated):
    response = reviewer_api.get("/api/v1/agreement/")
    assert response.status_code == 403
    assert "editors" in problem(response)["detail"]
    assert reviewer_api.get("/api/v1/agreement/disagreements/").status_code == 403
    assert outsider_api.get("/api/v1/agreement/").status_code == 403


def test_agreement_filters_are_checked(editor_api):
    response = editor_api.get("/api/v1/agreement/?type=opinion")
    assert response.status_code == 400 and "type" in problem(response)["errors"]
