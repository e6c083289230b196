"""The role history: every change to who holds which role, append-only.

``claims.roles`` writes a row for each change to an account's superuser or staff flag, its
groups or direct permissions, or a group's permissions. The admin group may read it (it runs
accounts), nobody may change it: the model refuses, and on PostgreSQL a trigger refuses
UPDATE and DELETE as it does for the claim history (see 0004).
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

FORWARDS = """
CREATE FUNCTION claims_rolechange_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION USING
        MESSAGE = 'claims_rolechange is append-only: ' || TG_OP || ' of row ' || OLD.id
                  || ' refused',
        ERRCODE = 'restrict_violation',
        HINT = 'Role history is never changed or deleted; append a new row instead.';
END
$$;

CREATE TRIGGER claims_rolechange_append_only
    BEFORE UPDATE OR DELETE ON claims_rolechange
    FOR EACH ROW EXECUTE FUNCTION claims_rolechange_append_only();
"""

BACKWARDS = """
DROP TRIGGER IF EXISTS claims_rolechange_append_only ON claims_rolechange;
DROP FUNCTION IF EXISTS claims_rolechange_append_only();
"""


def append_only(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARDS, params=None)


def not_append_only(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARDS, params=None)


def admins_read_it(apps, schema_editor):
    claims = apps.get_app_config("claims")
    claims.models_module = True
    create_permissions(claims, apps=apps, verbosity=0)
    claims.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name="admin").first()
    if group is not None:
        group.permissions.add(
            Permission.objects.get(content_type__app_label="claims", codename="view_rolechange")
        )


def admins_do_not(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name="admin").first()
    if group is not None:
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="claims", codename="view_rolechange"
            )
        )


class Migration(migrations.Migration):

    dependencies = [
        ('auth', '0012_alter_user_first_name_max_length'),
        ('claims', '0008_rating_label_retired'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='RoleChange',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('at', models.DateTimeField(db_index=True, default=django.utils.timezone.now)),
                ('via', models.CharField(blank=True, help_text='“admin”, or empty for a change made in code.', max_length=20)),
                ('before', models.JSONField(blank=True, null=True)),
                ('after', models.JSONField()),
                ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('group', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='auth.group')),
                ('user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='role_changes', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-at', '-pk'],
                'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('group__isnull', True), ('user__isnull', False)), models.Q(('group__isnull', False), ('user__isnull', True)), _connector='OR'), name='role_change_of_an_account_or_a_group')],
            },
        ),
        migrations.RunPython(append_only, not_append_only, elidable=False),
        migrations.RunPython(admins_read_it, admins_do_not),
    ]
