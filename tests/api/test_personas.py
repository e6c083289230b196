"""Who sees what, endpoint by endpoint: anonymous clients get 401, people without a role 403
on lists and 404 on objects (never a hint that they exist), reviewers and editors 200 —
except agreement figures, which are the editors'."""

from __future__ import annotations

import pytest

from annotations import services as notes
from claims import services
from claims.models import ClaimStatus
from tests.factories import ClaimSourceFactory
from tests.workflow import advance

pytestmark = pytest.mark.django_db

LIST, OBJECT, EDITORS = "list", "object", "editors"

ENDPOINTS = [
    ("/api/v1/articles/", LIST),
    ("/api/v1/articles/{article}/", OBJECT),
    ("/api/v1/claims/", LIST),
    ("/api/v1/claims/{claim}/", OBJECT),
    ("/api/v1/claims/{claim}/history/", OBJECT),
    ("/api/v1/claims/{claim}/verdicts/", OBJECT),
    ("/api/v1/claims/{claim}/annotations/", OBJECT),
    ("/api/v1/claims/{claim}/comments/", OBJECT),
    ("/api/v1/claims/{claim}/sources/", OBJECT),
    ("/api/v1/claims/{claim}/ratings/", OBJECT),
    ("/api/v1/verdicts/{verdict}/", OBJECT),
    ("/api/v1/annotations/{annotation}/", OBJECT),
    ("/api/v1/claim-sources/{use}/", OBJECT),
    ("/api/v1/sources/", LIST),
    ("/api/v1/sources/{source}/", OBJECT),
    ("/api/v1/rating-labels/", LIST),
    ("/api/v1/annotation-labels/", LIST),
    ("/api/v1/agreement/", EDITORS),
    ("/api/v1/agreement/disagreements/", EDITORS),
]


@pytest.fixture
def ids(claim, people, reviewer):
    claim = advance(claim, ClaimStatus.PROPOSED, **people)
    use = ClaimSourceFactory(claim=claim)
    annotation = notes.annotation_create(
        actor=reviewer, claim=claim, start=claim.start, end=claim.end, label="figure"
    )
    notes.comment_add(actor=reviewer, claim=claim, body="Checked.")
    return {
        "article": claim.article_id,
        "claim": claim.pk,
        "verdict": services.current_verdict(claim).pk,
        "annotation": annotation.pk,
        "use": use.pk,
        "source": use.source_id,
    }


EXPECTED = {
    # kind: (anonymous, outsider, reviewer, editor)
    LIST: (401, 403, 200, 200),
    OBJECT: (401, 404, 200, 200),
    EDITORS: (401, 403, 403, 200),
}


@pytest.mark.parametrize(("url", "kind"), ENDPOINTS)
def test_each_persona_gets_what_its_role_allows(
    url, kind, ids, anon_api, outsider_api, reviewer_api, editor_api
):
    url = url.format(**ids)
    got = tuple(
        client.get(url).status_code for client in (anon_api, outsider_api, reviewer_api, editor_api)
    )
    assert got == EXPECTED[kind], url


@pytest.mark.parametrize(("url", "kind"), [e for e in ENDPOINTS if e[1] == OBJECT])
def test_a_missing_object_looks_the_same_as_a_hidden_one(
    url, kind, ids, reviewer_api, outsider_api
):
    missing = url.format(**{k: 987_654 for k in ids})
    assert reviewer_api.get(missing).status_code == 404
    hidden = outsider_api.get(url.format(**ids))
    assert hidden.json()["detail"] == reviewer_api.get(missing).json()["detail"]


def test_me_answers_anyone_signed_in(anon_api, outsider_api):
    assert anon_api.get("/api/v1/me/").status_code == 401
    body = outsider_api.get("/api/v1/me/").json()
    assert body["roles"] == [] and not body["is_reviewer"] and not body["is_editor"]


def test_a_reviewer_reads_a_verdict_annotation_and_source(reviewer_api, ids):
    verdict = reviewer_api.get(f"/api/v1/verdicts/{ids['verdict']}/").json()
    assert verdict["state"] == "proposed" and verdict["claim"] == ids["claim"]
    annotation = reviewer_api.get(f"/api/v1/annotations/{ids['annotation']}/").json()
    assert annotation["label"] == "figure" and annotation["claim"] == ids["claim"]
    use = reviewer_api.get(f"/api/v1/claim-sources/{ids['use']}/").json()
    assert use["source"]["id"] == ids["source"]
    source = reviewer_api.get(f"/api/v1/sources/{ids['source']}/").json()
    assert source["url"] == use["source"]["url"]


def test_the_api_root_lists_where_things_are(anon_api):
    body = anon_api.get("/api/v1/").json()
    assert body["published"] == "http://testserver/api/v1/published/"
    assert body["schema"].endswith("/api/schema/?format=json")
