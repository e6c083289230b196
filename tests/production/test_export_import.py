"""export_all and import_all: every row survives the round trip into an empty database."""

from __future__ import annotations

import datetime as dt
import gzip
import importlib
import json
import stat
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.contrib.auth import authenticate
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from annotations import services as notes
from annotations.models import AnnotationLabel
from claims import services
from claims.factchecks import factchecks_import
from claims.models import (
    Claim,
    ClaimHistory,
    ClaimStatus,
    FactCheck,
    Organisation,
    RatingScale,
)
from tests.factories import ArticleFactory, ClaimFactory, UserFactory
from tests.hostile.fingerprint import EPHEMERAL, changed, db_fingerprint
from tests.workflow import advance, correct

# Content types and permissions are made by migrate, not exported; their ids may differ in a
# new database, so permissions are compared by name instead (see group_permissions()).
NOT_EXPORTED = EPHEMERAL | {
    "django_content_type",
    "auth_permission",
    "auth_group_permissions",
    "auth_user_user_permissions",
    "django_admin_log",
    "knox_authtoken",
    "django_tasks_database_dbtaskresult",
}

TEXT = (
    "Клашес on the border\n\nBy Ана Ÿ. Writer\r\n\r\n"
    "At least 12 soldiers were killed on Sunday, the ministry said. "
    "Officials denied the report. The president said: \u201cWe will respond.\u201d "
    "About 30,000 people marched. \u05d4\u05de\u05e9\u05e8\u05d3 \u05d0\u05de\u05e8 "
    "e\u0301\u0301 \U0001f1e6\U0001f1f2 <script>alert('x')</script> {{ x }} '; DROP TABLE x;--\n"
)


def fingerprint() -> dict:
    return db_fingerprint(ignore=NOT_EXPORTED)


def group_permissions() -> dict[str, set[tuple[str, str]]]:
    return {
        g.name: {(p.content_type.app_label, p.codename) for p in g.permissions.all()}
        for g in Group.objects.prefetch_related("permissions__content_type")
    }


def build_newsroom() -> None:
    """Something of everything: claims in every status, a split, verdicts with sources,
    corrections, annotations, threaded comments, ratings, odd text."""
    alice = UserFactory(username="alice", roles=["reviewer"], first_name="Ålice")
    bob = UserFactory(username="bob", roles=["reviewer"])
    erin = UserFactory(username="erin", roles=["editor"])
    frank = UserFactory(username="frank", roles=["editor"])
    UserFactory(username="ada", roles=["admin"], is_staff=True)
    org = Organisation.current()
    org.name, org.show_reviewer_names = "Newsroom ✓", True
    org.save()
    article = ArticleFactory(text=TEXT, published=dt.date(2020, 7, 18), imported_by=alice)
    for status in ClaimStatus.values:
        claim = ClaimFactory(article=article)
        if status in (ClaimStatus.PUBLISHED, ClaimStatus.CORRECTED):
            services.claim_assign(actor=erin, claim=claim, reviewer=alice)
            use = notes.source_attach(
                actor=alice,
                claim=claim,
                url=f"https://example.org/{status}?utm_source=x",
                title="Ministry \u202ereport",
                published="2020-07-17",
                excerpt="12 dead",
                stance="refutes",
            )
            notes.rating_submit(actor=alice, claim=claim, label="false", justification="No.")
            services.claim_propose(
                actor=erin,
                claim=claim,
                label="mostly-false",
                summary="Inflated.",
                justification="Data.",
                source_ids=[use.source_id],
            )
            services.claim_approve(actor=frank, claim=claim)
            services.claim_publish(actor=frank, claim=claim)
            if status == ClaimStatus.CORRECTED:
                correct(claim, proposer=frank, approver=erin, note="Revised.", label="false")
        else:
            advance(claim, status, reviewer=alice, editor=erin, second_editor=frank)
    claim = ClaimFactory(article=article)
    services.claim_assign(actor=erin, claim=claim, reviewer=bob)
    notes.annotation_create(
        actor=bob,
        claim=claim,
        start=claim.start,
        end=claim.start + 8,
        label="hedge",
        comment="<b>hedged</b>",
    )
    first = notes.comment_add(actor=bob, claim=claim, body="Check the 🇦🇲 figure\x7f?")
    notes.comment_add(actor=alice, claim=claim, body="ok", parent=first)
    notes.rating_submit(
        actor=bob, claim=claim, label="half-true", justification="Partly.", confidence=5
    )
    # Other organisations' fact-checks, a confirmed match attached as a source, a group.
    factchecks_import(
        actor=erin,
        data="id\tclaim\turl\trating\n7\tTwelve died.\thttps://checks.example.org/7\tFalse\n",
        publisher="Checks ✓",
        format="tsv",
    )
    decision = services.match_confirm(
        actor=bob,
        claim=claim,
        factcheck=FactCheck.objects.get(),
        score=0.8,
        explanation={"why": "x"},
    )
    notes.match_attach(actor=bob, decision=decision, stance="refutes")
    other = ClaimFactory(article=ArticleFactory(text=TEXT + "\nAgain.\n"))
    services.claims_group(actor=erin, claims=[claim, other])  # type: ignore[list-item]
    services.claim_ungroup(actor=erin, claim=other)  # dissolved: the history says so
    services.claims_group(actor=frank, claims=[claim, other])  # type: ignore[list-item]
    services.claim_split(
        actor=bob,
        claim=claim,
        at=claim.start + 20,
        expected_version=Claim.objects.get(pk=claim.pk).version,  # type: ignore[attr-defined]
    )


def reseed() -> None:
    """What migrate leaves in a new database: roles, the default scale, annotation labels.
    Created with other ids than the exported ones, as a real new database may have."""
    Group.objects.create(name="placeholder").delete()
    importlib.import_module("claims.migrations.0002_default_rating_scale").create_default_scale(
        django_apps, None
    )
    roles = importlib.import_module("annotations.migrations.0002_roles_and_annotation_labels")
    # The migration's own (historical) models, as migrate uses them: seeding the roles is not
    # a change of anyone's role, so it leaves no role history (claims.roles) behind.
    migrated = MigrationLoader(connection).project_state().apps
    group_model = migrated.get_model("auth", "Group")
    permission_model = migrated.get_model("auth", "Permission")
    for role, perms in roles.ROLES.items():
        group = group_model.objects.create(name=role)
        for dotted in perms:
            app_label, codename = dotted.split(".")
            group.permissions.add(
                permission_model.objects.get(content_type__app_label=app_label, codename=codename)
            )
    for position, (slug, name, colour, description) in enumerate(roles.LABELS):
        AnnotationLabel.objects.create(
            slug=slug, name=name, colour=colour, description=description, position=position
        )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("name", ["export.jsonl", "export.jsonl.gz"])
def test_everything_survives_export_and_import_into_a_new_database(tmp_path, name):
    build_newsroom()
    before, permissions = fingerprint(), group_permissions()
    assert before["claims_claimhistory"].rows >= 40
    assert {c.status for c in Claim.objects.all()} == set(ClaimStatus.values)
    path = tmp_path / name

    call_command("export_all", str(path))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600  # password hashes inside

    call_command("flush", interactive=False, verbosity=0)
    reseed()
    assert ClaimHistory.objects.count() == 0
    call_command("import_all", str(path))

    after = fingerprint()
    assert after == before, changed(before, after)
    assert group_permissions() == permissions
    # People sign in with their old passwords; new rows get new ids after the restored ones.
    newest = ClaimHistory.objects.latest("pk").pk
    alice = authenticate(username="alice", password="correct horse battery staple")
    services.claim_dismiss(
        actor=alice, claim=Claim.objects.filter(status=ClaimStatus.NEW).first(), reason="x"
    )
    assert ClaimHistory.objects.latest("pk").pk > newest


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_import_into_a_flushed_database_without_roles_or_scale(tmp_path):
    build_newsroom()
    before = fingerprint()
    call_command("export_all", str(tmp_path / "e.jsonl"))
    call_command("flush", interactive=False, verbosity=0)
    call_command("import_all", str(tmp_path / "e.jsonl"))
    assert fingerprint() == before
    assert RatingScale.default().labels.count() == 7


def export_lines(tmp_path: Path) -> list[str]:
    call_command("export_all", str(tmp_path / "seed.jsonl"))
    return (tmp_path / "seed.jsonl").read_text(encoding="utf-8").splitlines()


def write(tmp_path: Path, lines: list[str]) -> str:
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


@pytest.mark.django_db
def test_export_keeps_timestamps_to_the_microsecond(tmp_path, claim, editor, reviewer):
    services.claim_assign(actor=editor, claim=claim, reviewer=reviewer)
    at = ClaimHistory.objects.latest("pk").at
    rows = [json.loads(line) for line in export_lines(tmp_path)]
    history = [r for r in rows if r.get("model") == "claims.claimhistory"]
    assert dt.datetime.fromisoformat(history[-1]["fields"]["at"]) == at


@pytest.mark.django_db
def test_import_refuses_a_database_in_use(tmp_path, reviewer):
    lines = export_lines(tmp_path)
    before = fingerprint()
    with pytest.raises(CommandError, match=r"not empty \(1 auth.user, 1 claims.rolechange\)"):
        call_command("import_all", write(tmp_path, lines))
    assert fingerprint() == before


@pytest.mark.django_db
def test_import_of_a_truncated_file_changes_nothing(tmp_path):
    lines = export_lines(tmp_path)
    before = fingerprint()
    with pytest.raises(CommandError, match="ends early"):
        call_command("import_all", write(tmp_path, lines[:-1]))
    assert fingerprint() == before


@pytest.mark.django_db
def test_import_of_an_altered_file_changes_nothing(tmp_path):
    lines = export_lines(tmp_path)
    i = next(n for n, line in enumerate(lines) if '"claims.ratinglabel"' in line)
    lines[i] = lines[i].replace('"name":"True"', '"name":"Truthy"')
    before = fingerprint()
    with pytest.raises(CommandError, match=r"differ from the export: claims.ratinglabel"):
        call_command("import_all", write(tmp_path, lines))
    assert fingerprint() == before
    assert RatingScale.default().labels.filter(name="True").exists()


@pytest.mark.django_db
def test_import_refuses_an_export_from_other_migrations(tmp_path):
    lines = export_lines(tmp_path)
    header = json.loads(lines[0])
    header["migrations"]["claims"].append("0099_from_the_future")
    lines[0] = json.dumps(header)
    with pytest.raises(CommandError, match=r"other migrations.*claims: export at 0099"):
        call_command("import_all", write(tmp_path, lines))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "content",
    [b"", b"not json\n", b'{"format": "something else"}\n', b"\xff\xfe\x00garbage"],
)
def test_import_refuses_files_that_are_not_exports(tmp_path, content):
    path = tmp_path / "x.jsonl"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=r"not a file written by export_all|cannot read"):
        call_command("import_all", str(path))


@pytest.mark.django_db
def test_import_refuses_a_gzip_that_is_not_one(tmp_path):
    path = tmp_path / "x.jsonl.gz"
    path.write_bytes(b"plain text")
    with pytest.raises(CommandError, match="cannot read"):
        call_command("import_all", str(path))


@pytest.mark.django_db
def test_import_reports_a_row_that_does_not_fit(tmp_path):
    lines = export_lines(tmp_path)
    row = {
        "model": "annotations.comment",
        "pk": 1,
        "fields": {
            "claim": 999,
            "parent": None,
            "author": 999,
            "body": "x",
            "created_at": "2020-07-18T00:00:00+00:00",
        },
    }
    lines.insert(-1, json.dumps(row))
    before = fingerprint()
    with pytest.raises(CommandError, match=r"do not fit together|refused|differ"):
        call_command("import_all", write(tmp_path, lines))
    assert fingerprint() == before


@pytest.mark.django_db
def test_export_does_not_overwrite_unless_told(tmp_path):
    path = tmp_path / "e.jsonl"
    path.write_text("keep me")
    with pytest.raises(CommandError, match="exists"):
        call_command("export_all", str(path))
    assert path.read_text() == "keep me"
    call_command("export_all", str(path), "--force")
    assert json.loads(path.read_text().splitlines()[0])["format"] == "claim-workbench-export"


def test_gzip_export_is_really_gzip(tmp_path, db):
    call_command("export_all", str(tmp_path / "e.jsonl.gz"))
    with gzip.open(tmp_path / "e.jsonl.gz", "rt") as f:
        assert json.loads(f.readline())["version"] == 1


def test_every_model_of_the_newsroom_is_exported():
    from annotations.management.commands.export_all import exported_models

    names = {m._meta.label_lower for m in exported_models()}
    assert {
        "auth.user",
        "auth.group",
        "claims.article",
        "claims.claim",
        "claims.verdict",
        "claims.claimhistory",
        "claims.claimassignment",
        "claims.ratingscale",
        "claims.ratinglabel",
        "claims.organisation",
        "annotations.annotation",
        "annotations.annotationlabel",
        "annotations.comment",
        "annotations.source",
        "annotations.claimsource",
        "annotations.rating",
    } <= names
