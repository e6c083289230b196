"""The default rating scale, as data: five ordinal labels and two that are not ordinal."""

from django.db import migrations

# (slug, name, rating_value, AVeriTeC label, colour, description)
DEFAULT_LABELS = [
    ("true", "True", 5, "Supported", "#1a7f37",
     "The statement is accurate and nothing significant is missing."),
    ("mostly-true", "Mostly true", 4, "Supported", "#4c9a2a",
     "The statement is accurate but needs clarification or additional information."),
    ("half-true", "Half true", 3, "Conflicting Evidence/Cherrypicking", "#b08800",
     "The statement is partially accurate but leaves out important details or takes things out of context."),
    ("mostly-false", "Mostly false", 2, "Refuted", "#d4610b",
     "The statement contains an element of truth but ignores facts that would give a different impression."),
    ("false", "False", 1, "Refuted", "#c62828",
     "The statement is not accurate."),
    ("misleading", "Misleading", None, "Conflicting Evidence/Cherrypicking", "#8e24aa",
     "Accurate in its parts but arranged to give a false impression."),
    ("unverifiable", "Unverifiable", None, "Not Enough Evidence", "#546e7a",
     "The available evidence can neither confirm nor refute it."),
]


def create_default_scale(apps, schema_editor):
    RatingScale = apps.get_model("claims", "RatingScale")
    RatingLabel = apps.get_model("claims", "RatingLabel")
    scale, _ = RatingScale.objects.get_or_create(
        slug="default",
        defaults={"name": "Default scale", "is_default": True, "best_rating": 5, "worst_rating": 1},
    )
    for position, (slug, name, value, averitec, colour, description) in enumerate(DEFAULT_LABELS):
        RatingLabel.objects.update_or_create(
            scale=scale,
            slug=slug,
            defaults={
                "name": name,
                "position": position,
                "rating_value": value,
                "alternate_name": name,
                "averitec": averitec,
                "colour": colour,
                "description": description,
            },
        )


def remove_default_scale(apps, schema_editor):
    apps.get_model("claims", "RatingScale").objects.filter(slug="default").delete()


class Migration(migrations.Migration):
    dependencies = [("claims", "0001_initial")]
    operations = [migrations.RunPython(create_default_scale, remove_default_scale)]
