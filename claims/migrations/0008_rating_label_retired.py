"""Rating labels can be retired: kept on the ratings and verdicts that have one, offered for
no new one. A label in use never changes (``RatingLabel.save`` refuses); it is retired and a
new label added, so that no published verdict or ClaimReview changes after the fact.
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('claims', '0007_corrections_under_four_eyes'),
    ]

    operations = [
        migrations.AddField(
            model_name='ratinglabel',
            name='retired_at',
            field=models.DateTimeField(blank=True, help_text='A retired label stays on the ratings and verdicts that have it and is offered for no new one.', null=True),
        ),
    ]
