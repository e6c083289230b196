"""Claim history is append-only: the model refuses changes, and PostgreSQL refuses them too."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, models, transaction

from claims import services
from claims.models import Claim, ClaimHistory

needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the trigger is PostgreSQL's (PL/pgSQL); SQLite relies on the model's refusal. "
    "CI runs the suite on PostgreSQL.",
)


@pytest.fixture
def row(claim, editor, reviewer):
    services.claim_assign(actor=editor, claim=claim, reviewer=reviewer)
    return ClaimHistory.objects.filter(claim=claim).latest("pk")


def test_claims_never_take_their_history_with_them():
    field = ClaimHistory._meta.get_field("claim")
    assert field.remote_field.on_delete is models.PROTECT
    assert ClaimHistory._meta.get_field("actor").remote_field.on_delete is models.PROTECT


def test_model_refuses_to_change_or_delete_a_row(row):
    row.reason = "rewritten"
    with pytest.raises(ValidationError):
        row.save()
    with pytest.raises(ValidationError):
        row.delete()


def test_deleting_a_claim_with_history_is_refused(row):
    with pytest.raises(models.ProtectedError):
        Claim.objects.filter(pk=row.claim_id).delete()


@needs_postgresql
def test_database_refuses_a_bulk_update(row):
    with pytest.raises(IntegrityError, match="append-only: UPDATE"), transaction.atomic():
        ClaimHistory.objects.filter(pk=row.pk).update(reason="rewritten")
    row.refresh_from_db()
    assert row.reason == ""


@needs_postgresql
def test_database_refuses_a_bulk_delete(row):
    with pytest.raises(IntegrityError, match="append-only: DELETE"), transaction.atomic():
        ClaimHistory.objects.filter(pk=row.pk).delete()
    assert ClaimHistory.objects.filter(pk=row.pk).exists()


@needs_postgresql
def test_database_refuses_raw_sql_that_goes_around_django(row):
    for sql in (
        "UPDATE claims_claimhistory SET to_status = 'published' WHERE id = %s",
        "DELETE FROM claims_claimhistory WHERE id = %s",
    ):
        with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cur:
            cur.execute(sql, [row.pk])
    row.refresh_from_db()
    assert row.to_status == "in_review"


@needs_postgresql
def test_database_still_accepts_new_rows(row):
    before = ClaimHistory.objects.count()
    services.claim_dismiss(actor=row.actor, claim=row.claim_id, reason="Not a claim.")
    assert ClaimHistory.objects.count() == before + 1


@needs_postgresql
@pytest.mark.django_db
def test_trigger_is_installed_by_the_migration():
    with connection.cursor() as cur:
        cur.execute(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = 'claims_claimhistory'::regclass "
            "AND NOT tgisinternal"
        )
        names = {name for (name,) in cur.fetchall()}
    assert "claims_claimhistory_append_only" in names
