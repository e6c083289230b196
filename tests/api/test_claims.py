"""Claims through the API: list with filters, detail, edit with version, add, split, merge,
history and verdicts. Every change goes through the services; refusals are problem details."""

from __future__ import annotations

import pytest

from claims import services
from claims.models import Claim, ClaimHistory, ClaimStatus
from tests.api.conftest import problem
from tests.factories import ArticleFactory, ClaimFactory
from tests.workflow import advance

S = ClaimStatus
pytestmark = pytest.mark.django_db


def span(article, start_text, end_text):
    start = article.text.index(start_text)
    return start, article.text.index(end_text, start) + len(end_text)


@pytest.fixture
def three_claims(article):
    first = ClaimFactory(article=article, speaker="the ministry", score=0.9, types=["casualty"])
    start, end = span(article, "Officials", "the report.")
    second = ClaimFactory(
        article=article,
        start=start,
        end=end,
        speaker="Officials",
        score=0.4,
        types=["attribution"],
        figures=[],
    )
    start, end = span(article, "The president", "respond.\u201d")
    third = ClaimFactory(
        article=article,
        start=start,
        end=end,
        speaker="The president",
        score=0.7,
        types=["quote"],
        figures=[],
    )
    return first, second, third


# --- list and filters ---------------------------------------------------------------------


def ids(response):
    assert response.status_code == 200, response.content
    return [c["id"] for c in response.json()["results"]]


def test_claims_are_listed_in_reading_order(reviewer_api, three_claims):
    first, second, third = three_claims
    assert ids(reviewer_api.get("/api/v1/claims/")) == [first.pk, second.pk, third.pk]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("type=quote", [2]),
        ("speaker=minis", [0]),
        ("min_score=0.5", [0, 2]),
        ("min_score=0.5&max_score=0.8", [2]),
        ("q=denied", [1]),
        ("status=new", [0, 1, 2]),
        ("status=in_review", []),
    ],
)
def test_claims_are_filtered(reviewer_api, three_claims, query, expected):
    assert ids(reviewer_api.get(f"/api/v1/claims/?{query}")) == [
        three_claims[i].pk for i in expected
    ]


def test_claims_are_filtered_by_article_state_and_assignee(
    reviewer_api, three_claims, editor, reviewer, second_reviewer
):
    other = ClaimFactory(article=ArticleFactory())
    services.claim_assign(actor=editor, claim=three_claims[1], reviewer=reviewer)
    services.claim_assign(actor=editor, claim=other, reviewer=second_reviewer)
    article = three_claims[0].article_id
    assert ids(reviewer_api.get(f"/api/v1/claims/?article={article}&status=in_review")) == [
        three_claims[1].pk
    ]
    assert ids(reviewer_api.get("/api/v1/claims/?assignee=me")) == [three_claims[1].pk]
    assert ids(reviewer_api.get("/api/v1/claims/?assignee=bob")) == [other.pk]
    assert ids(reviewer_api.get(f"/api/v1/claims/?assignee={second_reviewer.pk}")) == [other.pk]
    assert ids(reviewer_api.get("/api/v1/claims/?assignee=nobody-by-that-name")) == []


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("status=lost", "status"),
        ("type=opinion", "type"),
        ("min_score=2", "min_score"),
        ("article=abc", "article"),
        ("article=0", "article"),
    ],
)
def test_bad_filters_are_a_400_with_the_field(reviewer_api, three_claims, query, field):
    response = reviewer_api.get(f"/api/v1/claims/?{query}")
    assert response.status_code == 400
    assert field in problem(response)["errors"]


def test_claim_list_pages(reviewer_api, three_claims):
    body = reviewer_api.get("/api/v1/claims/?page_size=2").json()
    assert body["count"] == 3 and len(body["results"]) == 2 and body["next"]
    assert len(reviewer_api.get(body["next"]).json()["results"]) == 1


def test_superseded_claims_are_hidden_unless_asked_for(reviewer_api, three_claims, reviewer):
    first = three_claims[0]
    services.claim_split(
        actor=reviewer,
        claim=first,
        at=first.text.index(" the ministry") + first.start,
        expected_version=1,
    )
    listed = ids(reviewer_api.get("/api/v1/claims/"))
    assert first.pk not in listed
    assert first.pk in ids(reviewer_api.get("/api/v1/claims/?include_superseded=true"))


def test_anonymous_and_outsider_cannot_list_claims(anon_api, outsider_api, three_claims):
    assert anon_api.get("/api/v1/claims/").status_code == 401
    response = outsider_api.get("/api/v1/claims/")
    assert response.status_code == 403
    assert problem(response)["detail"] == "Your account has no reviewer or editor role."


# --- detail and edit ----------------------------------------------------------------------


def test_claim_detail_shows_the_verdict_and_what_the_user_may_do(
    editor_api, second_editor_api, claim, people
):
    advance(claim, S.PROPOSED, **people)
    mine = editor_api.get(f"/api/v1/claims/{claim.pk}/").json()
    assert mine["status"] == "proposed"
    assert mine["verdict"]["state"] == "proposed"
    assert mine["verdict"]["summary"] == "The figure is inflated."
    actions = {a["action"]: a for a in mine["actions"]}
    assert set(actions) == {"approve", "request-changes"}
    assert not actions["approve"]["allowed"]
    assert "four-eyes" in actions["approve"]["reason"]
    theirs = second_editor_api.get(f"/api/v1/claims/{claim.pk}/").json()
    assert {a["action"]: a["allowed"] for a in theirs["actions"]} == {
        "approve": True,
        "request-changes": True,
    }


def test_outsider_gets_404_for_a_claim_and_anonymous_401(outsider_api, anon_api, claim):
    assert problem(outsider_api.get(f"/api/v1/claims/{claim.pk}/"))["status"] == 404
    assert anon_api.get(f"/api/v1/claims/{claim.pk}/").status_code == 401


def test_reviewer_edits_a_claim_with_its_version(reviewer_api, claim):
    response = reviewer_api.patch(
        f"/api/v1/claims/{claim.pk}/",
        {
            "version": 1,
            "speaker": "Defence Ministry",
            "types": ["quantity", "casualty"],
            "date": "2020-07-12",
            "figures": [{"value": [10, 12], "hedge": "about", "counted": "soldiers"}],
        },
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["speaker"] == "Defence Ministry"
    assert body["types"] == ["casualty", "quantity"]
    assert body["figures"][0]["value"] == [10, 12]
    assert body["version"] == 2 and body["origin"] == "edited"
    assert ClaimHistory.objects.filter(claim=claim, action="edited").count() == 1


def test_an_edit_based_on_a_stale_version_is_a_409_and_changes_nothing(
    reviewer_api, editor_api, claim
):
    assert (
        reviewer_api.patch(
            f"/api/v1/claims/{claim.pk}/", {"version": 1, "speaker": "Ministry"}
        ).status_code
        == 200
    )
    response = editor_api.patch(f"/api/v1/claims/{claim.pk}/", {"version": 1, "speaker": "Other"})
    assert response.status_code == 409
    body = problem(response)
    assert body["code"] == "stale-version"
    assert body["current_version"] == 2
    claim.refresh_from_db()
    assert claim.speaker == "Ministry"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"speaker": "x"}, "version"),
        ({"version": 1, "types": []}, "types"),
        ({"version": 1, "types": ["opinion"]}, "types.0"),
        ({"version": 1, "start": 5, "end": 2}, "end"),
        ({"version": 1, "end": 10_000}, "end"),
        ({"version": 1, "figures": [{"value": "many"}]}, "figures"),
        ({"version": 1, "date": "12 July"}, "date"),
    ],
)
def test_a_bad_edit_is_a_400_and_changes_nothing(reviewer_api, claim, payload, field):
    response = reviewer_api.patch(f"/api/v1/claims/{claim.pk}/", payload)
    assert response.status_code == 400, response.content
    assert field in problem(response)["errors"]
    claim.refresh_from_db()
    assert claim.version == 1 and claim.speaker == "the ministry"


def test_status_and_version_cannot_be_written(reviewer_api, claim):
    response = reviewer_api.patch(
        f"/api/v1/claims/{claim.pk}/", {"version": 1, "status": "published", "score": 0.1}
    )
    assert response.status_code == 200
    claim.refresh_from_db()
    assert claim.status == S.NEW and claim.score == 0.9 and claim.version == 1


def test_a_published_claim_cannot_be_edited(editor_api, claim, people):
    claim = advance(claim, S.PUBLISHED, **people)
    response = editor_api.patch(
        f"/api/v1/claims/{claim.pk}/", {"version": claim.version, "speaker": "x"}
    )
    assert response.status_code == 409
    assert problem(response)["code"] == "transition-not-allowed"


def test_outsider_cannot_edit_and_learns_nothing(outsider_api, claim):
    response = outsider_api.patch(f"/api/v1/claims/{claim.pk}/", {"version": 1, "speaker": "x"})
    assert response.status_code == 404


# --- add, split, merge --------------------------------------------------------------------


def test_reviewer_adds_a_claim_by_selecting_text(reviewer_api, article):
    start, end = span(article, "About 30,000", "capital.")
    response = reviewer_api.post(
        "/api/v1/claims/",
        {"article": article.pk, "start": start, "end": end, "types": ["quantity"]},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["text"] == "About 30,000 people marched in the capital."
    assert body["origin"] == "added"
    assert Claim.objects.filter(pk=body["id"], article=article).exists()


def test_adding_to_a_missing_article_or_outside_the_text_is_a_400(reviewer_api, article):
    missing = reviewer_api.post(
        "/api/v1/claims/", {"article": 999_999, "start": 0, "end": 5, "types": ["event"]}
    )
    assert missing.status_code == 400 and "article" in problem(missing)["errors"]
    outside = reviewer_api.post(
        "/api/v1/claims/", {"article": article.pk, "start": 0, "end": 99_999, "types": ["event"]}
    )
    assert outside.status_code == 400 and "end" in problem(outside)["errors"]
    assert Claim.objects.count() == 0


def test_outsider_cannot_add_a_claim(outsider_api, article):
    response = outsider_api.post(
        "/api/v1/claims/", {"article": article.pk, "start": 0, "end": 5, "types": ["event"]}
    )
    assert response.status_code == 403
    assert Claim.objects.count() == 0


def test_reviewer_splits_a_claim_in_two(reviewer_api, claim):
    at = claim.start + claim.text.index(" the ministry")
    response = reviewer_api.post(f"/api/v1/claims/{claim.pk}/split/", {"version": 1, "at": at})
    assert response.status_code == 201, response.content
    left, right = response.json()
    assert left["text"] == "At least 12 soldiers were killed on Sunday,"
    assert right["text"] == "the ministry said."
    claim.refresh_from_db()
    assert claim.superseded


def test_a_split_outside_the_claim_is_a_400(reviewer_api, claim):
    response = reviewer_api.post(f"/api/v1/claims/{claim.pk}/split/", {"version": 1, "at": 0})
    assert response.status_code == 400
    assert "at" in problem(response)["errors"]


def test_reviewer_merges_neighbouring_claims(reviewer_api, three_claims):
    first, second, _ = three_claims
    response = reviewer_api.post(
        "/api/v1/claims/merge/", {"claims": [first.pk, second.pk], "versions": [1, 1]}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["origin"] == "merged"
    assert body["text"].startswith("At least 12") and body["text"].endswith("the report.")
    assert sorted(body["derived_from"]) == sorted([first.pk, second.pk])


def test_merging_claims_that_are_not_neighbours_is_a_400(reviewer_api, three_claims):
    first, _, third = three_claims
    response = reviewer_api.post(
        "/api/v1/claims/merge/", {"claims": [first.pk, third.pk], "versions": [1, 1]}
    )
    assert response.status_code == 400
    assert "neighbouring" in problem(response)["errors"]["claims"][0]


def test_merge_with_a_stale_version_is_a_409(reviewer_api, three_claims):
    first, second, _ = three_claims
    response = reviewer_api.post(
        "/api/v1/claims/merge/", {"claims": [first.pk, second.pk], "versions": [3, 1]}
    )
    assert response.status_code == 409
    assert problem(response)["code"] == "stale-version"
    assert not Claim.objects.filter(origin="merged").exists()


# --- history and verdicts -----------------------------------------------------------------


def test_history_lists_every_change_in_order(reviewer_api, claim, people):
    advance(claim, S.PUBLISHED, **people)
    response = reviewer_api.get(f"/api/v1/claims/{claim.pk}/history/")
    assert response.status_code == 200
    assert [row["action"] for row in response.json()] == [
        "assigned",
        "rated",
        "proposed",
        "approved",
        "published",
    ]
    assert response.json()[0]["actor"] == "erin"


def test_verdicts_list_every_version_of_a_corrected_verdict(reviewer_api, claim, people):
    advance(claim, S.CORRECTED, **people)
    response = reviewer_api.get(f"/api/v1/claims/{claim.pk}/verdicts/")
    assert response.status_code == 200
    assert [(v["edition"], v["state"]) for v in response.json()] == [
        (1, "superseded"),
        (2, "published"),
    ]


def test_editor_amends_a_proposed_verdict_with_its_version(second_editor_api, claim, people):
    advance(claim, S.PROPOSED, **people)
    verdict = services.current_verdict(claim)
    response = second_editor_api.patch(
        f"/api/v1/verdicts/{verdict.pk}/",
        {"version": verdict.version, "summary": "Better.", "label": "false"},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["summary"] == "Better." and body["label"]["slug"] == "false"
    assert "frank" in [c["username"] for c in body["contributors"]]
    stale = second_editor_api.patch(
        f"/api/v1/verdicts/{verdict.pk}/", {"version": verdict.version, "summary": "Again."}
    )
    assert stale.status_code == 409 and problem(stale)["code"] == "stale-version"


def test_a_reviewer_who_did_not_write_it_cannot_amend_a_verdict(second_reviewer_api, claim, people):
    advance(claim, S.PROPOSED, **people)
    verdict = services.current_verdict(claim)
    response = second_reviewer_api.patch(
        f"/api/v1/verdicts/{verdict.pk}/", {"version": verdict.version, "summary": "Mine now."}
    )
    assert response.status_code == 403
    verdict.refresh_from_db()
    assert verdict.summary == "The figure is inflated."


def test_amending_with_an_unknown_label_is_a_400(editor_api, claim, people):
    advance(claim, S.PROPOSED, **people)
    verdict = services.current_verdict(claim)
    response = editor_api.patch(
        f"/api/v1/verdicts/{verdict.pk}/", {"version": verdict.version, "label": "pants-on-fire"}
    )
    assert response.status_code == 400 and "label" in problem(response)["errors"]


def test_verdicts_are_404_for_outsiders(outsider_api, claim, people):
    advance(claim, S.PROPOSED, **people)
    verdict = services.current_verdict(claim)
    assert outsider_api.get(f"/api/v1/verdicts/{verdict.pk}/").status_code == 404
    assert outsider_api.get(f"/api/v1/claims/{claim.pk}/verdicts/").status_code == 404
    assert outsider_api.get(f"/api/v1/claims/{claim.pk}/history/").status_code == 404


def test_me_says_who_the_token_belongs_to(editor_api):
    body = editor_api.get("/api/v1/me/").json()
    assert body["username"] == "erin"
    assert body["roles"] == ["editor"]
    assert body["is_editor"] and body["is_reviewer"]


def test_rating_labels_are_listed_in_scale_order(reviewer_api):
    labels = reviewer_api.get("/api/v1/rating-labels/").json()
    assert [label["slug"] for label in labels][:2] == ["true", "mostly-true"]
    assert {label["averitec"] for label in labels} == {
        "Supported",
        "Refuted",
        "Not Enough Evidence",
        "Conflicting Evidence/Cherrypicking",
    }
