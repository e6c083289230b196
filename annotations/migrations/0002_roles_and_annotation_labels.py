"""The three roles as groups with permissions, and the default annotation labels."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

REVIEWER = [
    "claims.review_claim",
    "claims.view_article",
    "claims.add_article",
    "claims.view_claim",
    "annotations.view_annotation",
    "annotations.view_source",
    "annotations.view_rating",
    "annotations.view_comment",
]
EDITOR = REVIEWER + [
    "claims.assign_claim",
    "claims.propose_verdict",
    "claims.approve_verdict",
    "claims.publish_verdict",
    "claims.reopen_claim",
    "claims.view_verdict",
]
ADMIN = [
    "auth.view_user", "auth.add_user", "auth.change_user",
    "auth.view_group", "auth.change_group",
    "claims.view_ratingscale", "claims.add_ratingscale", "claims.change_ratingscale",
    "claims.view_ratinglabel", "claims.add_ratinglabel", "claims.change_ratinglabel",
    "claims.delete_ratinglabel",
    "claims.view_organisation", "claims.change_organisation",
    "annotations.view_annotationlabel", "annotations.add_annotationlabel",
    "annotations.change_annotationlabel",
    "claims.view_article", "claims.view_claim", "claims.view_claimhistory",
]
ROLES = {"reviewer": REVIEWER, "editor": EDITOR, "admin": ADMIN}

LABELS = [
    ("figure", "Figure", "#1565c0", "A number, count or statistic that needs checking."),
    ("speaker", "Speaker", "#6a1b9a", "Who says it, and whether the attribution is right."),
    ("hedge", "Hedge", "#ef6c00", "Hedging words: at least, nearly, about, reportedly."),
    ("loaded-language", "Loaded language", "#c62828", "Wording that carries a judgement."),
    ("missing-context", "Missing context", "#2e7d32", "What a reader needs to know that is left out."),
    ("date", "Date", "#00838f", "When it happened, and whether the date is right."),
]


def create_roles_and_labels(apps, schema_editor):
    # Permissions are normally made after migrate; make them now so the groups can hold them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, perms in ROLES.items():
        group, _ = Group.objects.get_or_create(name=role)
        for dotted in perms:
            app_label, codename = dotted.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )

    AnnotationLabel = apps.get_model("annotations", "AnnotationLabel")
    for position, (slug, name, colour, description) in enumerate(LABELS):
        AnnotationLabel.objects.get_or_create(
            slug=slug,
            defaults={"name": name, "colour": colour, "description": description,
                      "position": position},
        )


def remove_roles_and_labels(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()
    apps.get_model("annotations", "AnnotationLabel").objects.filter(
        slug__in=[slug for slug, *_ in LABELS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("annotations", "0001_initial"),
        ("claims", "0002_default_rating_scale"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(create_roles_and_labels, remove_roles_and_labels)]
