"""What a layer's history costs to store: full snapshots against keyframes and deltas.

    .venv/bin/python -m bench.revisions [--spans 1000] [--saves 100]

Fills an annotator's layer with `--spans` spans, then saves it `--saves` times through
`layer_save`, each save changing one thing (relabel, move, add or remove a span, in turn),
in a throwaway SQLite database. It does so twice, on two layers of the same text:

- `full`: every revision a whole snapshot, as before (REVISION_KEYFRAME_EVERY = 1);
- `delta`: the scheme `annotations.services.revisions` writes (a keyframe, then deltas).

Prints, per save, the database bytes the revisions table grew by (SQLite's dbstat pages)
and the bytes of what each revision stores as JSON, the same figures for the full
snapshots compressed with zlib (not stored; computed from the same states), the ratio
full / delta, and the median milliseconds to restore a version. It checks that every
version restores exactly to what was saved.
"""

import argparse
import json
import statistics
import time
import zlib

from bench.database import throwaway_database
from bench.report import absolute_figure, figures_write, ratio_figure


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spans", type=int, default=1000)
    parser.add_argument("--saves", type=int, default=100)
    parser.add_argument("--json", help="write the figures to this file (for `make bench`)")
    arguments = parser.parse_args()
    with throwaway_database():
        figures = _measure(arguments.spans, arguments.saves)
    full, delta, saves = figures["full"], figures["delta"], arguments.saves
    print(f"a layer of {arguments.spans} spans saved {saves} times, one change per save")
    print("  bytes per save              database   stored JSON")
    rows = [
        ("full snapshots", full["db"], full["json"]),
        ("full snapshots, zlib", None, figures["zlib"]),
        ("keyframes and deltas", delta["db"], delta["json"]),
    ]
    for name, database, stored in rows:
        shown = "-" if database is None else f"{database / saves:,.0f}"
        print(f"  {name + ':':<24}  {shown:>10}  {stored / saves:11,.0f}")
    ratio_db, ratio_json = full["db"] / delta["db"], full["json"] / delta["json"]
    print(f"  {'ratio full / delta:':<24}  {ratio_db:10.1f}  {ratio_json:11.1f}")
    print(f"  {'ratio full / zlib:':<24}  {'-':>10}  {full['json'] / figures['zlib']:11.1f}")
    print(f"  keyframes among {saves + 2} revisions: {delta['keyframes']}")
    print(f"  restore a version (median): {delta['restore_ms']:.1f} ms")
    figures_write(
        arguments.json,
        [
            ratio_figure(
                "history size: database bytes per save",
                delta["db"] / saves,
                full["db"] / saves,
                unit="bytes",
                baseline="full snapshots",
            ),
            absolute_figure("history: restore a version (median)", delta["restore_ms"], unit="ms"),
        ],
        spans=arguments.spans,
        saves=saves,
    )


def _measure(span_count: int, saves: int) -> dict:
    from django.contrib.auth import get_user_model
    from django.db import connection

    from annotations.history import revision_snapshot
    from annotations.services import revisions
    from annotations.services.layers import annotator_layer_open, layer_save, layer_snapshot
    from corpus.models import Corpus, Document, Membership
    from corpus.services.schemas import schema_get_or_create

    schema = schema_get_or_create(name_or_path="ace2005")
    corpus = Corpus.objects.create(slug="bench", name="bench", schema=schema)
    document = Document.objects.create(corpus=corpus, text="Annan " * (span_count + saves))

    def table_bytes() -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT SUM(pgsize) FROM dbstat WHERE name = 'annotations_revision'")
            return cursor.fetchone()[0] or 0

    figures: dict = {}
    every = revisions.REVISION_KEYFRAME_EVERY
    for scheme, keyframe_every in (("full", 1), ("delta", every)):
        revisions.REVISION_KEYFRAME_EVERY = keyframe_every
        user = get_user_model().objects.create(username=f"bench-{scheme}")
        Membership.objects.create(corpus=corpus, user=user, role=Membership.Role.ANNOTATOR)
        layer, _ = annotator_layer_open(document=document, user=user)
        spans = [
            {"id": f"n{i}", "start": 6 * i, "end": 6 * i + 5, "label": "PER"}
            for i in range(span_count)
        ]
        layer = layer_save(layer=layer, user=user, version=1, spans=spans, events=[])
        saved = {layer.version: layer_snapshot(layer)}
        before = table_bytes()
        for step in range(saves):
            content = layer_snapshot(layer)
            _change(content["spans"], step, span_count)
            layer = layer_save(
                layer=layer,
                user=user,
                version=layer.version,
                spans=content["spans"],
                events=content["events"],
            )
            saved[layer.version] = layer_snapshot(layer)
        grown = table_bytes() - before
        rows = list(layer.revisions.filter(version__gt=2))
        stored = sum(len(json.dumps(r.snapshot if r.delta is None else r.delta)) for r in rows)
        timings = []
        for revision in layer.revisions.all():
            started = time.perf_counter()
            restored = revision_snapshot(revision)
            timings.append(time.perf_counter() - started)
            if revision.version in saved:
                assert restored == saved[revision.version], f"{scheme} v{revision.version}"
        figures[scheme] = {
            "db": grown,
            "json": stored,
            "keyframes": sum(r.delta is None for r in layer.revisions.all()),
            "restore_ms": statistics.median(timings) * 1000,
        }
        if scheme == "full":
            figures["zlib"] = sum(
                len(zlib.compress(json.dumps(saved[version]).encode()))
                for version in saved
                if version > 2
            )
    revisions.REVISION_KEYFRAME_EVERY = every
    return figures


def _change(spans: list[dict], step: int, span_count: int) -> None:
    """Make one change to the spans: relabel, move, add or remove one, in turn."""
    target = spans[(step * 7) % len(spans)]
    match step % 4:
        case 0:
            target["label"] = "GPE" if target["label"] == "PER" else "PER"
        case 1:
            target["end"] -= 1
        case 2:
            start = 6 * (span_count + step)
            spans.append({"id": f"new{step}", "start": start, "end": start + 5, "label": "PER"})
        case 3:
            spans.remove(target)


if __name__ == "__main__":
    main()
