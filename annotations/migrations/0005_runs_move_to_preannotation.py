"""Runs and failures now belong to the preannotation app: state only, no table or row changes."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("annotations", "0004_accepted"),
        ("preannotation", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="annotation",
                    name="run",
                    field=models.ForeignKey(blank=True, help_text="The pre-annotation run that wrote this prediction layer.", null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="layers", to="preannotation.preannotationrun"),
                ),
                migrations.DeleteModel(name="PreannotationFailure"),
                migrations.DeleteModel(name="PreannotationRun"),
            ],
            database_operations=[],
        ),
    ]
