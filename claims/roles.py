"""Who holds which role, and the history of every change to it.

A role is what an account may do: superuser, staff (may enter the admin), its groups
(reviewer, editor, admin) and any permissions given to it directly; a group's role is its
permissions. Every change to one of them is a ``RoleChange`` row, with the roles before and
after, so that an account given the roles to approve its maker's work always shows in the
history, however it was given.

The admin records its changes in one batch per saved form (``recording``), with the person
who saved it; a change made anywhere else (a management command, the shell) is recorded as
it happens, with no actor. Rows restored from a serialised copy (``import_all``, the test
framework's database restore) are not changes and are not recorded.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import Group, Permission, User
from django.db import transaction
from django.db.models.signals import m2m_changed, post_save, pre_save

# Fields of an account that only a superuser may set (see claims.admin.UserAdmin).
ROLE_FIELDS = ("is_superuser", "is_staff", "groups", "user_permissions")
# An account with no role at all: a new account with none is not a role change.
NO_ROLES: dict[str, Any] = {"superuser": False, "staff": False, "groups": [], "permissions": []}

Key = tuple[str, int]  # ("user", pk) or ("group", pk)


def _dotted(permissions: Iterable[tuple[str, str]]) -> list[str]:
    return sorted(f"{app}.{codename}" for app, codename in permissions)


def user_roles(pk: int) -> dict[str, Any] | None:
    """An account's roles as stored now, or None when there is no such account."""
    flags = User.objects.filter(pk=pk).values_list("is_superuser", "is_staff").first()
    if flags is None:
        return None
    groups = Group.objects.filter(user__pk=pk).order_by("name").values_list("name", flat=True)
    permissions = Permission.objects.filter(user__pk=pk).values_list(
        "content_type__app_label", "codename"
    )
    return {
        "superuser": flags[0],
        "staff": flags[1],
        "groups": list(groups),
        "permissions": _dotted(permissions),
    }


def group_roles(pk: int) -> dict[str, Any] | None:
    name = Group.objects.filter(pk=pk).values_list("name", flat=True).first()
    if name is None:
        return None
    permissions = Permission.objects.filter(group__pk=pk).values_list(
        "content_type__app_label", "codename"
    )
    return {"name": name, "permissions": _dotted(permissions)}


def _snapshot(key: Key) -> dict[str, Any] | None:
    kind, pk = key
    return user_roles(pk) if kind == "user" else group_roles(pk)


@dataclass
class _Batch:
    """The roles each account or group had before the first change of the batch."""

    actor: Any = None
    via: str = ""
    before: dict[Key, dict[str, Any] | None] = field(default_factory=dict)

    def remember(self, keys: Iterable[Key], *, new: bool = False) -> None:
        for key in keys:
            if key not in self.before:
                self.before[key] = None if new else _snapshot(key)

    def write(self) -> None:
        from claims.models import RoleChange

        for (kind, pk), before in self.before.items():
            after = _snapshot((kind, pk))
            if after is None or after == before or (before is None and after == NO_ROLES):
                continue
            RoleChange.objects.create(
                actor=self.actor if getattr(self.actor, "pk", None) else None,
                via=self.via,
                user_id=pk if kind == "user" else None,
                group_id=pk if kind == "group" else None,
                before=before,
                after=after,
            )
        self.before.clear()


_batch: ContextVar[_Batch | None] = ContextVar("role_change_batch", default=None)


@contextmanager
def recording(*, actor: Any, via: str) -> Iterator[None]:
    """Record the role changes made inside as one entry per account or group, by ``actor``.

    Written at the end, in the same transaction as the changes: if they fail, so does it."""
    batch = _Batch(actor=actor, via=via)
    token = _batch.set(batch)
    try:
        with transaction.atomic():
            yield
            batch.write()
    finally:
        _batch.reset(token)


# --- the signals: changes wherever they are made ---------------------------------------------

# The batch of one change made outside ``recording``: its "before", from the pre_ signal to
# the post_ signal that follows it on the same thread.
_loose: ContextVar[_Batch | None] = ContextVar("role_change_loose", default=None)


def _before(keys: Iterable[Key], *, new: bool = False, fresh: bool = True) -> None:
    batch = _batch.get()
    if batch is None:
        batch = _loose.get()
        if batch is None or fresh:  # (a change that failed half-way leaves nothing behind)
            batch = _Batch()
            _loose.set(batch)
    batch.remember(keys, new=new)


def _after() -> None:
    if _batch.get() is not None:
        return  # written once, when the batch ends
    batch = _loose.get()
    if batch is not None:
        _loose.set(None)
        batch.write()


def _restored(instance: Any) -> bool:
    return bool(getattr(instance, "_roles_restored", False))


def _user_saving(sender: Any, instance: User, raw: bool, update_fields: Any, **kw: Any) -> None:
    if raw:
        # A row restored from a serialised copy; its groups follow on the same object.
        instance._roles_restored = True  # type: ignore[attr-defined]
        return
    if update_fields is not None and not {"is_superuser", "is_staff"} & set(update_fields):
        return  # a sign-in's last_login, a password: no role changes
    _before([("user", instance.pk)] if instance.pk is not None else [])


def _user_saved(sender: Any, instance: User, created: bool, raw: bool, **kw: Any) -> None:
    if raw or _restored(instance):
        return
    update_fields = kw.get("update_fields")
    if update_fields is not None and not {"is_superuser", "is_staff"} & set(update_fields):
        return
    _before([("user", instance.pk)], new=created, fresh=False)
    _after()


def _group_saving(sender: Any, instance: Group, raw: bool, **kw: Any) -> None:
    if raw:
        instance._roles_restored = True  # type: ignore[attr-defined]


def _affected(instance: Any, reverse: bool, pk_set: Any, kind: str, related: str) -> list[Key]:
    """The accounts or groups whose roles an m2m change touches."""
    if not reverse:
        return [(kind, instance.pk)]
    if pk_set is None:  # clear(): everyone linked until now
        pk_set = getattr(instance, related).values_list("pk", flat=True)
    return [(kind, pk) for pk in pk_set]


def _m2m(kind: str, related: str) -> Any:
    def handler(sender: Any, instance: Any, action: str, reverse: bool, pk_set: Any, **kw: Any):
        if _restored(instance):
            return
        if action.startswith("pre_"):
            _before(_affected(instance, reverse, pk_set, kind, related))
        elif action.startswith("post_"):
            _after()

    return handler


_user_groups = _m2m("user", "user_set")
_user_permissions = _m2m("user", "user_set")
_group_permissions = _m2m("group", "group_set")


def connect() -> None:
    uid = "claims.roles"
    pre_save.connect(_user_saving, sender=User, dispatch_uid=f"{uid}.user_saving")
    post_save.connect(_user_saved, sender=User, dispatch_uid=f"{uid}.user_saved")
    pre_save.connect(_group_saving, sender=Group, dispatch_uid=f"{uid}.group_saving")
    m2m_changed.connect(_user_groups, sender=User.groups.through, dispatch_uid=f"{uid}.user_groups")
    m2m_changed.connect(
        _user_permissions,
        sender=User.user_permissions.through,
        dispatch_uid=f"{uid}.user_permissions",
    )
    m2m_changed.connect(
        _group_permissions,
        sender=Group.permissions.through,
        dispatch_uid=f"{uid}.group_permissions",
    )
