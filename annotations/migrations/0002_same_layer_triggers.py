"""Refuse arguments and relations that link items of different layers (SQLite, PostgreSQL).

Django cannot declare composite foreign keys, so triggers keep every argument's span or
nested event, and both spans of a relation, in the layer of their event or relation.
Their SQL lives in `annotations.triggers`, which migration 0004 uses too.
"""

from django.db import migrations

from annotations.triggers import (
    POSTGRES,
    POSTGRES_REVERSE,
    SQLITE,
    SQLITE_REVERSE,
    statements_run,
)


class Migration(migrations.Migration):
    dependencies = [("annotations", "0001_initial")]

    operations = [
        migrations.RunPython(
            statements_run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            statements_run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}),
        )
    ]
