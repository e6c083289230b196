"""The API for fact-checks, matches and their decisions, and groups of the same claim."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from annotations.models import ClaimSource
from claims import selectors, services
from claims.models import ClaimGroupMember, FactCheck, MatchDecision
from tests.api.conftest import problem
from tests.factories import ArticleFactory, ClaimFactory

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class FactCheckMatch:
    factcheck: FactCheck
    score: float
    why: str


@pytest.fixture
def factcheck(db):
    return FactCheck.objects.create(
        publisher="Full Fact",
        external_id="ff-12",
        url="https://fullfact.org/x/",
        claim_text="Twelve soldiers died.",
        rating_text="Unproven",
        published=dt.date(2020, 7, 20),
    )


@pytest.fixture
def offered(monkeypatch, factcheck):
    monkeypatch.setattr(
        selectors, "checked_before", lambda claim, **kw: [FactCheckMatch(factcheck, 0.87, "figure")]
    )
    return factcheck


# --- fact-checks -----------------------------------------------------------------------------


def tsv(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("f.tsv", text.encode(), content_type="text/tab-separated-values")


def test_an_editor_imports_fact_checks_and_gets_the_refused_rows(editor_api, indexed_noop):
    body = {"file": tsv("id\tclaim\n1\tOne.\n2\t\n"), "publisher": "Ex"}
    response = editor_api.post("/api/v1/factchecks/import/", body, format="multipart")
    assert response.status_code == 200
    data = response.json()
    assert (data["created"], data["updated"], data["unchanged"]) == (1, 0, 0)
    assert data["refused"] == [{"row": 3, "ref": "2", "message": "the claim is empty"}]
    assert data["format"] == "tsv" and "1 of 2" in data["summary"]
    again = editor_api.post(
        "/api/v1/factchecks/import/",
        {"file": tsv("id\tclaim\n1\tOne.\n"), "publisher": "Ex"},
        format="multipart",
    )
    assert again.json()["unchanged"] == 1 and FactCheck.objects.count() == 1


def test_import_is_for_editors_and_bad_files_are_a_400(reviewer_api, editor_api, indexed_noop):
    refused = reviewer_api.post(
        "/api/v1/factchecks/import/", {"file": tsv("id\tclaim\n1\tx\n")}, format="multipart"
    )
    assert refused.status_code == 403 and "Only editors" in problem(refused)["detail"]
    bad = editor_api.post(
        "/api/v1/factchecks/import/", {"file": tsv("nothing\there\n")}, format="multipart"
    )
    assert bad.status_code == 400 and "no claim column" in str(problem(bad))
    assert editor_api.post("/api/v1/factchecks/import/", {}, format="multipart").status_code == 400
    assert FactCheck.objects.count() == 0


def test_fact_checks_are_listed_for_the_workbench_only(reviewer_api, outsider_api, factcheck):
    listed = reviewer_api.get("/api/v1/factchecks/", {"q": "soldiers"}).json()
    assert [f["ref"] for f in listed["results"]] == ["ff-12"]
    assert listed["results"][0]["rating_text"] == "Unproven"
    assert reviewer_api.get("/api/v1/factchecks/", {"publisher": "Other"}).json()["results"] == []
    assert (
        reviewer_api.get(f"/api/v1/factchecks/{factcheck.pk}/").json()["publisher"] == "Full Fact"
    )
    assert reviewer_api.get("/api/v1/factchecks/999999/").status_code == 404
    assert outsider_api.get("/api/v1/factchecks/").status_code == 403


# --- matches ---------------------------------------------------------------------------------


def test_the_matches_of_a_claim_with_their_decision(reviewer_api, claim, offered, reviewer):
    rows = reviewer_api.get(f"/api/v1/claims/{claim.pk}/matches/").json()
    assert rows == [
        {
            "kind": "factcheck",
            "ref": "ff-12",
            "factcheck": offered.pk,
            "claim": None,
            "publisher": "Full Fact",
            "rating": "Unproven",
            "date": "2020-07-20",
            "url": "https://fullfact.org/x/",
            "text": "Twelve soldiers died.",
            "score": 0.87,
            "why": "figure",
            "offered": True,
            "decision": None,
        }
    ]
    confirmed = reviewer_api.post(
        f"/api/v1/claims/{claim.pk}/matches/confirm/",
        {"factcheck": offered.pk, "score": 0.87, "why": "figure"},
    )
    assert confirmed.status_code == 200
    decision = confirmed.json()
    assert decision["decision"] == "confirmed" and decision["actor"]["username"] == "alice"
    assert decision["ref"] == "ff-12" and decision["version"] == 1
    rows = reviewer_api.get(f"/api/v1/claims/{claim.pk}/matches/").json()
    assert rows[0]["decision"]["id"] == decision["id"]


def test_reject_with_a_stale_version_is_a_409(reviewer_api, editor, claim, offered):
    services.match_confirm(actor=editor, claim=claim, factcheck=offered)
    stale = reviewer_api.post(
        f"/api/v1/claims/{claim.pk}/matches/reject/", {"factcheck": offered.pk, "version": 0}
    )
    assert stale.status_code == 409
    fine = reviewer_api.post(
        f"/api/v1/claims/{claim.pk}/matches/reject/", {"factcheck": offered.pk, "version": 1}
    )
    assert fine.status_code == 200 and fine.json()["decision"] == "rejected"


def test_decisions_need_one_match_and_a_role(reviewer_api, outsider_api, claim, offered):
    url = f"/api/v1/claims/{claim.pk}/matches/confirm/"
    assert reviewer_api.post(url, {}).status_code == 400
    both = reviewer_api.post(url, {"factcheck": offered.pk, "claim": claim.pk})
    assert both.status_code == 400
    missing = reviewer_api.post(url, {"factcheck": 999_999})
    assert missing.status_code == 400 and "factcheck" in problem(missing)["errors"]
    assert outsider_api.post(url, {"factcheck": offered.pk}).status_code == 404
    assert not MatchDecision.objects.exists()


def test_a_confirmed_match_is_attached_through_the_api(reviewer_api, reviewer, claim, offered):
    made = services.match_confirm(actor=reviewer, claim=claim, factcheck=offered)
    response = reviewer_api.post(
        f"/api/v1/match-decisions/{made.pk}/attach/", {"stance": "refutes"}
    )
    assert response.status_code == 201
    body = response.json()
    assert body["stance"] == "refutes" and body["source"]["url"] == "https://fullfact.org/x/"
    assert body["source"]["publisher"] == "Full Fact"
    twice = reviewer_api.post(f"/api/v1/match-decisions/{made.pk}/attach/", {})
    assert twice.status_code == 409
    assert reviewer_api.post("/api/v1/match-decisions/999999/attach/", {}).status_code == 404
    bad = reviewer_api.post(f"/api/v1/match-decisions/{made.pk}/attach/", {"stance": "loves"})
    assert bad.status_code == 400
    assert ClaimSource.objects.count() == 1


def test_an_unconfirmed_match_is_not_attached(reviewer_api, reviewer, claim, offered):
    made = services.match_reject(actor=reviewer, claim=claim, factcheck=offered)
    response = reviewer_api.post(f"/api/v1/match-decisions/{made.pk}/attach/", {})
    assert response.status_code == 409 and not ClaimSource.objects.exists()


# --- groups ----------------------------------------------------------------------------------


@pytest.fixture
def same(db):
    return [ClaimFactory(article=ArticleFactory()) for _ in range(3)]


def test_an_editor_groups_and_everyone_reads_the_group(editor_api, reviewer_api, same):
    created = editor_api.post("/api/v1/claim-groups/", {"claims": [same[0].pk, same[1].pk]})
    assert created.status_code == 201
    group = created.json()
    assert group["summary"] == "appears in 2 articles, not rated yet"
    assert group["articles"] == 2 and group["rated"] == 0 and group["version"] == 1
    added = editor_api.post(
        "/api/v1/claim-groups/", {"claims": [same[2].pk], "group": group["id"], "version": 1}
    )
    assert added.status_code == 200 and len(added.json()["claims"]) == 3
    of_claim = reviewer_api.get(f"/api/v1/claims/{same[2].pk}/group/").json()
    assert of_claim["group"]["id"] == group["id"] and of_claim["suggestions"] == []
    listed = reviewer_api.get("/api/v1/claim-groups/").json()
    assert [g["id"] for g in listed] == [group["id"]]
    assert reviewer_api.get(f"/api/v1/claim-groups/{group['id']}/").json()["articles"] == 3
    assert reviewer_api.get("/api/v1/claim-groups/999999/").status_code == 404


def test_editors_get_suggestions_with_the_claims_group(editor_api, same):
    body = editor_api.get(f"/api/v1/claims/{same[0].pk}/group/").json()
    assert body["group"] is None
    assert sorted(s["claim"]["id"] for s in body["suggestions"]) == [same[1].pk, same[2].pk]


def test_grouping_is_refused_to_reviewers_and_bad_input_is_a_400(reviewer_api, editor_api, same):
    refused = reviewer_api.post("/api/v1/claim-groups/", {"claims": [same[0].pk, same[1].pk]})
    assert refused.status_code == 403
    assert editor_api.post("/api/v1/claim-groups/", {"claims": []}).status_code == 400
    assert editor_api.post("/api/v1/claim-groups/", {"claims": [same[0].pk]}).status_code == 400
    assert editor_api.post("/api/v1/claim-groups/", {"claims": ["x"]}).status_code == 400
    assert not ClaimGroupMember.objects.exists()


def test_ungrouping_through_the_api(editor_api, reviewer_api, editor, same):
    services.claims_group(actor=editor, claims=same)
    assert reviewer_api.delete(f"/api/v1/claims/{same[0].pk}/group/").status_code == 403
    response = editor_api.delete(f"/api/v1/claims/{same[0].pk}/group/", {"reason": "Other week"})
    assert response.status_code == 204
    assert not ClaimGroupMember.objects.filter(claim=same[0]).exists()
    assert editor_api.delete(f"/api/v1/claims/{same[0].pk}/group/").status_code == 409
