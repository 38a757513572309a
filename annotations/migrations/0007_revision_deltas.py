"""Revisions as keyframes and deltas: existing snapshots stay, as keyframes, with their counts.

Every existing revision is a keyframe (chain 0, its snapshot as it was); its digest (what
decides whether the next save may write a delta from it) and span and event counts are
filled in here, in batches.
"""

import hashlib
import json

from django.conf import settings
from django.db import migrations, models

BATCH = 500


def _digest(snapshot) -> str:
    """SHA-256 of the spans and events, keys sorted (as `annotations.deltas.state_digest`)."""
    state = snapshot if isinstance(snapshot, dict) else {}
    canonical = json.dumps(
        [state.get("spans"), state.get("events")], sort_keys=True, separators=(",", ":")
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def _count(snapshot, kind: str) -> int:
    items = snapshot.get(kind) if isinstance(snapshot, dict) else None
    return len(items) if isinstance(items, list) else 0


def keyframes_describe(apps, schema_editor):
    Revision = apps.get_model("annotations", "Revision")
    batch = []
    for revision in Revision.objects.only("snapshot").order_by("pk").iterator(chunk_size=BATCH):
        revision.digest = _digest(revision.snapshot)
        revision.span_count = _count(revision.snapshot, "spans")
        revision.event_count = _count(revision.snapshot, "events")
        batch.append(revision)
        if len(batch) >= BATCH:
            Revision.objects.bulk_update(batch, ["digest", "span_count", "event_count"])
            batch = []
    Revision.objects.bulk_update(batch, ["digest", "span_count", "event_count"])


class Migration(migrations.Migration):
    dependencies = [
        ("annotations", "0006_reservations"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="revision",
            name="chain",
            field=models.PositiveIntegerField(default=0, help_text="Deltas since the keyframe."),
        ),
        migrations.AddField(
            model_name="revision",
            name="chain_bytes",
            field=models.PositiveIntegerField(
                default=0, help_text="Bytes of the deltas since the keyframe, this one included."
            ),
        ),
        migrations.AddField(
            model_name="revision",
            name="delta",
            field=models.JSONField(
                blank=True, help_text="What changed since the previous version.", null=True
            ),
        ),
        migrations.AddField(
            model_name="revision",
            name="digest",
            field=models.CharField(
                blank=True, help_text="SHA-256 of the content; empty if unknown.", max_length=64
            ),
        ),
        migrations.AddField(
            model_name="revision",
            name="event_count",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="revision",
            name="span_count",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AlterField(
            model_name="revision",
            name="snapshot",
            field=models.JSONField(
                blank=True, help_text="The whole content (keyframe).", null=True
            ),
        ),
        migrations.RunPython(keyframes_describe, migrations.RunPython.noop, elidable=True),
        migrations.AddConstraint(
            model_name="revision",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("chain", 0), ("delta__isnull", True), ("snapshot__isnull", False)),
                    models.Q(
                        ("chain__gt", 0), ("delta__isnull", False), ("snapshot__isnull", True)
                    ),
                    _connector="OR",
                ),
                name="revision_keyframe_or_delta",
            ),
        ),
        migrations.AddConstraint(
            model_name="revision",
            constraint=models.CheckConstraint(
                condition=models.Q(("chain__lt", models.F("version"))),
                name="revision_chain_after_keyframe",
            ),
        ),
    ]
