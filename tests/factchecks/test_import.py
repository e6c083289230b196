"""Importing fact-checks: stored as their publisher's, idempotent, bad rows reported."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command

from claims.factchecks import factchecks_import
from claims.models import FactCheck

pytestmark = pytest.mark.django_db

TSV = (
    "id\tclaim\ttitle\turl\trating\tdate\n"
    "1\tThe unemployment rate fell to 3.5%.\tJobs\thttps://ex.org/1\tTrue\t2020-01-31\n"
    "2\tCrime rose by 13 percent.\tCrime\thttps://ex.org/2\tMisleading\t2020-02-01\n"
    "3\tThe bridge cost 2 billion.\t\t\tFalse\t\n"
)


def _review(n: int, rating: str = "False") -> dict[str, object]:
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": f"https://checks.example.org/{n}",
        "claimReviewed": f"Claim number {n}.",
        "author": {"@type": "Organization", "name": "Example Checks"},
        "reviewRating": {"@type": "Rating", "alternateName": rating},
        "datePublished": f"2021-05-0{n}",
    }


def test_a_tsv_import_stores_each_row_as_the_publishers_fact_check(editor, indexed):
    report = factchecks_import(actor=editor, data=TSV, publisher="Ex Checks", filename="a.tsv")
    assert (report.created, report.updated, report.unchanged, report.errors) == (3, 0, 0, [])
    one = FactCheck.objects.get(publisher="Ex Checks", external_id="1")
    assert one.rating_text == "True" and one.url == "https://ex.org/1"
    assert one.imported_by == editor
    assert str(one.published) == "2020-01-31"
    assert indexed == [sorted(FactCheck.objects.values_list("pk", flat=True))]


def test_a_second_import_updates_and_never_duplicates(editor, indexed):
    factchecks_import(actor=editor, data=TSV, publisher="Ex Checks", format="tsv")
    first = {fc.external_id: (fc.pk, fc.updated_at) for fc in FactCheck.objects.all()}
    again = factchecks_import(actor=editor, data=TSV, publisher="Ex Checks", format="tsv")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert FactCheck.objects.count() == 3
    assert len(indexed) == 1  # nothing changed: nothing to index again

    changed = TSV.replace("\tMisleading\t", "\tFalse\t")
    third = factchecks_import(actor=editor, data=changed, publisher="Ex Checks", format="tsv")
    assert (third.created, third.updated, third.unchanged) == (0, 1, 2)
    two = FactCheck.objects.get(external_id="2")
    assert two.rating_text == "False" and two.pk == first["2"][0]
    assert two.updated_at > first["2"][1]
    assert FactCheck.objects.get(external_id="1").updated_at == first["1"][1]
    assert indexed[-1] == [two.pk]


def test_the_same_id_from_another_publisher_is_another_fact_check(editor, indexed):
    factchecks_import(actor=editor, data=TSV, publisher="Ex Checks", format="tsv")
    factchecks_import(actor=editor, data=TSV, publisher="Other Desk", format="tsv")
    assert FactCheck.objects.count() == 6


def test_claimreview_without_ids_is_recognised_by_its_url(editor, indexed):
    doc = json.dumps([_review(1), _review(2)])
    factchecks_import(actor=editor, data=doc, format="claimreview")
    updated = json.dumps([_review(1, rating="Mostly false"), _review(2)])
    report = factchecks_import(actor=editor, data=updated)
    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    assert FactCheck.objects.get(url="https://checks.example.org/1").rating_text == "Mostly false"
    assert FactCheck.objects.count() == 2


def test_an_id_given_later_is_added_to_the_fact_check_found_by_its_url(editor, indexed):
    factchecks_import(actor=editor, data=json.dumps(_review(1)))
    with_id = dict(_review(1), identifier="EX-1")
    report = factchecks_import(actor=editor, data=json.dumps(with_id))
    assert (report.created, report.updated) == (0, 1)
    assert FactCheck.objects.get().external_id == "EX-1"


def test_an_empty_field_in_a_later_import_keeps_what_is_stored(editor, indexed):
    factchecks_import(actor=editor, data=TSV, publisher="Ex Checks", format="tsv")
    fewer = "id\tclaim\n1\tThe unemployment rate fell to 3.5%.\n"
    report = factchecks_import(actor=editor, data=fewer, publisher="Ex Checks", format="tsv")
    assert report.unchanged == 1
    assert FactCheck.objects.get(external_id="1").title == "Jobs"


def test_bad_rows_are_reported_and_the_good_rows_imported(editor, indexed):
    data = TSV + "4\t\t\t\t\t\n5\tFine.\t\t\t\tnot-a-date\n6\tAlso fine.\t\t\t\t\n"
    report = factchecks_import(actor=editor, data=data, publisher="Ex Checks", format="tsv")
    assert report.created == 4
    assert [
        (e.row, "claim is empty" in e.message or "not a date" in e.message) for e in report.errors
    ] == [(5, True), (6, True)]
    assert sorted(FactCheck.objects.values_list("external_id", flat=True)) == ["1", "2", "3", "6"]


def test_a_url_already_another_fact_checks_is_refused_for_that_row_only(editor, indexed):
    factchecks_import(actor=editor, data=TSV, publisher="Ex Checks", format="tsv")
    clash = "id\tclaim\turl\n9\tNew claim.\thttps://ex.org/1\n10\tAnother.\thttps://ex.org/10\n"
    report = factchecks_import(actor=editor, data=clash, publisher="Ex Checks", format="tsv")
    assert report.created == 1
    [error] = report.errors
    assert error.row == 2 and "fact-check 1" in error.message
    assert not FactCheck.objects.filter(external_id="9").exists()


def test_two_new_rows_with_one_url_in_one_batch(editor, indexed):
    data = "id\tclaim\turl\n1\tA.\thttps://ex.org/a\n2\tB.\thttps://ex.org/a\n"
    report = factchecks_import(actor=editor, data=data, publisher="P", format="tsv")
    assert report.created == 1 and report.errors[0].row == 3


def test_each_batch_is_its_own_transaction_and_indexed_after_it(editor, indexed):
    rows = "".join(f"{i}\tClaim {i}.\n" for i in range(7))
    report = factchecks_import(
        actor=editor, data="id\tclaim\n" + rows, publisher="P", format="tsv", batch_size=3
    )
    assert report.created == 7
    assert [len(ids) for ids in indexed] == [3, 3, 1]


def test_an_unreadable_file_changes_nothing(editor, indexed):
    with pytest.raises(ValidationError) as exc:
        factchecks_import(actor=editor, data="{broken", format="claimreview")
    assert "not JSON" in str(exc.value)
    with pytest.raises(ValidationError, match="no claim column"):
        factchecks_import(actor=editor, data="a\tb\n1\t2\n", format="tsv", publisher="P")
    assert FactCheck.objects.count() == 0 and indexed == []


def test_only_editors_import(reviewer, outsider, editor, indexed):
    for person in (reviewer, outsider):
        with pytest.raises(PermissionDenied, match="Only editors"):
            factchecks_import(actor=person, data=TSV, publisher="P", format="tsv")
    assert FactCheck.objects.count() == 0


def test_fact_checks_are_never_on_the_public_api_as_ours(client, editor, indexed):
    factchecks_import(actor=editor, data=TSV, publisher="Ex Checks", format="tsv")
    for url in ("/api/v1/published/", "/api/v1/published/export.jsonl", "/ratings/"):
        response = client.get(url)
        assert response.status_code == 200, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert b"Ex Checks" not in body and b"unemployment rate fell" not in body, url


# --- the command -----------------------------------------------------------------------------


def run(*args: str) -> tuple[str, str, int]:
    out, err = StringIO(), StringIO()
    code = 0
    try:
        call_command(*args, stdout=out, stderr=err)
    except SystemExit as exc:
        code = int(exc.code or 0)
    return out.getvalue(), err.getvalue(), code


def test_command_imports_a_tsv_then_updates_it(tmp_path, indexed):
    path = tmp_path / "checks.tsv"
    path.write_text(TSV, encoding="utf-8")
    out, err, code = run("import_factchecks", str(path), "--publisher", "Ex Checks")
    assert code == 0 and err == ""
    assert "3 of 3 fact-checks imported (3 new, 0 updated)" in out and "tsv" in out
    out, _, code = run("import_factchecks", str(path), "--publisher", "Ex Checks")
    assert code == 0 and "(0 new, 0 updated, 3 unchanged)" in out
    assert FactCheck.objects.count() == 3
    assert FactCheck.objects.filter(imported_by__isnull=True).count() == 3


def test_command_reads_claimreview_with_format_and_user(tmp_path, editor, indexed):
    path = tmp_path / "feed.data"
    path.write_text(json.dumps([_review(1), _review(2)]), encoding="utf-8")
    out, _, code = run("import_factchecks", str(path), "--format", "claimreview", "--user", "erin")
    assert code == 0 and "2 new" in out
    assert FactCheck.objects.filter(imported_by=editor).count() == 2


def test_command_lists_bad_rows_and_exits_1(tmp_path, indexed):
    path = tmp_path / "bad.tsv"
    path.write_text("id\tclaim\n1\tGood.\n2\t\n", encoding="utf-8")
    out, err, code = run("import_factchecks", str(path), "--publisher", "P")
    assert code == 1
    assert "1 of 2 fact-checks imported" in out and "1 row refused" in out
    assert f"{path}: row 3 (2): the claim is empty" in err
    assert FactCheck.objects.count() == 1


def test_command_refuses_what_it_cannot_read(tmp_path, indexed):
    with pytest.raises(CommandError, match="No such file"):
        run("import_factchecks", str(tmp_path / "missing.tsv"))
    path = tmp_path / "x.json"
    path.write_text("{nope", encoding="utf-8")
    with pytest.raises(CommandError, match="not JSON"):
        run("import_factchecks", str(path))
    with pytest.raises(CommandError, match="no user"):
        run("import_factchecks", str(path), "--user", "nobody")
