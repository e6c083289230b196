"""Nothing unpublished ever appears on a public endpoint.

One article with a claim in every status, each carrying its own marked texts: the claim
itself, its verdict's summary and justification, reviewers' ratings, comments, annotations,
sources nobody relied on and every reason given along the way. Every public endpoint is
fetched and no marker of anything unpublished may appear in any response, nor any reviewer's
username or name (the organisation does not show them).
"""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from annotations import services as notes
from claims import services
from claims.models import Claim, ClaimStatus, Organisation
from tests.factories import ArticleFactory, ClaimSourceFactory, UserFactory
from tests.workflow import correct

S = ClaimStatus
pytestmark = pytest.mark.django_db

PUBLIC = {S.PUBLISHED, S.CORRECTED}


def walk(claim: Claim, to: str, tag: str, people: dict) -> None:
    """Like tests.workflow.advance, but every text written along the way carries ``tag``."""
    reviewer, editor, second = people["reviewer"], people["editor"], people["second_editor"]
    notes.comment_add(actor=reviewer, claim=claim, body=f"SECRET-COMMENT-{tag}")
    notes.annotation_create(
        actor=reviewer,
        claim=claim,
        start=claim.start,
        end=claim.end,
        label="figure",
        comment=f"SECRET-NOTE-{tag}",
    )
    ClaimSourceFactory(
        claim=claim,
        source__url=f"https://secret-source.example/{tag}",
        source__title=f"SECRET-SOURCE-{tag}",
        excerpt=f"SECRET-EXCERPT-{tag}",
    )
    if to == S.NEW:
        return
    if to == S.DISMISSED:
        services.claim_dismiss(actor=reviewer, claim=claim, reason=f"SECRET-REASON-{tag}")
        return
    services.claim_assign(actor=editor, claim=claim, reviewer=reviewer)
    if to == S.IN_REVIEW:
        return
    notes.rating_submit(
        actor=reviewer, claim=claim, label="false", justification=f"SECRET-RATING-{tag}"
    )
    published_text = to in PUBLIC or to == S.RETRACTED
    prefix = "SHOWN" if to in PUBLIC else "SECRET"
    services.claim_propose(
        actor=editor,
        claim=claim,
        label="false",
        summary=f"{prefix}-SUMMARY-{tag}",
        justification=f"{prefix}-JUSTIFICATION-{tag}",
    )
    if to == S.PROPOSED:
        return
    if to == S.CHANGES_REQUESTED:
        services.claim_request_changes(actor=second, claim=claim, reason=f"SECRET-REASON-{tag}")
        return
    services.claim_approve(actor=second, claim=claim)
    if to == S.APPROVED:
        return
    services.claim_publish(actor=second, claim=claim)
    assert published_text
    if to == S.CORRECTED:
        correct(
            claim,
            proposer=second,
            approver=editor,
            note=f"SHOWN-NOTE-{tag}",
            summary=f"SHOWN-SUMMARY2-{tag}",
        )
    if to == S.RETRACTED:
        services.claim_retract(actor=second, claim=claim, reason=f"SECRET-REASON-{tag}")


@pytest.fixture
def people():
    return {
        "reviewer": UserFactory(username="zqreviewer", first_name="Quentina", roles=["reviewer"]),
        "editor": UserFactory(username="zqeditor", first_name="Xavierre", roles=["editor"]),
        "second_editor": UserFactory(username="zqsecond", first_name="Yolandis", roles=["editor"]),
    }


@pytest.fixture
def every_status(people):
    sentences = {s: f"The {s.upper()}-CLAIM-TEXT says 40 soldiers died." for s in S}
    article = ArticleFactory(title="Clashes", text=" ".join(sentences.values()) + "\n")
    claims = {}
    for status, sentence in sentences.items():
        start = article.text.index(sentence)
        claim = Claim.objects.create(
            article=article,
            start=start,
            end=start + len(sentence),
            text=sentence,
            types=["casualty"],
            speaker="the ministry",
        )
        walk(claim, status, status.upper(), people)
        claim.refresh_from_db()
        assert claim.status == status
        claims[status] = claim
    return claims


def public_responses(client: APIClient, claims: dict) -> dict[str, bytes]:
    urls = [
        "/api/v1/published/",
        "/api/v1/published/?page_size=1",
        "/api/v1/published/?q=SECRET",
        "/api/v1/published/?q=CLAIM",
        "/api/v1/published/export.csv",
        "/api/v1/published/export.jsonl",
        "/api/v1/",
        *(f"/api/v1/published/{c.pk}/" for c in claims.values()),
        *(f"/api/v1/published/?article={c.article_id}" for c in list(claims.values())[:1]),
    ]
    seen = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 404, 410), (url, response.status_code)
        streamed = getattr(response, "streaming_content", None)
        body = b"".join(streamed) if streamed is not None else response.content
        seen[url] = body + str(dict(response.headers)).encode()
    return seen


def test_no_public_endpoint_shows_anything_unpublished(every_status, people):
    responses = public_responses(APIClient(), every_status)
    unpublished = [s for s in S if s not in PUBLIC]
    forbidden = [
        "SECRET",
        "zqreviewer",
        "zqeditor",
        "zqsecond",
        "Quentina",
        "Xavierre",
        "Yolandis",
        *(f"{s.upper()}-CLAIM-TEXT" for s in unpublished),
    ]
    for url, body in responses.items():
        text = body.decode("utf-8", errors="replace")
        for marker in forbidden:
            assert marker.lower() not in text.lower(), f"{marker!r} leaked at {url}"


def test_what_is_published_is_there(every_status):
    responses = public_responses(APIClient(), every_status)
    feed = responses["/api/v1/published/"].decode()
    for status in PUBLIC:
        assert f"{status.upper()}-CLAIM-TEXT" in feed
    assert "SHOWN-SUMMARY-PUBLISHED" in feed
    assert "SHOWN-SUMMARY2-CORRECTED" in feed
    corrected = responses[f"/api/v1/published/{every_status[S.CORRECTED].pk}/"].decode()
    assert "SHOWN-SUMMARY-CORRECTED" in corrected  # the corrected version stays readable
    assert "SHOWN-NOTE-CORRECTED" in corrected


def test_a_signed_in_editor_sees_nothing_more_on_public_endpoints(every_status, people):
    from workbench.tokens import create_token

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {create_token(people['editor'])[1]}")
    for url, body in public_responses(client, every_status).items():
        assert b"SECRET" not in body, url


def test_names_appear_only_once_the_organisation_shows_them(every_status):
    org = Organisation.current()
    org.show_reviewer_names = True
    org.save()
    feed = public_responses(APIClient(), every_status)["/api/v1/published/"].decode()
    assert "Xavierre" in feed and "Yolandis" in feed
    assert "Quentina" not in feed  # the reviewer wrote no published verdict
    assert "SECRET" not in feed
