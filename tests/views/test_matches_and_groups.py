"""The claim page: "Checked before?" with other organisations' fact-checks, the buttons to
confirm, reject and attach them; and "Same claim elsewhere" with groups, for editors."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.urls import reverse

from annotations.models import ClaimSource
from claims import selectors, services
from claims.models import ClaimGroupMember, ClaimHistory, ClaimStatus, FactCheck, MatchDecision
from tests.factories import ArticleFactory, ClaimFactory
from tests.views.conftest import htmx
from tests.workflow import advance

pytestmark = pytest.mark.django_db
D = MatchDecision.Decision


@dataclass(frozen=True)
class FactCheckMatch:
    """What the matcher by meaning hands back for another organisation's fact-check."""

    factcheck: FactCheck
    score: float
    why: str


@pytest.fixture
def factcheck(db):
    return FactCheck.objects.create(
        publisher="Full Fact",
        external_id="ff-12",
        url="https://fullfact.org/economy/unemployment/",
        claim_text="Twelve soldiers died on Sunday, the ministry says.",
        title="Did twelve soldiers die?",
        rating_text="Unproven",
        published=dt.date(2020, 7, 20),
    )


@pytest.fixture
def offered(monkeypatch, factcheck):
    """The matcher offers the fact-check for every claim."""
    monkeypatch.setattr(
        selectors,
        "checked_before",
        lambda claim, **kw: [FactCheckMatch(factcheck, 0.87, "same figure and date")],
    )
    return factcheck


def block(response, title="Checked before?"):
    body = response.content.decode()
    start = body.index(title)
    return body[start : body.index("</section>", start)]


def page(client, claim, **headers):
    return client.get(reverse("claim-detail", args=[claim.pk]), **headers)


def test_a_fact_check_shows_publisher_rating_date_link_and_why(as_reviewer, claim, offered):
    for response in (page(as_reviewer, claim), page(as_reviewer, claim, **htmx())):
        shown = block(response)
        assert "Full Fact" in shown and "Unproven" in shown
        assert "checked 20 Jul 2020" in shown
        assert 'href="https://fullfact.org/economy/unemployment/"' in shown
        assert "Why it matched:</span> same figure and date" in shown
        assert "87%" in shown
        assert reverse("claim-match-decide", args=[claim.pk, "confirm"]) in shown
    review = as_reviewer.get(reverse("claim-review", args=[claim.pk]))
    assert "Full Fact" in block(review)


def test_confirm_through_the_page_then_attach(as_reviewer, claim, offered, reviewer):
    response = as_reviewer.post(
        reverse("claim-match-decide", args=[claim.pk, "confirm"]),
        {"factcheck": offered.pk, "score": "0.870000", "why": "same figure and date", "version": 0},
    )
    assert response.status_code == 302
    made = MatchDecision.objects.get()
    assert (made.decision, made.actor, made.score) == (D.CONFIRMED, reviewer, 0.87)
    assert made.explanation == {"why": "same figure and date"}
    shown = block(page(as_reviewer, claim, **htmx()))
    assert "Confirmed the same claim" in shown
    attach = reverse("claim-match-attach", args=[claim.pk, made.pk])
    assert attach in shown
    response = as_reviewer.post(attach, {"stance": "refutes"}, **htmx())
    assert response.status_code == 200
    assert "The fact-check is attached as a source." in response.content.decode()
    use = ClaimSource.objects.get()
    assert use.source.url == offered.url and use.stance == "refutes"
    assert "Attached as a source" in block(page(as_reviewer, claim, **htmx()))


def test_reject_through_the_page_with_htmx(as_reviewer, claim, offered):
    response = as_reviewer.post(
        reverse("claim-match-decide", args=[claim.pk, "reject"]),
        {"factcheck": offered.pk, "version": 0},
        **htmx(),
    )
    assert response.status_code == 200
    assert "Rejected: not the same" in block(response)
    assert MatchDecision.objects.get().decision == D.REJECTED
    assert ClaimHistory.objects.filter(claim=claim, action="match_rejected").count() == 1


def test_a_stale_decision_form_is_refused(as_reviewer, claim, offered, editor):
    services.match_confirm(actor=editor, claim=claim, factcheck=offered)
    response = as_reviewer.post(
        reverse("claim-match-decide", args=[claim.pk, "reject"]),
        {"factcheck": offered.pk, "version": 0},
    )
    assert response.status_code == 409
    assert MatchDecision.objects.get().decision == D.CONFIRMED


def test_bad_decision_input_is_a_400_and_unknown_verbs_a_404(as_reviewer, claim, offered):
    url = reverse("claim-match-decide", args=[claim.pk, "confirm"])
    assert as_reviewer.post(url, {"factcheck": "nope"}).status_code == 400
    assert as_reviewer.post(url, {}).status_code == 400
    wrong = reverse("claim-match-decide", args=[claim.pk, "maybe"])
    assert as_reviewer.post(wrong, {"factcheck": offered.pk}).status_code == 404
    assert not MatchDecision.objects.exists()


def test_attaching_an_unconfirmed_match_through_the_page_is_refused(
    as_reviewer, claim, offered, reviewer
):
    made = services.match_reject(actor=reviewer, claim=claim, factcheck=offered)
    response = as_reviewer.post(reverse("claim-match-attach", args=[claim.pk, made.pk]))
    assert response.status_code == 409 and not ClaimSource.objects.exists()
    other = ClaimFactory(article=ArticleFactory())
    wrong_claim = reverse("claim-match-attach", args=[other.pk, made.pk])
    assert as_reviewer.post(wrong_claim).status_code == 404


def test_a_confirmed_match_stays_shown_when_the_matcher_no_longer_offers_it(
    as_reviewer, claim, factcheck, reviewer
):
    services.match_confirm(actor=reviewer, claim=claim, factcheck=factcheck, score=0.5)
    shown = block(page(as_reviewer, claim, **htmx()))
    assert "Full Fact" in shown and "Confirmed the same claim" in shown


# --- the same claim in several articles ----------------------------------------------------------


@pytest.fixture
def same(db):
    return [ClaimFactory(article=ArticleFactory(title=f"Story {n}")) for n in range(3)]


def test_editors_see_near_identical_claims_and_group_them(as_editor, same):
    shown = block(page(as_editor, same[0]), "Same claim elsewhere")
    assert "Story 1" in shown and "Story 2" in shown and "100% alike" in shown
    url = reverse("claim-group", args=[same[0].pk])
    assert url in shown
    response = as_editor.post(url, {"other": same[1].pk})
    assert response.status_code == 302
    response = as_editor.post(url, {"other": same[2].pk}, **htmx())
    assert response.status_code == 200
    shown = block(response, "Same claim elsewhere")
    assert "This claim appears in 3 articles, not rated yet." in shown
    assert ClaimGroupMember.objects.count() == 3
    assert len({m.group_id for m in ClaimGroupMember.objects.all()}) == 1


def test_a_claim_joins_the_group_of_the_claim_it_is_grouped_with(as_editor, same, editor):
    group = services.claims_group(actor=editor, claims=same[1:])
    as_editor.post(reverse("claim-group", args=[same[0].pk]), {"other": same[1].pk})
    assert set(ClaimGroupMember.objects.values_list("group_id", flat=True)) == {group.pk}


def test_the_page_says_appears_in_n_articles_rated_once(
    client, same, reviewer, editor, second_editor
):
    services.claims_group(actor=editor, claims=same)
    advance(
        same[2],
        ClaimStatus.PUBLISHED,
        reviewer=reviewer,
        editor=editor,
        second_editor=second_editor,
    )
    client.force_login(reviewer)
    shown = block(page(client, same[0]), "Same claim elsewhere")
    assert "This claim appears in 3 articles, rated once." in shown
    assert reverse("claim-detail", args=[same[1].pk]) in shown
    assert reverse("claim-ungroup", args=[same[0].pk]) not in shown  # reviewers do not ungroup
    client.force_login(editor)
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert "The same claim in several articles" in dashboard
    assert "This claim appears in 3 articles, rated once" in dashboard


def test_reviewers_cannot_group_through_the_page(as_reviewer, same):
    response = as_reviewer.post(reverse("claim-group", args=[same[0].pk]), {"other": same[1].pk})
    assert response.status_code == 403 and not ClaimGroupMember.objects.exists()


def test_grouping_with_nothing_or_with_itself_is_a_400(as_editor, same):
    url = reverse("claim-group", args=[same[0].pk])
    assert as_editor.post(url, {"other": "abc"}).status_code == 400
    assert as_editor.post(url, {"other": same[0].pk}).status_code == 400
    assert not ClaimGroupMember.objects.exists()


def test_an_editor_ungroups_through_the_page(as_editor, same, editor):
    services.claims_group(actor=editor, claims=same)
    response = as_editor.post(reverse("claim-ungroup", args=[same[0].pk]), {"reason": "Other day"})
    assert response.status_code == 302
    assert not ClaimGroupMember.objects.filter(claim=same[0]).exists()
    assert ClaimGroupMember.objects.count() == 2
    again = as_editor.post(reverse("claim-ungroup", args=[same[0].pk]))
    assert again.status_code == 409


def test_a_grouped_claim_costs_its_page_one_query_for_the_group(client, same, editor, reviewer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(reviewer)
    url = reverse("claim-detail", args=[same[0].pk])

    def count() -> int:
        client.get(url, **htmx())
        with CaptureQueriesContext(connection) as ctx:
            client.get(url, **htmx())
        return len(ctx.captured_queries)

    alone = count()
    services.claims_group(actor=editor, claims=same)
    assert count() == alone + 1
