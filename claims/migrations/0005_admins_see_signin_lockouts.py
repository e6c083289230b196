"""The admin role sees sign-in attempts and lockouts in the admin, and can unlock accounts.

django-axes records failed sign-ins (AccessAttempt, AccessFailureLog) and sign-ins
(AccessLog). Admins view them; deleting an AccessAttempt is how an admin unlocks an account
before its cool-off ends. Records are written only by axes, so no add/change permission.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PERMISSIONS = [
    "view_accessattempt",
    "delete_accessattempt",
    "view_accessfailurelog",
    "view_accesslog",
]


def grant(apps, schema_editor):
    # Permissions are normally made after migrate; make axes' now so the group can hold them.
    axes = apps.get_app_config("axes")
    axes.models_module = True
    create_permissions(axes, apps=apps, verbosity=0)
    axes.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="admin")
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="axes", codename__in=PERMISSIONS)
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name="admin").first()
    if group is not None:
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="axes", codename__in=PERMISSIONS)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0004_claimhistory_append_only"),
        ("axes", "0010_accessattemptexpiration"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(grant, revoke)]
