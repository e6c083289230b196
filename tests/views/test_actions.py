"""Every workflow action as a form: plain POST + redirect, htmx partial, bad input changes
nothing, a refused action says why, and a stale version is caught."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from annotations.models import Annotation, ClaimSource, Comment, Rating
from claims import services
from claims.models import Claim, ClaimStatus, Verdict
from tests.factories import ClaimFactory
from tests.views.conftest import htmx
from tests.workflow import advance

pytestmark = pytest.mark.django_db
S = ClaimStatus


def act(claim, action):
    return reverse("claim-action", args=[claim.pk, action])


def fresh(claim):
    claim.refresh_from_db()
    return claim


@pytest.fixture
def assigned(claim, editor, reviewer):
    services.claim_assign(actor=editor, claim=claim, reviewer=reviewer)
    return fresh(claim)


# --- the same action, with and without JavaScript ------------------------------------------------


def rating_data(claim, **extra):
    return {
        "rate-label": "false",
        "rate-justification": "The ministry's data differ.",
        "rate-confidence": "4",
        "rate-version": "0",
    } | extra


def test_plain_post_rates_and_redirects_back_to_the_claim(as_reviewer, assigned, reviewer):
    response = as_reviewer.post(act(assigned, "rate"), rating_data(assigned))
    assert response.status_code == 302
    assert response["Location"] == reverse("claim-detail", args=[assigned.pk]) + "#panel"
    rating = Rating.objects.get(claim=assigned, reviewer=reviewer)
    assert rating.label.slug == "false" and rating.confidence == 4
    page = as_reviewer.get(response["Location"]).content.decode()
    assert "Rating saved." in page  # the message survives the redirect


def test_htmx_post_returns_the_panel_and_the_refreshed_article(as_reviewer, assigned):
    response = as_reviewer.post(act(assigned, "rate"), rating_data(assigned), **htmx())
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<section id="claim-panel"')
    assert "Rating saved." in body
    assert 'id="article-text"' in body and 'hx-swap-oob="true"' in body
    assert "<html" not in body


def test_review_surface_gets_the_editors_view_back(client, editor, assigned):
    client.force_login(editor)
    response = client.post(
        act(assigned, "comment"), {"comment-body": "Looks fine.", "surface": "review"}, **htmx()
    )
    assert response.status_code == 200
    assert response.content.decode().lstrip().startswith('<div id="review-main"')
    plain = client.post(act(assigned, "comment"), {"comment-body": "Again.", "surface": "review"})
    assert plain["Location"] == reverse("claim-review", args=[assigned.pk])


# --- bad input changes nothing -----------------------------------------------------------------


def test_rating_without_justification_is_a_form_error(as_reviewer, assigned):
    for extra in ({}, htmx()):
        response = as_reviewer.post(
            act(assigned, "rate"), rating_data(assigned, **{"rate-justification": " "}), **extra
        )
        assert response.status_code == 400
        assert "This field is required." in response.content.decode()
    assert not Rating.objects.exists()


def test_unknown_label_is_refused_without_a_change(as_reviewer, assigned):
    response = as_reviewer.post(
        act(assigned, "rate"), rating_data(assigned, **{"rate-label": "pants-on-fire"})
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not Rating.objects.exists()


def test_dismiss_needs_a_reason(as_reviewer, claim):
    response = as_reviewer.post(
        act(claim, "dismiss"), {"dismiss-version": claim.version, "dismiss-reason": ""}
    )
    assert response.status_code == 400
    assert fresh(claim).status == S.NEW


def test_an_unknown_action_is_a_404(as_reviewer, claim):
    assert as_reviewer.post(act(claim, "explode"), {}).status_code == 404


def test_actions_need_a_post(as_reviewer, claim):
    assert as_reviewer.get(act(claim, "dismiss")).status_code == 405


# --- refusals say why ------------------------------------------------------------------------


def test_unassigned_reviewer_cannot_rate_and_is_told_why(as_reviewer, claim):
    for extra in ({}, htmx()):
        response = as_reviewer.post(act(claim, "rate"), rating_data(claim), **extra)
        assert response.status_code == 403
        assert "Only reviewers assigned to this claim can rate it." in response.content.decode()
    assert not Rating.objects.exists()


def test_editor_who_proposed_cannot_approve_four_eyes(
    client, reviewer, editor, second_editor, claim
):
    claim = advance(
        claim, S.PROPOSED, reviewer=reviewer, editor=editor, second_editor=second_editor
    )
    client.force_login(editor)
    page = client.get(reverse("claim-review", args=[claim.pk])).content.decode()
    assert "four-eyes" in page  # the button is shown disabled with the reason
    response = client.post(act(claim, "approve"), {"approve-version": claim.version}, **htmx())
    assert response.status_code == 403
    assert "another editor must approve it (four-eyes rule)" in response.content.decode()
    assert fresh(claim).status == S.PROPOSED


def test_a_stale_version_is_caught_and_the_person_told_to_reload(
    client, reviewer, editor, second_editor, claim
):
    claim = advance(
        claim, S.PROPOSED, reviewer=reviewer, editor=editor, second_editor=second_editor
    )
    seen = claim.version
    services.claim_request_changes(actor=second_editor, claim=claim, reason="More data.")
    client.force_login(second_editor)
    for extra in ({}, htmx()):
        response = client.post(act(claim, "approve"), {"approve-version": seen}, **extra)
        body = response.content.decode()
        assert response.status_code == 409
        assert "Changed by someone else." in body and "Reload" in body
    assert fresh(claim).status == S.CHANGES_REQUESTED


def test_outsider_gets_no_action(client, outsider, claim):
    client.force_login(outsider)
    response = client.post(act(claim, "dismiss"), {"dismiss-version": 1, "dismiss-reason": "x"})
    assert response.status_code == 403
    assert fresh(claim).status == S.NEW


def test_anonymous_post_goes_to_sign_in(client, claim):
    response = client.post(act(claim, "dismiss"), {"dismiss-version": 1, "dismiss-reason": "x"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- each action through the page ----------------------------------------------------------------


def test_reviewer_assigns_themself(as_reviewer, claim, reviewer):
    response = as_reviewer.post(act(claim, "assign_self"), {"assign_self-version": 1})
    assert response.status_code == 302
    claim = fresh(claim)
    assert claim.status == S.IN_REVIEW and list(claim.assignees.all()) == [reviewer]


def test_editor_assigns_and_unassigns_a_reviewer(client, editor, reviewer, claim):
    client.force_login(editor)
    page = client.get(reverse("claim-detail", args=[claim.pk])).content.decode()
    assert "Assign a reviewer" in page and ">Alice<" in page
    client.post(act(claim, "assign"), {"assign-version": 1, "assign-reviewer": reviewer.pk})
    claim = fresh(claim)
    assert list(claim.assignees.all()) == [reviewer]
    client.post(
        act(claim, "unassign"),
        {"unassign-version": claim.version, "unassign-reviewer": reviewer.pk},
    )
    claim = fresh(claim)
    assert claim.status == S.NEW and not claim.assignees.exists()


def test_annotate_a_span(as_reviewer, claim, reviewer):
    start = claim.start + 9
    response = as_reviewer.post(
        act(claim, "annotate"),
        {
            "annotate-label": "figure",
            "annotate-comment": "Hedged.",
            "annotate-start": start,
            "annotate-end": start + 11,
        },
        **htmx(),
    )
    assert response.status_code == 200
    note = Annotation.objects.get(claim=claim)
    assert note.exact == claim.article.text[start : start + 11] and note.author == reviewer
    assert "Annotation added." in response.content.decode()


def test_annotation_with_offsets_outside_the_article_is_refused(as_reviewer, claim):
    response = as_reviewer.post(
        act(claim, "annotate"),
        {
            "annotate-label": "figure",
            "annotate-start": 5,
            "annotate-end": 10**6,
        },
    )
    assert response.status_code == 400
    assert "characters long" in response.content.decode()
    assert not Annotation.objects.exists()


def test_edit_an_annotation_comment(as_reviewer, claim, reviewer):
    from annotations import services as notes

    note = notes.annotation_create(
        actor=reviewer, claim=claim, start=claim.start, end=claim.end, label="figure"
    )
    url = reverse("annotation-edit", args=[claim.pk, note.pk])
    as_reviewer.post(url, {f"note{note.pk}-version": 1, f"note{note.pk}-comment": "Better."})
    note.refresh_from_db()
    assert note.comment == "Better." and note.version == 2


def test_add_a_source_flagged_when_published_after_the_claim(as_reviewer, claim):
    claim.date = dt.date(2020, 7, 12)
    claim.save()
    response = as_reviewer.post(
        act(claim, "source"),
        {
            "source-url": "https://example.org/later-report?utm_source=x",
            "source-title": "A later report",
            "source-publisher": "Agency",
            "source-published": "2020-07-20",
            "source-accessed": "",
            "source-archive_url": "",
            "source-excerpt": "Four soldiers died.",
            "source-stance": "refutes",
            "source-kind": "secondary",
        },
        **htmx(),
    )
    body = response.content.decode()
    assert response.status_code == 200
    use = ClaimSource.objects.get(claim=claim)
    assert use.source.url == "https://example.org/later-report" and use.stance == "refutes"
    assert "Published after the claim" in body


def test_source_with_a_bad_url_is_a_form_error(as_reviewer, claim):
    response = as_reviewer.post(
        act(claim, "source"),
        {
            "source-url": "not a url",
            "source-stance": "refutes",
            "source-kind": "secondary",
        },
    )
    assert response.status_code == 400
    assert not ClaimSource.objects.exists()


def test_remove_a_source(as_reviewer, claim, reviewer):
    from annotations import services as notes

    use = notes.source_attach(actor=reviewer, claim=claim, url="https://example.org/a")
    response = as_reviewer.post(reverse("claim-source-remove", args=[claim.pk, use.pk]))
    assert response.status_code == 302 and not ClaimSource.objects.exists()


def test_comment_and_reply_thread(as_reviewer, claim):
    as_reviewer.post(act(claim, "comment"), {"comment-body": "Who said it?"})
    parent = Comment.objects.get()
    response = as_reviewer.post(
        act(claim, "comment"),
        {"comment-body": "The ministry.", "comment-parent": parent.pk},
        **htmx(),
    )
    reply = Comment.objects.exclude(pk=parent.pk).get()
    assert reply.parent == parent
    assert 'class="comment depth-1"' in response.content.decode()


def test_correct_the_claim_types_speaker_date_and_figures(as_reviewer, claim):
    response = as_reviewer.post(
        act(claim, "edit"),
        {
            "edit-version": 1,
            "edit-start": claim.start,
            "edit-end": claim.end,
            "edit-types": ["casualty", "attribution"],
            "edit-speaker": "The defence ministry",
            "edit-date": "2020-07-12",
            "fig-TOTAL_FORMS": "2",
            "fig-INITIAL_FORMS": "1",
            "fig-0-value": "12",
            "fig-0-hedge": "at_least",
            "fig-0-counted": "soldiers",
            "fig-0-side": "Azerbaijan",
            "fig-1-value": "10-20",
            "fig-1-hedge": "about",
            "fig-1-counted": "wounded",
            "fig-1-side": "",
        },
    )
    assert response.status_code == 302
    claim = fresh(claim)
    assert claim.types == ["casualty", "attribution"]
    assert claim.speaker == "The defence ministry" and claim.date == dt.date(2020, 7, 12)
    assert claim.figures[0]["side"] == "Azerbaijan" and claim.figures[1]["value"] == [10, 20]
    assert claim.origin == Claim.Origin.EDITED and claim.version == 2


def test_correcting_with_a_bad_figure_changes_nothing(as_reviewer, claim):
    response = as_reviewer.post(
        act(claim, "edit"),
        {
            "edit-version": 1,
            "edit-start": claim.start,
            "edit-end": claim.end,
            "edit-types": ["casualty"],
            "fig-TOTAL_FORMS": "1",
            "fig-INITIAL_FORMS": "0",
            "fig-0-value": "lots",
            "fig-0-hedge": "exact",
        },
    )
    assert response.status_code == 400
    assert "Check the figures" in response.content.decode()
    assert fresh(claim).version == 1


def test_split_a_claim_in_two(as_reviewer, claim):
    at = claim.article.text.index(" the ministry said")
    response = as_reviewer.post(act(claim, "split"), {"split-version": 1, "split-at": at})
    parts = list(Claim.objects.filter(derived_from=claim).order_by("start"))
    assert len(parts) == 2 and fresh(claim).superseded
    assert response["Location"] == reverse("claim-detail", args=[parts[0].pk]) + "#panel"


def test_merge_with_the_next_claim(as_reviewer, article):
    text = article.text
    first = ClaimFactory(article=article)
    second_start = text.index("Officials denied")
    second = ClaimFactory(article=article, start=second_start, end=text.index("the report.") + 11)
    page = as_reviewer.get(reverse("claim-detail", args=[first.pk])).content.decode()
    assert "Merge with the next claim" in page
    as_reviewer.post(
        act(first, "merge"),
        {"merge-version": 1, "merge-other": second.pk, "merge-other_version": 1},
    )
    merged = Claim.objects.get(origin=Claim.Origin.MERGED)
    assert (merged.start, merged.end) == (first.start, second.end)


def test_dismiss_and_reopen(client, reviewer, editor, claim):
    client.force_login(reviewer)
    client.post(act(claim, "dismiss"), {"dismiss-version": 1, "dismiss-reason": "Opinion."})
    claim = fresh(claim)
    assert claim.status == S.DISMISSED
    client.force_login(editor)
    client.post(act(claim, "reopen"), {"reopen-version": claim.version, "reopen-reason": ""})
    assert fresh(claim).status == S.NEW


def test_add_a_claim_from_selected_text(as_reviewer, article):
    start = article.text.index("About 30,000")
    end = article.text.index("capital.") + 8
    response = as_reviewer.post(
        reverse("claim-add", args=[article.pk]),
        {
            "add-start": start,
            "add-end": end,
            "add-types": ["quantity"],
            "add-speaker": "",
        },
        **htmx(),
    )
    claim = Claim.objects.get(origin=Claim.Origin.ADDED)
    assert claim.text == "About 30,000 people marched in the capital."
    assert response["HX-Push-Url"] == reverse("claim-detail", args=[claim.pk])
    assert f'data-claim-id="{claim.pk}"' in response.content.decode()


def test_adding_a_claim_over_nothing_is_refused(as_reviewer, article):
    blank = article.text.index("\n\n")
    for extra in ({}, htmx()):
        response = as_reviewer.post(
            reverse("claim-add", args=[article.pk]),
            {
                "add-start": blank,
                "add-end": blank + 2,
                "add-types": ["event"],
            },
            **extra,
        )
        assert response.status_code == 400
        assert "The selected text is empty." in response.content.decode()
    assert not Claim.objects.filter(article=article).exists()


# --- verdicts through the pages ---------------------------------------------------------------


def test_full_verdict_workflow_through_the_pages(
    client, reviewer, second_reviewer, editor, second_editor, claim
):
    services.claim_assign(actor=editor, claim=claim, reviewer=reviewer)
    from annotations import services as notes

    notes.rating_submit(actor=reviewer, claim=claim, label="mostly-false", justification="Data.")
    client.force_login(reviewer)
    client.post(
        act(claim, "propose"),
        {
            "propose-version": fresh(claim).version,
            "propose-label": "mostly-false",
            "propose-summary": "Inflated.",
            "propose-justification": "Data differ.",
        },
    )
    claim = fresh(claim)
    assert claim.status == S.PROPOSED
    client.force_login(editor)
    verdict = services.current_verdict(claim)
    client.post(
        act(claim, "amend"),
        {
            "amend-version": verdict.version,
            "amend-label": "false",
            "amend-summary": "False.",
            "amend-justification": "Data differ a lot.",
        },
    )
    verdict.refresh_from_db()
    assert verdict.label.slug == "false" and verdict.summary == "False."
    # Erin amended it, so Frank approves and publishes.
    client.force_login(second_editor)
    client.post(act(claim, "approve"), {"approve-version": fresh(claim).version})
    client.post(act(claim, "publish"), {"publish-version": fresh(claim).version})
    assert fresh(claim).status == S.PUBLISHED
    client.post(
        act(claim, "correct"),
        {
            "correct-version": fresh(claim).version,
            "correct-note": "New data.",
            "correct-label": "",
            "correct-summary": "",
            "correct-justification": "",
        },
    )
    # Frank proposed the correction: it waits, unpublished, until another editor approves.
    assert fresh(claim).status == S.PUBLISHED and claim.verdicts.count() == 1
    refused = client.post(
        act(claim, "approve_correction"),
        {"approve_correction-version": fresh(claim).version},
    )
    assert refused.status_code == 403 and fresh(claim).status == S.PUBLISHED
    client.force_login(editor)
    client.post(
        act(claim, "approve_correction"),
        {"approve_correction-version": fresh(claim).version},
    )
    claim = fresh(claim)
    assert claim.status == S.CORRECTED and claim.verdicts.count() == 2
    client.post(
        act(claim, "retract"),
        {"retract-version": claim.version, "retract-reason": "Source withdrawn."},
    )
    assert fresh(claim).status == S.RETRACTED
    assert Verdict.objects.get(claim=claim, state="retracted").retraction_reason


def test_request_changes_needs_a_reason(client, reviewer, editor, second_editor, claim):
    claim = advance(
        claim, S.PROPOSED, reviewer=reviewer, editor=editor, second_editor=second_editor
    )
    client.force_login(second_editor)
    bad = client.post(
        act(claim, "request_changes"),
        {"request_changes-version": claim.version, "request_changes-reason": ""},
    )
    assert bad.status_code == 400 and fresh(claim).status == S.PROPOSED
    client.post(
        act(claim, "request_changes"),
        {"request_changes-version": claim.version, "request_changes-reason": "Cite the data."},
    )
    assert fresh(claim).status == S.CHANGES_REQUESTED
