"""Every page of the workbench: who may see it, what it shows, and that nothing from an
article's text reaches the page unescaped."""

from __future__ import annotations

import html
import json
import re

import pytest
from django.urls import reverse

from claims.models import Article, ClaimStatus
from tests.factories import ArticleFactory, ClaimFactory
from tests.views.conftest import HTMX, htmx
from tests.workflow import advance

pytestmark = pytest.mark.django_db
S = ClaimStatus


def workbench_urls(claim):
    return [
        reverse("dashboard"),
        reverse("article-list"),
        reverse("article-import"),
        reverse("article-detail", args=[claim.article_id]),
        reverse("article-status", args=[claim.article_id]),
        reverse("article-figures", args=[claim.article_id]),
        reverse("contested-figures"),
        reverse("claim-detail", args=[claim.pk]),
        reverse("claim-review", args=[claim.pk]),
        reverse("search") + "?q=soldiers",
    ]


def test_anonymous_people_are_sent_to_sign_in(client, claim):
    for url in workbench_urls(claim):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login") + "?next="), url


def test_an_account_without_a_role_is_refused_and_told_why(client, outsider, claim):
    client.force_login(outsider)
    for url in workbench_urls(claim):
        response = client.get(url)
        assert response.status_code == 403, url
        assert b"no reviewer or editor role" in response.content, url


def test_every_workbench_page_renders_for_a_reviewer(as_reviewer, claim):
    for url in workbench_urls(claim):
        response = as_reviewer.get(url)
        assert response.status_code == 200, url
        assert b"<h1" in response.content or url.endswith("/status/"), url


def test_what_does_not_exist_is_a_404(as_reviewer):
    for url in (
        "/articles/999999/",
        "/claims/999999/",
        "/claims/999999/review/",
        "/articles/999999/figures/",
        "/ratings/999999/",
    ):
        assert as_reviewer.get(url).status_code == 404, url


def test_sign_in_page_signs_in_and_lands_on_the_dashboard(client, reviewer):
    page = client.get(reverse("login"))
    assert page.status_code == 200
    assert b'<label for="id_username"' in page.content
    response = client.post(
        reverse("login"),
        {"username": "alice", "password": "correct horse battery staple"},
    )
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")
    assert client.get(reverse("dashboard")).status_code == 200


def test_signing_out_needs_a_post_and_ends_the_session(as_reviewer):
    response = as_reviewer.post(reverse("logout"))
    assert response.status_code == 302
    assert as_reviewer.get(reverse("dashboard")).status_code == 302


# --- the dashboard -------------------------------------------------------------------------------


def test_dashboard_lists_my_claims_by_state(as_reviewer, reviewer, editor, article):
    mine = ClaimFactory(article=article)
    from claims import services

    services.claim_assign(actor=editor, claim=mine, reviewer=reviewer)
    body = as_reviewer.get(reverse("dashboard")).content.decode()
    assert "My claims" in body and "In review" in body
    assert reverse("claim-detail", args=[mine.pk]) in body
    assert "Verdicts waiting for editors" not in body  # reviewers have no editors' queue


def test_dashboard_shows_editors_the_queue_and_disagreements(
    client, reviewer, second_reviewer, editor, claim
):
    from annotations import services as notes
    from claims import services

    services.claim_assign(actor=editor, claim=claim, reviewer=reviewer)
    services.claim_assign(actor=editor, claim=claim, reviewer=second_reviewer)
    notes.rating_submit(actor=reviewer, claim=claim, label="true", justification="j")
    notes.rating_submit(actor=second_reviewer, claim=claim, label="false", justification="j")
    services.claim_propose(
        actor=editor, claim=claim, label="half-true", summary="s", justification="j"
    )
    client.force_login(editor)
    body = client.get(reverse("dashboard")).content.decode()
    assert "Verdicts waiting for editors" in body
    assert reverse("claim-review", args=[claim.pk]) in body
    assert "Flagged disagreements" in body and "4 steps apart" in body
    assert claim.article.title in body  # the articles with their progress


# --- the reader --------------------------------------------------------------------------------


def pieces(body: str) -> list[tuple[int, str]]:
    """(data-o, text) of every piece of article text, in page order."""
    block = body[body.index('id="article-text"') :]
    block = block[: block.index("</article>")]
    found = re.findall(r'<(?:span|a)\b[^>]*\bdata-o="(\d+)"[^>]*>([^<]*)</(?:span|a)>', block)
    return [(int(o), html.unescape(text)) for o, text in found]


def test_reader_shows_every_character_once_with_code_point_offsets(as_reviewer, sample_article):
    body = as_reviewer.get(reverse("article-detail", args=[sample_article.pk])).content.decode()
    found = pieces(body)
    assert "".join(text for _, text in found) == sample_article.text
    position = 0
    for offset, text in found:
        assert offset == position  # offsets in code points, as Python counts them
        position += len(text)
    assert "Erdoğan" in sample_article.text and "İsmail" in sample_article.text


def test_reader_highlights_every_claim_with_its_type_and_state(as_reviewer, sample_article):
    body = as_reviewer.get(reverse("article-detail", args=[sample_article.pk])).content.decode()
    claims = list(sample_article.claims.active())
    assert len(claims) > 10
    for claim in claims:
        assert f'id="claim-{claim.pk}"' in body
        assert f'data-tag="{claim.pk}"' in body
    assert 'class="claim t-casualty s-new' in body
    assert "Casualty" in body and "Attribution" in body  # the legend


def test_reader_escapes_the_article_text(as_reviewer, reviewer):
    hostile = 'Intro.\n\n<script>alert("x")</script> At least 5 people died, "officials" said.\n'
    article = ArticleFactory(text=hostile)
    start = hostile.index("At least")
    ClaimFactory(article=article, start=start, end=len(hostile) - 1)
    body = as_reviewer.get(reverse("article-detail", args=[article.pk])).content.decode()
    assert '<script>alert("x")</script>' not in body
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in body


def test_claim_page_is_the_reader_with_the_claim_selected(as_reviewer, claim):
    body = as_reviewer.get(reverse("claim-detail", args=[claim.pk])).content.decode()
    assert 'id="claim-panel"' in body and f'data-claim-id="{claim.pk}"' in body
    assert "is-selected" in body
    assert 'id="article-text"' in body


def test_selecting_a_claim_with_htmx_returns_only_the_panel(as_reviewer, claim):
    response = as_reviewer.get(reverse("claim-detail", args=[claim.pk]), **htmx())
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<section id="claim-panel"')
    assert "<html" not in body


def test_a_history_restore_gets_the_whole_page(as_reviewer, claim):
    response = as_reviewer.get(
        reverse("claim-detail", args=[claim.pk]),
        **htmx(),
        HTTP_HX_HISTORY_RESTORE_REQUEST="true",
    )
    assert b"<html" in response.content


def test_reader_shows_extraction_progress_and_polls_until_done(as_reviewer):
    article = ArticleFactory(extraction_status=Article.Extraction.RUNNING)
    body = as_reviewer.get(reverse("article-detail", args=[article.pk])).content.decode()
    assert "Finding the claims" in body
    assert f'hx-get="{reverse("article-status", args=[article.pk])}"' in body
    assert 'http-equiv="refresh"' in body  # without JavaScript the page reloads itself
    Article.objects.filter(pk=article.pk).update(extraction_status=Article.Extraction.DONE)
    done = as_reviewer.get(reverse("article-status", args=[article.pk]), **HTMX)
    assert done.status_code == 204 and done["HX-Refresh"] == "true"


def test_failed_extraction_says_so(as_reviewer):
    article = ArticleFactory(
        extraction_status=Article.Extraction.FAILED, extraction_error="Extraction failed: boom"
    )
    body = as_reviewer.get(reverse("article-detail", args=[article.pk])).content.decode()
    assert "The extraction failed." in body and "boom" in body


# --- the editor's view ------------------------------------------------------------------------


def test_editor_view_shows_ratings_side_by_side_with_agreement(
    client, reviewer, second_reviewer, editor, claim
):
    from annotations import services as notes
    from claims import services

    services.claim_assign(actor=editor, claim=claim, reviewer=reviewer)
    services.claim_assign(actor=editor, claim=claim, reviewer=second_reviewer)
    notes.rating_submit(actor=reviewer, claim=claim, label="false", justification="Wrong.")
    notes.rating_submit(actor=second_reviewer, claim=claim, label="true", justification="Right.")
    client.force_login(editor)
    body = client.get(reverse("claim-review", args=[claim.pk])).content.decode()
    assert "Wrong." in body and "Right." in body
    assert body.count('class="rating-card"') == 2
    assert "Disagreement" in body and "4 steps apart" in body


def test_ratings_are_blind_until_the_reviewer_rates(
    client, reviewer, second_reviewer, editor, claim
):
    from annotations import services as notes
    from claims import services

    services.claim_assign(actor=editor, claim=claim, reviewer=reviewer)
    services.claim_assign(actor=editor, claim=claim, reviewer=second_reviewer)
    notes.rating_submit(actor=reviewer, claim=claim, label="false", justification="Secret.")
    client.force_login(second_reviewer)
    for name in ("claim-detail", "claim-review"):
        body = client.get(reverse(name, args=[claim.pk])).content.decode()
        assert "Secret." not in body
        assert "1 other rating hidden" in body or "1 rating hidden" in body
    notes.rating_submit(actor=second_reviewer, claim=claim, label="true", justification="Mine.")
    body = client.get(reverse("claim-detail", args=[claim.pk])).content.decode()
    assert "Secret." in body


# --- search and contested figures ------------------------------------------------------------


def test_search_finds_claims_speakers_and_articles(as_reviewer, sample_article):
    body = as_reviewer.get(reverse("search"), {"q": "Veliyev"}).content.decode()
    assert "nearly 100 Armenian soldiers" in body
    assert "Kerim Veliyev" in body
    title = as_reviewer.get(reverse("search"), {"q": "Caucasus"}).content.decode()
    assert reverse("article-detail", args=[sample_article.pk]) in title


def test_search_filters_by_state_and_type(as_reviewer, sample_article):
    body = as_reviewer.get(reverse("search"), {"type": "casualty"}).content.decode()
    assert "nearly 100 Armenian soldiers" in body
    assert "International concern is high" not in body
    none = as_reviewer.get(reverse("search"), {"status": "published"}).content.decode()
    assert "No claims match." in none


def test_search_answers_htmx_with_the_results_only(as_reviewer, sample_article):
    response = as_reviewer.get(reverse("search"), {"q": "Erdoğan"}, **htmx("search-results"))
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="search-results"') and "<html" not in body
    assert "Erdoğan" in body


def test_contested_figures_put_the_two_casualty_counts_side_by_side(as_reviewer, sample_article):
    for url in (reverse("article-figures", args=[sample_article.pk]), reverse("contested-figures")):
        body = as_reviewer.get(url).content.decode()
        assert "Soldier" in body and "Armenia" in body
        assert "nearly</span> <strong>100</strong>" in body
        assert "<strong>4</strong>" in body
        assert "Kerim Veliyev" in body


# --- the public pages ------------------------------------------------------------------------


def publish(claim, reviewer, editor, second_editor, to=S.PUBLISHED):
    return advance(claim, to, reviewer=reviewer, editor=editor, second_editor=second_editor)


def test_public_list_shows_published_verdicts_newest_first_with_filters(
    client, article, reviewer, editor, second_editor
):
    first = publish(ClaimFactory(article=article), reviewer, editor, second_editor)
    second = publish(ClaimFactory(article=article), reviewer, editor, second_editor, S.CORRECTED)
    hidden = advance(
        ClaimFactory(article=article),
        S.APPROVED,
        reviewer=reviewer,
        editor=editor,
        second_editor=second_editor,
    )
    body = client.get(reverse("public-ratings")).content.decode()
    assert body.index(f"/ratings/{second.pk}/") < body.index(f"/ratings/{first.pk}/")
    assert f"/ratings/{hidden.pk}/" not in body
    only_false = client.get(reverse("public-ratings"), {"rating": "false"}).content.decode()
    assert f"/ratings/{second.pk}/" in only_false and f"/ratings/{first.pk}/" not in only_false


def test_public_verdict_page_has_claimreview_json_ld(
    client, claim, reviewer, editor, second_editor
):
    claim = publish(claim, reviewer, editor, second_editor)
    body = client.get(reverse("public-rating", args=[claim.pk])).content.decode()
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', body, re.S)
    assert match
    document = json.loads(match.group(1))
    assert document["@type"] == "ClaimReview"
    assert document["claimReviewed"] == claim.text
    assert document["reviewRating"]["alternateName"] == "Mostly false"
    assert document["url"].endswith(f"/ratings/{claim.pk}/")
    assert "The figure is inflated." in body  # the verdict's summary
    assert "ministry said" in body  # the claim in its article


def test_json_ld_cannot_be_closed_by_the_claim_text(client, reviewer, editor, second_editor):
    text = "Intro.\n\nAt least 3 died </script><script>alert(1)</script> the ministry said.\n"
    article = ArticleFactory(text=text)
    claim = ClaimFactory(article=article, start=text.index("At least"), end=len(text) - 1)
    claim = publish(claim, reviewer, editor, second_editor)
    body = client.get(reverse("public-rating", args=[claim.pk])).content.decode()
    assert "<script>alert(1)" not in body
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', body, re.S)
    assert "</script><script>" in json.loads(match.group(1))["claimReviewed"]


def test_corrected_verdict_shows_its_history(client, claim, reviewer, editor, second_editor):
    claim = publish(claim, reviewer, editor, second_editor, S.CORRECTED)
    body = client.get(reverse("public-rating", args=[claim.pk])).content.decode()
    assert "Correction history" in body
    assert "The ministry revised its figure." in body
    assert "The figure is inflated." in body  # the earlier version, still readable


def test_retracted_verdict_shows_a_notice_and_no_verdict(
    client, claim, reviewer, editor, second_editor
):
    claim = publish(claim, reviewer, editor, second_editor, S.RETRACTED)
    response = client.get(reverse("public-rating", args=[claim.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "This fact check was retracted" in body and "Source withdrawn." in body
    assert "The figure is inflated." not in body
    assert "application/ld+json" not in body


@pytest.mark.parametrize("status", [S.NEW, S.IN_REVIEW, S.PROPOSED, S.APPROVED, S.DISMISSED])
def test_anything_unpublished_is_a_404_in_public(
    client, claim, reviewer, editor, second_editor, status
):
    claim = advance(claim, status, reviewer=reviewer, editor=editor, second_editor=second_editor)
    assert client.get(reverse("public-rating", args=[claim.pk])).status_code == 404


def test_editors_see_the_articles_reviewer_agreement_and_reviewers_do_not(
    client, reviewer, second_reviewer, editor, claim
):
    from annotations import services as notes
    from claims import services

    services.claim_assign(actor=editor, claim=claim, reviewer=reviewer)
    services.claim_assign(actor=editor, claim=claim, reviewer=second_reviewer)
    notes.rating_submit(actor=reviewer, claim=claim, label="false", justification="j")
    notes.rating_submit(actor=second_reviewer, claim=claim, label="mostly-false", justification="j")
    url = reverse("article-detail", args=[claim.article_id])
    client.force_login(editor)
    assert "Reviewer agreement on this article" in client.get(url).content.decode()
    client.force_login(reviewer)
    assert "Reviewer agreement" not in client.get(url).content.decode()


def test_an_expired_session_sends_htmx_requests_to_the_sign_in_page(client, claim):
    response = client.get(
        reverse("claim-detail", args=[claim.pk]),
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="claim-panel",
        HTTP_HX_CURRENT_URL=f"http://testserver/articles/{claim.article_id}/",
    )
    assert response.status_code == 204
    assert response["HX-Redirect"] == (f"/accounts/login/?next=/articles/{claim.article_id}/")


def test_dashboard_offers_reviewers_the_claims_nobody_has_taken(as_reviewer, editor, article):
    from claims import services

    free = ClaimFactory(article=article, score=0.95)
    taken = ClaimFactory(article=article, score=0.99)
    services.claim_assign(actor=editor, claim=taken, reviewer=editor)
    body = as_reviewer.get(reverse("dashboard")).content.decode()
    assert "Claims nobody has taken" in body
    section = body[body.index("Claims nobody has taken") :]
    assert reverse("claim-detail", args=[free.pk]) in section
    assert reverse("claim-detail", args=[taken.pk]) not in section.split("</section>")[0]


def test_a_split_claim_links_to_what_replaced_it(as_reviewer, claim, reviewer):
    from claims import services

    at = claim.article.text.index(" the ministry said")
    first, second = services.claim_split(actor=reviewer, claim=claim, at=at, expected_version=1)
    body = as_reviewer.get(reverse("claim-detail", args=[claim.pk])).content.decode()
    assert "was split or merged" in body
    assert reverse("claim-detail", args=[first.pk]) in body
    assert reverse("claim-detail", args=[second.pk]) in body


def test_dashboard_counts_all_my_claims_when_it_lists_only_the_latest(
    as_reviewer, reviewer, article
):
    from claims.models import ClaimAssignment
    from claims.selectors import MY_CLAIMS_PER_STATUS

    claims = ClaimFactory.create_batch(MY_CLAIMS_PER_STATUS + 1, article=article)
    ClaimAssignment.objects.bulk_create(
        ClaimAssignment(claim=c, reviewer=reviewer, assigned_by=reviewer) for c in claims
    )
    page = as_reviewer.get(reverse("dashboard")).content.decode()
    assert f'My claims <span class="count">{MY_CLAIMS_PER_STATUS + 1}</span>' in page
    assert f"The {MY_CLAIMS_PER_STATUS} changed most recently." in page
