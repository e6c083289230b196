"""Roles in the admin: only superusers grant them, and every change is in the role history.

The "admin" group holds auth.add_user, change_user and change_group so that its members can
run accounts (names, e-mail, passwords, active or not). It must not be a way up: a member
who could set ``is_superuser``, ``is_staff``, groups or permissions could give a second
account the editor and reviewer roles, read blind ratings and approve their own verdicts.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from claims.models import RoleChange
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ROLE_FIELDS = ("is_superuser", "is_staff", "groups", "user_permissions")


@pytest.fixture
def root(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


def change_url(user: Any) -> str:
    return reverse("admin:auth_user_change", args=[user.pk])


def account_form(user: Any, **extra: Any) -> dict[str, Any]:
    """The change form as the admin group's members see it, filled in."""
    return {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        **extra,
    }


def forged_roles() -> dict[str, Any]:
    return {
        "is_superuser": "on",
        "is_staff": "on",
        "groups": [g.pk for g in Group.objects.filter(name__in=["editor", "reviewer"])],
        "user_permissions": [Permission.objects.get(codename="approve_verdict").pk],
    }


def roles_of(user: Any) -> tuple[bool, bool, list[str], list[str]]:
    user = User.objects.get(pk=user.pk)
    return (
        user.is_superuser,
        user.is_staff,
        sorted(user.groups.values_list("name", flat=True)),
        sorted(user.user_permissions.values_list("codename", flat=True)),
    )


# --- the admin group's members: accounts, never roles -------------------------------------------


def test_admin_group_change_form_has_no_role_fields(client, admin_user, second_reviewer):
    client.force_login(admin_user)
    page = client.get(change_url(second_reviewer)).content.decode()
    assert 'name="first_name"' in page  # the page is the form
    for name in ROLE_FIELDS:
        assert f'name="{name}"' not in page, name


def test_admin_group_can_still_edit_an_account(client, admin_user, second_reviewer):
    client.force_login(admin_user)
    response = client.post(
        change_url(second_reviewer), account_form(second_reviewer, email="b@x.org")
    )
    assert response.status_code == 302
    second_reviewer.refresh_from_db()
    assert second_reviewer.email == "b@x.org"


def test_forged_change_post_granting_roles_is_refused(client, admin_user, outsider):
    client.force_login(admin_user)
    before = roles_of(outsider)
    response = client.post(change_url(outsider), account_form(outsider, **forged_roles()))
    assert response.status_code == 403
    assert roles_of(outsider) == before
    assert not RoleChange.objects.filter(user=outsider).exists()


@pytest.mark.parametrize("field", ROLE_FIELDS)
def test_each_forged_role_field_alone_is_refused(client, admin_user, outsider, field):
    client.force_login(admin_user)
    before = roles_of(outsider)
    response = client.post(
        change_url(outsider), account_form(outsider, **{field: forged_roles()[field]})
    )
    assert response.status_code == 403
    assert roles_of(outsider) == before


def test_forged_add_post_with_roles_is_refused_and_creates_nobody(client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:auth_user_add"),
        {
            "username": "mallory",
            "usable_password": "true",
            "password1": "a long and unusual passphrase",
            "password2": "a long and unusual passphrase",
            **forged_roles(),
        },
    )
    assert response.status_code == 403
    assert not User.objects.filter(username="mallory").exists()


def test_admin_group_adds_an_account_without_roles(client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:auth_user_add"),
        {
            "username": "newcomer",
            "usable_password": "true",
            "password1": "a long and unusual passphrase",
            "password2": "a long and unusual passphrase",
        },
    )
    assert response.status_code == 302
    assert roles_of(User.objects.get(username="newcomer")) == (False, False, [], [])


def test_admin_group_cannot_change_its_own_roles(client, admin_user):
    client.force_login(admin_user)
    before = roles_of(admin_user)
    response = client.post(change_url(admin_user), account_form(admin_user, **forged_roles()))
    assert response.status_code == 403
    assert roles_of(admin_user) == before


def test_admin_group_cannot_edit_a_superusers_account(client, admin_user, root):
    client.force_login(admin_user)
    response = client.post(change_url(root), account_form(root, email="taken@x.org"))
    assert response.status_code == 403
    root.refresh_from_db()
    assert root.email != "taken@x.org"
    password = client.post(
        reverse("admin:auth_user_password_change", args=[root.pk]),
        {
            "usable_password": "true",
            "password1": "now mine entirely",
            "password2": "now mine entirely",
        },
    )
    assert password.status_code == 403
    root.refresh_from_db()
    assert not root.check_password("now mine entirely")


def test_forged_group_change_post_is_refused(client, admin_user):
    client.force_login(admin_user)
    group = Group.objects.get(name="admin")
    before = set(group.permissions.values_list("pk", flat=True))
    extra = set(
        Permission.objects.filter(codename__in=["approve_verdict", "review_claim"]).values_list(
            "pk", flat=True
        )
    )
    response = client.post(
        reverse("admin:auth_group_change", args=[group.pk]),
        {"name": "admin", "permissions": sorted(before | extra)},
    )
    assert response.status_code == 403
    assert set(group.permissions.values_list("pk", flat=True)) == before
    assert not RoleChange.objects.filter(group=group).exists()


def test_admin_group_sees_groups_read_only(client, admin_user):
    client.force_login(admin_user)
    group = Group.objects.get(name="editor")
    page = client.get(reverse("admin:auth_group_change", args=[group.pk]))
    assert page.status_code == 200
    assert b'name="permissions"' not in page.content
    assert b'name="_save"' not in page.content


# --- superusers grant roles, and the history shows it -------------------------------------------


def test_superuser_grants_roles_and_the_history_records_it(client, root, outsider):
    client.force_login(root)
    groups = list(Group.objects.filter(name__in=["editor", "reviewer"]))
    response = client.post(
        change_url(outsider),
        account_form(outsider, is_staff="on", groups=[g.pk for g in groups], user_permissions=[]),
    )
    assert response.status_code == 302
    assert roles_of(outsider) == (False, True, ["editor", "reviewer"], [])
    (change,) = RoleChange.objects.filter(user=outsider)  # one save, one entry
    assert change.actor == root
    assert change.via == "admin"
    assert change.before == {"superuser": False, "staff": False, "groups": [], "permissions": []}
    assert change.after == {
        "superuser": False,
        "staff": True,
        "groups": ["editor", "reviewer"],
        "permissions": [],
    }


def test_an_edit_that_changes_no_role_writes_no_role_history(client, root, reviewer):
    client.force_login(root)
    groups = [g.pk for g in reviewer.groups.all()]
    response = client.post(
        change_url(reviewer), account_form(reviewer, groups=groups, email="a@x.org")
    )
    assert response.status_code == 302
    assert not RoleChange.objects.filter(user=reviewer, via="admin").exists()


def test_superuser_changes_group_permissions_and_the_history_records_it(client, root):
    client.force_login(root)
    group = Group.objects.get(name="reviewer")
    approve = Permission.objects.get(codename="approve_verdict")
    before = sorted(f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all())
    response = client.post(
        reverse("admin:auth_group_change", args=[group.pk]),
        {
            "name": "reviewer",
            "permissions": [*group.permissions.values_list("pk", flat=True), approve.pk],
        },
    )
    assert response.status_code == 302
    (change,) = RoleChange.objects.filter(group=group)
    assert change.actor == root
    assert change.before == {"name": "reviewer", "permissions": before}
    assert change.after == {
        "name": "reviewer",
        "permissions": sorted([*before, "claims.approve_verdict"]),
    }


def test_role_changes_outside_the_admin_are_recorded_too(outsider):
    editor = Group.objects.get(name="editor")
    outsider.groups.add(editor)
    group_of = Group.objects.get(name="reviewer")
    group_of.user_set.add(outsider)  # from the group's side
    outsider.is_superuser = True
    outsider.save()
    changes = list(RoleChange.objects.filter(user=outsider).order_by("pk"))
    both = ["editor", "reviewer"]
    assert [c.after["groups"] for c in changes] == [["editor"], both, both]
    assert changes[-1].before["superuser"] is False and changes[-1].after["superuser"] is True
    assert all(c.actor is None and c.via == "" for c in changes)


def test_a_new_superuser_is_recorded(db):
    call_command("createsuperuser", "--noinput", username="boss", email="boss@x.org")
    (change,) = RoleChange.objects.filter(user__username="boss")
    assert change.before is None
    assert change.after["superuser"] is True


def test_signing_in_writes_no_role_history(client, reviewer):
    count = RoleChange.objects.count()
    assert client.login(username="alice", password="correct horse battery staple")
    assert RoleChange.objects.count() == count


def test_role_history_is_append_only(outsider):
    outsider.groups.add(Group.objects.get(name="editor"))
    change = RoleChange.objects.get(user=outsider)
    change.after = {}
    with pytest.raises(ValidationError):
        change.save()
    with pytest.raises(ValidationError):
        change.delete()


def test_admin_group_reads_the_role_history(client, admin_user, outsider):
    outsider.groups.add(Group.objects.get(name="editor"))
    client.force_login(admin_user)
    page = client.get(reverse("admin:claims_rolechange_changelist"))
    assert page.status_code == 200
    assert b"oscar" in page.content
    change = RoleChange.objects.get(user=outsider)
    forged = client.post(reverse("admin:claims_rolechange_change", args=[change.pk]), {})
    assert forged.status_code == 403


def test_superusers_forms_have_the_role_fields_and_the_history(client, root, outsider):
    outsider.groups.add(Group.objects.get(name="editor"))
    client.force_login(root)
    assert client.get(reverse("admin:auth_user_add")).status_code == 200
    page = client.get(change_url(outsider)).content.decode()
    for name in ROLE_FIELDS:
        assert f'name="{name}"' in page, name
    assert "no role → groups: editor" in page


needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the trigger is PostgreSQL's (PL/pgSQL)"
)


@needs_postgresql
def test_database_refuses_to_rewrite_role_history(outsider):
    outsider.groups.add(Group.objects.get(name="editor"))
    change = RoleChange.objects.get(user=outsider)
    with pytest.raises(IntegrityError, match="append-only: UPDATE"), transaction.atomic():
        RoleChange.objects.filter(pk=change.pk).update(after={})
    with pytest.raises(IntegrityError, match="append-only: DELETE"), transaction.atomic():
        RoleChange.objects.filter(pk=change.pk).delete()
    assert RoleChange.objects.get(pk=change.pk).after["groups"] == ["editor"]


def password_form(password: str) -> dict[str, str]:
    return {"usable_password": "true", "password1": password, "password2": password}


@pytest.mark.parametrize("target", ["editor", "second_reviewer"])
def test_admin_group_cannot_take_over_an_account_with_a_role(client, admin_user, target, request):
    # Before: the admin group reset an editor's password and could then sign in as them.
    account = request.getfixturevalue(target)
    client.force_login(admin_user)
    url = reverse("admin:auth_user_password_change", args=[account.pk])
    assert client.get(url).status_code == 403
    response = client.post(url, password_form("now mine entirely"))
    assert response.status_code == 403
    account.refresh_from_db()
    assert not account.check_password("now mine entirely")


def test_admin_group_sets_the_password_of_an_account_without_a_role(client, admin_user, outsider):
    client.force_login(admin_user)
    url = reverse("admin:auth_user_password_change", args=[outsider.pk])
    response = client.post(url, password_form("a long and unusual passphrase"))
    assert response.status_code == 302
    outsider.refresh_from_db()
    assert outsider.check_password("a long and unusual passphrase")


def test_superuser_sets_any_password(client, root, editor):
    client.force_login(root)
    url = reverse("admin:auth_user_password_change", args=[editor.pk])
    assert client.post(url, password_form("a long and unusual passphrase")).status_code == 302
    editor.refresh_from_db()
    assert editor.check_password("a long and unusual passphrase")
