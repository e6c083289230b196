"""The admin: every model is there, and its lists, filters and searches work."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from tests.workflow import advance

pytestmark = pytest.mark.django_db

OURS = ("claims", "annotations")


def test_every_model_of_ours_is_in_the_admin():
    missing = [
        m._meta.label
        for app in OURS
        for m in apps.get_app_config(app).get_models()
        if m not in admin.site._registry and not m._meta.auto_created
    ]
    assert missing == []


def test_every_changelist_renders_with_search_and_filters(
    client, claim, reviewer, editor, second_editor
):
    from tests.factories import UserFactory

    advance(claim, "corrected", reviewer=reviewer, editor=editor, second_editor=second_editor)
    superuser = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(superuser)
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in OURS:
            continue
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        assert client.get(url).status_code == 200, url
        if model_admin.search_fields:
            assert client.get(url, {"q": "soldiers"}).status_code == 200, url
        first = model.objects.first()
        if first is not None:
            change = reverse(
                f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[first.pk]
            )
            assert client.get(change).status_code == 200, change
