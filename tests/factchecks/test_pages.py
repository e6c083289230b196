"""The import pages: the editor's in the workbench and the admin's."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from claims.models import FactCheck
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

GOOD_AND_BAD = (
    "id\tclaim\trating\n"
    "1\tThe unemployment rate fell to 3.5%.\tTrue\n"
    "2\t\tFalse\n"
    "3\tCrime rose by 13 percent.\tMisleading\n"
)


def upload(text: str | bytes, name: str = "checks.tsv") -> SimpleUploadedFile:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return SimpleUploadedFile(name, data, content_type="text/tab-separated-values")


def test_the_editors_page_imports_and_lists_each_refused_row(client, editor, indexed):
    client.force_login(editor)
    page = client.get("/factchecks/import/")
    assert page.status_code == 200 and b"Import fact-checks" in page.content
    response = client.post(
        "/factchecks/import/", {"file": upload(GOOD_AND_BAD), "publisher": "Ex Checks"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "2 of 3 fact-checks imported (2 new, 0 updated); 1 row refused." in html
    assert 'id="import-errors"' in html and "The claim is empty." in html
    assert '<td>Ex Checks</td><td class="num">2</td>' in html
    assert FactCheck.objects.filter(publisher="Ex Checks", imported_by=editor).count() == 2

    again = client.post(
        "/factchecks/import/", {"file": upload(GOOD_AND_BAD), "publisher": "Ex Checks"}
    )
    assert "(0 new, 0 updated, 2 unchanged)" in again.content.decode()
    assert FactCheck.objects.count() == 2


def test_an_unreadable_file_is_an_error_on_the_form(client, editor, indexed):
    client.force_login(editor)
    response = client.post(
        "/factchecks/import/", {"file": upload("{oops", "feed.json"), "format": ""}
    )
    assert response.status_code == 400
    assert "The file is not JSON" in response.content.decode()
    assert FactCheck.objects.count() == 0
    no_file = client.post("/factchecks/import/", {"publisher": "X"})
    assert no_file.status_code == 400


def test_reviewers_and_anonymous_cannot_import(client, reviewer, indexed):
    assert client.get("/factchecks/import/").status_code == 302
    client.force_login(reviewer)
    assert client.get("/factchecks/import/").status_code == 403
    response = client.post("/factchecks/import/", {"file": upload(GOOD_AND_BAD), "publisher": "P"})
    assert response.status_code == 403 and FactCheck.objects.count() == 0


def test_the_navigation_shows_fact_checks_to_editors_only(client, reviewer, editor):
    client.force_login(reviewer)
    assert b'href="/factchecks/import/"' not in client.get("/").content
    client.force_login(editor)
    assert b'href="/factchecks/import/"' in client.get("/").content


def test_the_admin_imports_from_its_own_page(client, indexed):
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(root)
    changelist = client.get("/admin/claims/factcheck/")
    assert changelist.status_code == 200
    assert b"/admin/claims/factcheck/import/" in changelist.content
    assert client.get("/admin/claims/factcheck/import/").status_code == 200
    response = client.post(
        "/admin/claims/factcheck/import/", {"file": upload(GOOD_AND_BAD), "publisher": "Adm"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "2 of 3 fact-checks imported" in html and "The claim is empty." in html
    assert FactCheck.objects.filter(publisher="Adm", imported_by=root).count() == 2
    listed = client.get("/admin/claims/factcheck/", {"q": "unemployment"})
    assert b"The unemployment rate fell" in listed.content


def test_staff_without_the_right_cannot_import_in_the_admin(client, admin_user, indexed):
    client.force_login(admin_user)
    assert client.get("/admin/claims/factcheck/import/").status_code == 403
    response = client.post(
        "/admin/claims/factcheck/import/", {"file": upload(GOOD_AND_BAD), "publisher": "Adm"}
    )
    assert response.status_code == 403 and FactCheck.objects.count() == 0
