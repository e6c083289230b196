"""Claim history is append-only in the database too: PostgreSQL refuses UPDATE and DELETE.

``ClaimHistory.save()`` and ``.delete()`` already refuse on the model, but a queryset's
``update()``/``delete()``, raw SQL, the admin's bulk actions or another program talking to the
database go around the model. On PostgreSQL a row-level ``BEFORE UPDATE OR DELETE`` trigger
refuses them with SQLSTATE 23001 (restrict_violation), which Django raises as IntegrityError.
INSERT is untouched: services append rows, and ``import_all`` restores them.

TRUNCATE is deliberately not blocked. It is not a row operation: it needs the table's TRUNCATE
privilege (a hardened deployment runs the application under a role without it, and migrations
under the owner), and it is how Django itself empties tables: ``manage.py flush``, and the test
framework's teardown and ``serialized_rollback`` for every transactional test. A statement-level
trigger would break those, or need a bypass variable that every test run and maintenance script
must remember to set, i.e. a switch in production code that exists for the tests. Backups
(``export_all``) and privileges are the defence against a wholesale wipe; the trigger guards
against the everyday mistakes (a bulk update, a cascading cleanup) that rewrite history quietly.
The claim→history foreign key is PROTECT, so deleting a claim never cascades into its history.

SQLite has no PL/pgSQL; there the model's own refusal is what stands (development and tests).
"""

from django.db import migrations

FORWARDS = """
CREATE FUNCTION claims_claimhistory_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION USING
        MESSAGE = 'claims_claimhistory is append-only: ' || TG_OP || ' of row ' || OLD.id
                  || ' refused',
        ERRCODE = 'restrict_violation',
        HINT = 'Claim history is never changed or deleted; append a new row instead.';
END
$$;

CREATE TRIGGER claims_claimhistory_append_only
    BEFORE UPDATE OR DELETE ON claims_claimhistory
    FOR EACH ROW EXECUTE FUNCTION claims_claimhistory_append_only();
"""

BACKWARDS = """
DROP TRIGGER IF EXISTS claims_claimhistory_append_only ON claims_claimhistory;
DROP FUNCTION IF EXISTS claims_claimhistory_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARDS, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARDS, params=None)


class Migration(migrations.Migration):
    dependencies = [("claims", "0003_claim_search_and_similarity")]
    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
