"""The editors' agreement page: alpha per article and claim type, kappa per pair and per
reviewer, flagged disagreements; refused to everyone else; a fixed number of queries."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from annotations.selectors import agreement, agreement_breakdown
from claims.models import Claim
from tests.factories import ArticleFactory, ClaimFactory, UserFactory
from tests.workflow import rate, rate_three_claims

pytestmark = pytest.mark.django_db
URL = "/agreement/"


@pytest.fixture
def rated(article, editor, reviewer, second_reviewer):
    """tests/services/test_agreement.py's set-up (alpha = 7/9, kappa = 1/2, by hand there)."""
    claims = rate_three_claims(
        article, editor=editor, reviewer=reviewer, second_reviewer=second_reviewer
    )
    return {"article": article, **claims}


def cells(body, heading_id):
    """The rows of the table under ``heading_id`` as lists of cell texts."""
    section = body[body.index(f'id="{heading_id}"') :]
    section = section[: section.index("</table>")]
    rows = re.findall(r"<tr>(.*?)</tr>", section, re.DOTALL)
    text = [re.findall(r"<td[^>]*>(.*?)</td>", row, re.DOTALL) for row in rows]
    return [[re.sub(r"<[^>]+>", " ", c).split() for c in row] for row in text if row]


def test_editor_sees_the_hand_checked_figures(client, editor, rated):
    client.force_login(editor)
    response = client.get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    # Overall: alpha 7/9 = 0.78 over 3 claims and 6 ratings.
    stats = re.sub(r"<[^>]+>", " ", body[body.index('class="stats"') : body.index("</section>")])
    assert "0.78" in stats and "3" in stats.split() and "6" in stats.split()
    # Per article: the one article, alpha 0.78, 3 claims, 6 ratings.
    [row] = cells(body, "by-article-h")
    assert row[1:] == [["0.78"], ["tentative"], ["3"], ["6"]]
    # Per pair: alice and bob, kappa 0.50 on 3 claims; per reviewer the mean, 0.50.
    assert cells(body, "by-pair-h") == [[["alice", "and", "bob"], ["0.50"], ["moderate"], ["3"]]]
    assert cells(body, "by-reviewer-h") == [
        [["alice"], ["0.50"], ["moderate"], ["3"]],
        [["bob"], ["0.50"], ["moderate"], ["3"]],
    ]


def test_claim_types_show_alpha_or_say_why_there_is_none(client, editor, rated):
    client.force_login(editor)
    body = client.get(URL).content.decode()
    rows = {row[0][0]: row for row in cells(body, "by-type-h")}
    assert set(rows) == {"Casualty", "Quantity", "Quote", "Event"}
    # Quote: one claim rated 2 and 3, the only values there: alpha 0 (worked: observed and
    # expected disagreement are equal).
    assert rows["Quote"][1:] == [["0.00"], ["unreliable"], ["1"], ["2"]]
    # Casualty: one claim rated 5 and 5: no variation, so undefined, said with a dash that
    # links to the note saying why.
    assert rows["Casualty"][1] == ["—", "undefined", "(see", "the", "note)"]
    assert 'href="#why-variation"' in body and 'id="why-variation"' in body
    assert "Every rating has the same value" in body


def test_undefined_kappa_and_mean_kappa_link_to_their_notes(
    client, editor, reviewer, second_reviewer, rated
):
    # carol rates one claim, with alice's label: kappa of one shared label is undefined.
    carol = UserFactory(username="carol", roles=["reviewer"])
    other = ClaimFactory(article=ArticleFactory())
    rate(other, editor, {reviewer: "false", carol: "false"})
    client.force_login(editor)
    body = client.get(URL).content.decode()
    pairs = {" ".join(row[0]): row for row in cells(body, "by-pair-h")}
    assert pairs["alice and carol"][1][0] == "—" and pairs["alice and carol"][3] == ["1"]
    assert 'href="#why-kappa"' in body and 'href="#why-mean"' in body
    reviewers = {row[0][0]: row for row in cells(body, "by-reviewer-h")}
    assert reviewers["carol"][1][0] == "—"


def test_per_article_figures_match_agreement_on_each_article(
    client, editor, reviewer, second_reviewer, rated
):
    # A second article: one claim rated 5 and 1 (alpha 0), one rated by alice alone.
    second = ArticleFactory(title="Second story")
    first_claim = ClaimFactory(article=second)
    rate(first_claim, editor, {reviewer: "true", second_reviewer: "false"})
    client.force_login(editor)
    body = client.get(URL).content.decode()
    rows = cells(body, "by-article-h")
    assert [r[1:] for r in rows] == [
        [["0.00"], ["unreliable"], ["1"], ["2"]],  # the newest import first
        [["0.78"], ["tentative"], ["3"], ["6"]],
    ]
    breakdown = agreement_breakdown(Claim.objects.all())
    for figure in breakdown.per_article:
        alone = agreement(Claim.objects.filter(article_id=figure.article_id))
        assert (figure.alpha, figure.claims_rated, figure.ratings) == (
            pytest.approx(alone.alpha),
            alone.claims_rated,
            alone.ratings,
        )
    overall = agreement(Claim.objects.all())
    assert breakdown.overall.alpha == pytest.approx(overall.alpha)
    assert {t: f.alpha for t, f in breakdown.per_type.items() if f.alpha is not None} == {
        t: pytest.approx(a) for t, a in overall.per_type.items() if a is not None
    }


def test_filtering_by_article_narrows_every_figure(
    client, editor, reviewer, second_reviewer, rated
):
    second = ArticleFactory(title="Second story")
    rate(ClaimFactory(article=second), editor, {reviewer: "true", second_reviewer: "false"})
    client.force_login(editor)
    body = client.get(f"{URL}?article={rated['article'].pk}").content.decode()
    assert 'id="by-article-h"' not in body  # one article: its figures are the page's
    assert f'<option value="{rated["article"].pk}" selected>' in body
    assert cells(body, "by-pair-h") == [[["alice", "and", "bob"], ["0.50"], ["moderate"], ["3"]]]
    stats = re.sub(r"<[^>]+>", " ", body[body.index('class="stats"') : body.index("</section>")])
    assert "0.78" in stats


def test_an_article_without_ratings_says_so(client, editor, article):
    client.force_login(editor)
    body = client.get(f"{URL}?article={article.pk}").content.decode()
    assert "No ratings yet on this article" in body
    assert f'<option value="{article.pk}" selected>' in body


@pytest.mark.parametrize("bad", ["999999", "abc", "-1", "1e3"])
def test_an_unknown_article_is_a_404(client, editor, bad):
    client.force_login(editor)
    assert client.get(f"{URL}?article={bad}").status_code == 404


def test_flagged_disagreements_link_to_the_editors_view(
    client, editor, reviewer, second_reviewer, article
):
    wide = ClaimFactory(article=article)
    rate(wide, editor, {reviewer: "true", second_reviewer: "false"})  # 4 steps apart
    text = article.text
    near = ClaimFactory(article=article, start=text.index("About"), end=text.index("capital.") + 8)
    rate(near, editor, {reviewer: "true", second_reviewer: "mostly-true"})  # 1 step
    client.force_login(editor)
    body = client.get(URL).content.decode()
    flagged = body[body.index('id="flagged-h"') :]
    assert reverse("claim-review", args=[wide.pk]) in flagged
    assert reverse("claim-review", args=[near.pk]) not in flagged
    assert "4 steps apart" in flagged


def test_reviewers_outsiders_and_anonymous_people_are_refused(client, reviewer, outsider, rated):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    client.force_login(outsider)
    response = client.get(URL)
    assert response.status_code == 403 and b"no reviewer or editor role" in response.content
    client.force_login(reviewer)
    response = client.get(URL)
    assert response.status_code == 403
    body = response.content.decode()
    assert "Only editors see agreement between reviewers." in body
    assert "0.78" not in body and "bob" not in body
    # The filter does not open a way round the refusal.
    assert client.get(f"{URL}?article={rated['article'].pk}").status_code == 403


def test_only_get_is_allowed(client, editor):
    client.force_login(editor)
    assert client.post(URL).status_code == 405


def test_editors_find_it_from_the_dashboard_and_the_reader(client, editor, reviewer, rated):
    client.force_login(editor)
    assert 'href="/agreement/"' in client.get(reverse("dashboard")).content.decode()
    reader = client.get(reverse("article-detail", args=[rated["article"].pk])).content.decode()
    assert f'href="/agreement/?article={rated["article"].pk}"' in reader
    client.force_login(reviewer)
    assert "/agreement/" not in client.get(reverse("dashboard")).content.decode()
    reader = client.get(reverse("article-detail", args=[rated["article"].pk])).content.decode()
    assert "/agreement/" not in reader


def world(editor, reviewers, n_articles, claims_per_article):
    labels = ["true", "mostly-true", "half-true", "mostly-false", "false", "misleading"]
    for i in range(n_articles):
        article = ArticleFactory()
        for j in range(claims_per_article):
            claim = ClaimFactory(article=article, types=[["casualty"], ["quote", "event"]][j % 2])
            rate(
                claim,
                editor,
                # Two steps between neighbouring reviewers: most claims are flagged disagreements.
                {who: labels[(i + j + 2 * k) % len(labels)] for k, who in enumerate(reviewers)},
            )
    return article


def count(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_page_makes_the_same_number_of_queries_for_few_and_many_ratings(
    client, editor, reviewer, second_reviewer
):
    people = [reviewer, second_reviewer, UserFactory(username="carol", roles=["reviewer"])]
    client.force_login(editor)
    last = world(editor, people[:2], 1, 2)
    small = count(client, URL), count(client, f"{URL}?article={last.pk}")
    last = world(editor, people, 6, 5)
    big = count(client, URL), count(client, f"{URL}?article={last.pk}")
    assert small == big, (small, big)
    # session, user, permissions (2), agreement, breakdown, flagged claims and their
    # ratings (2), the filter's articles; the filtered page also looks the article up.
    assert small == (9, 10), small
