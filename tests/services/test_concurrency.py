"""Two people acting on one claim at the same moment, with real transactions in two threads."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, transaction

from claims import services
from claims.errors import Conflict, StaleVersion
from claims.models import Claim, ClaimHistory, ClaimStatus
from tests.factories import ClaimFactory, UserFactory
from tests.workflow import advance

# serialized_rollback: a transactional test flushes the database; this restores the roles,
# rating scale and labels that the data migrations created.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _in_thread(target):
    outcome: dict[str, object] = {}

    def run():
        try:
            outcome["result"] = target()
        except Exception as exc:  # reported to the test, which asserts on it
            outcome["error"] = exc
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


def test_two_editors_approving_at_once_one_wins_the_other_is_told(reviewer, editor, second_editor):
    third_editor = UserFactory(username="grace", roles=["editor"])
    claim = advance(
        ClaimFactory(),
        ClaimStatus.PROPOSED,
        reviewer=reviewer,
        editor=editor,
        second_editor=second_editor,
    )
    first_has_lock = threading.Event()
    release_first = threading.Event()

    def first():
        with transaction.atomic():
            verdict = services.claim_approve(actor=second_editor, claim=claim.pk)
            first_has_lock.set()
            # Hold the row lock while the second editor tries: they must wait, then be refused.
            release_first.wait(timeout=5)
            return verdict

    def second():
        first_has_lock.wait(timeout=10)
        return services.claim_approve(actor=third_editor, claim=claim.pk)

    t1, out1 = _in_thread(first)
    t2, out2 = _in_thread(second)
    first_has_lock.wait(timeout=10)
    time.sleep(0.3)  # give the second editor time to reach the lock (not a timing assertion)
    release_first.set()
    t1.join(timeout=30)
    t2.join(timeout=30)

    assert "error" not in out1, out1
    assert isinstance(out2.get("error"), Conflict)
    assert "already approved by frank" in str(out2["error"])
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.APPROVED
    assert ClaimHistory.objects.filter(claim=claim, action="approved").count() == 1


def test_two_reviewers_editing_the_same_version_one_edit_is_refused(reviewer, second_reviewer):
    claim = ClaimFactory()
    barrier = threading.Barrier(2)

    def edit(user, speaker):
        def run():
            barrier.wait(timeout=10)
            return services.claim_update(
                actor=user, claim=claim.pk, expected_version=1, speaker=speaker
            )

        return run

    t1, out1 = _in_thread(edit(reviewer, "Defence Ministry"))
    t2, out2 = _in_thread(edit(second_reviewer, "Foreign Ministry"))
    t1.join(timeout=30)
    t2.join(timeout=30)

    outcomes = [out1, out2]
    winners = [o for o in outcomes if "result" in o]
    losers = [o for o in outcomes if "error" in o]
    assert len(winners) == 1 and len(losers) == 1, outcomes
    assert isinstance(losers[0]["error"], StaleVersion)
    stored = Claim.objects.get(pk=claim.pk)
    assert stored.version == 2
    assert stored.speaker == winners[0]["result"].speaker
    assert ClaimHistory.objects.filter(claim=claim, action="edited").count() == 1
