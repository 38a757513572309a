"""A save writes only what changed: unchanged items stay in place, with their ids."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotations.labels import LabelIndex
from annotations.services.content import layer_content_read, layer_content_write
from tests.factories import AnnotationFactory, event_create, span_create

# Deleting a span an unchanged argument points at, and writing it back, relies on foreign
# keys checked at commit: both databases.
pytestmark = pytest.mark.postgres


def item_writes(context: CaptureQueriesContext) -> list[str]:
    """The INSERTs (COPYs on PostgreSQL) and DELETEs of layer items among the captured
    queries (an executemany is logged as "N times: INSERT ...")."""
    statements = [query["sql"].split(" times: ")[-1] for query in context.captured_queries]
    return [
        statement.split("(")[0].strip()
        for statement in statements
        if statement.startswith(("INSERT", "COPY", "DELETE"))
        and any(table in statement for table in ("span", "event", "argument", "relation"))
    ]


def test_a_save_that_changes_nothing_writes_no_item(document):
    layer = AnnotationFactory(document=document)
    annan = span_create(layer, 0, 10, "PER")
    event_create(layer, 11, 18, "Life.Die", Victim=annan)
    before = layer_content_read(layer)

    with CaptureQueriesContext(connection) as context:
        layer_content_write(
            layer, layer_content_read(layer), labels=LabelIndex.of(document.corpus.schema),
            before=before,
        )  # fmt: skip

    assert item_writes(context) == []
    assert layer_content_read(layer) == before


def test_relabelling_one_span_rewrites_it_alone_and_its_argument_keeps_pointing_at_it(document):
    layer = AnnotationFactory(document=document)
    annan = span_create(layer, 0, 10, "PER")
    damascus = span_create(layer, 22, 30, "GPE")
    event_create(layer, 11, 18, "Life.Die", Victim=annan, Place=damascus)
    before = layer_content_read(layer)
    content = layer_content_read(layer)
    content.spans[1].label = "PER"  # Damascus (22-30), the Place filler

    with CaptureQueriesContext(connection) as context:
        written = layer_content_write(
            layer, content, labels=LabelIndex.of(document.corpus.schema), before=before
        )

    writes = item_writes(context)
    assert len(writes) == 2  # the span deleted and written again; nothing else
    assert [span.id for span in written.spans] == [annan.pk, damascus.pk]
    assert [(span.label, span.id) for span in layer_content_read(layer).spans] == [
        ("PER", annan.pk),
        ("PER", damascus.pk),
    ]
    arguments = layer_content_read(layer).events[0].arguments
    assert {(argument.role, argument.span) for argument in arguments} == {
        ("Victim", annan.pk),
        ("Place", damascus.pk),
    }
    assert [argument.id for argument in arguments] == [
        argument.id for argument in before.events[0].arguments
    ]
