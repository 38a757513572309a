"""What emptying a layer costs: the ORM's `delete()` against one plain DELETE per table.

    .venv/bin/python -m bench.layer_delete [--spans 1000] [--repeat 20]

Fills a layer with `--spans` spans, an event on every tenth with an argument, and a
relation on every twentieth, then empties it `--repeat` times each way (refilling in
between) in a throwaway SQLite database:

- `orm`: `QuerySet.delete()` on arguments, relations, spans and events (Django's collector
  loads every span and event to look for what cascades to them);
- `plain`: what a save that changes every item does (`annotations.services.item_rows
  .items_clear`): plain `DELETE ... WHERE id IN (...)`, a few hundred ids each, per table,
  from the layer's content as read before (reading it is not timed: a save reads it anyway).

Prints the median milliseconds of each and the ratio orm / plain.
"""

import argparse
import statistics
import time

from bench.database import throwaway_database


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spans", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=20)
    arguments = parser.parse_args()
    with throwaway_database():
        timings = _measure(arguments.spans, arguments.repeat)
    orm, plain = (statistics.median(timings[name]) for name in ("orm", "plain"))
    print(f"emptying a layer of {arguments.spans} spans (median of {arguments.repeat} runs)")
    print(f"  orm delete():           {orm * 1000:8.1f} ms")
    print(f"  plain DELETE per table: {plain * 1000:8.1f} ms")
    print(f"  ratio orm / plain:      {orm / plain:8.1f}")


def _measure(span_count: int, repeat: int) -> dict[str, list[float]]:
    from django.db import transaction

    from annotations.content import ArgumentItem, EventItem, LayerContent, RelationItem, SpanItem
    from annotations.labels import LabelIndex
    from annotations.models import Annotation, Argument, Event, Relation, Span
    from annotations.services.content import layer_content_read, layer_content_write
    from annotations.services.item_diff import Unchanged
    from annotations.services.item_rows import items_clear
    from corpus.models import Corpus, Document
    from corpus.services.schemas import schema_get_or_create

    schema = schema_get_or_create(name_or_path="ace2005")
    corpus = Corpus.objects.create(slug="bench", name="bench", schema=schema)
    document = Document.objects.create(corpus=corpus, text="Annan " * span_count)
    layer = Annotation.objects.create(document=document, kind="prediction", model_name="bench")
    spans = [SpanItem(i, 6 * i, 6 * i + 5, "PER") for i in range(span_count)]
    events = [
        EventItem(i, "Life.Die", 6 * i, 6 * i + 5, arguments=[ArgumentItem("Victim", span=i + 1)])
        for i in range(0, span_count - 1, 10)
    ]
    relations = [RelationItem(i, "PHYS.Located", i, i + 1) for i in range(0, span_count - 1, 20)]
    content = LayerContent(spans=spans, events=events, relations=relations)
    labels = LabelIndex.of(schema)

    def orm(before) -> None:
        Argument.objects.filter(event__annotation=layer).delete()
        Relation.objects.filter(annotation=layer).delete()
        Span.objects.filter(annotation=layer).delete()
        Event.objects.filter(annotation=layer).delete()

    def plain(before) -> None:
        items_clear({layer.pk: before}, Unchanged())

    timings: dict[str, list[float]] = {"orm": [], "plain": []}
    for _ in range(repeat):
        for name, empty in (("orm", orm), ("plain", plain)):
            with transaction.atomic():
                layer_content_write(layer, content, labels=labels)
            before = layer_content_read(layer)
            with transaction.atomic():
                started = time.perf_counter()
                empty(before)
                timings[name].append(time.perf_counter() - started)
            assert not Span.objects.filter(annotation=layer).exists()
    return timings


if __name__ == "__main__":
    main()
