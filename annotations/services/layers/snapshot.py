"""A layer's content in the exchange format: what the editor GETs, PUTs back and revisions keep."""

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from annotations.models import Annotation, Argument, Event, Span


def layer_snapshot(layer: Annotation) -> dict[str, Any]:
    """Return the content of `layer` as saved now, with database ids, in three queries."""
    return content_snapshot(
        version=layer.version,
        spans=layer.spans.select_related("entity_type"),
        events=layer.events.select_related("event_type"),
        arguments=Argument.objects.filter(event__annotation=layer).select_related("role"),
    )


def content_snapshot(
    *,
    version: int,
    spans: Iterable[Span],
    events: Iterable[Event],
    arguments: Iterable[Argument],
) -> dict[str, Any]:
    """Return saved items (read back or just written) in the exchange format, in text order."""
    by_event: dict[int, list[Argument]] = defaultdict(list)
    for argument in arguments:
        by_event[argument.event_id].append(argument)
    return {
        "version": version,
        "spans": [
            _span_item(span)
            for span in sorted(spans, key=lambda span: (span.start, -span.end, span.pk))
        ],
        "events": [
            _event_item(event, by_event[event.pk])
            for event in sorted(
                events, key=lambda event: (event.trigger_start, -event.trigger_end, event.pk)
            )
        ],
    }


def _span_item(span: Span) -> dict[str, Any]:
    return {
        "id": span.pk,
        "start": span.start,
        "end": span.end,
        "label": span.entity_type.key,
        "source": span.source,
        "score": span.score,
        "accepted": span.accepted,
        "attributes": span.attributes,
        "note": span.note,
    }


def _event_item(event: Event, arguments: list[Argument]) -> dict[str, Any]:
    arguments = sorted(arguments, key=lambda item: (item.role.order, item.role.key, item.index))
    return {
        "id": event.pk,
        "type": event.event_type.key,
        "trigger_start": event.trigger_start,
        "trigger_end": event.trigger_end,
        "source": event.source,
        "score": event.score,
        "accepted": event.accepted,
        "attributes": event.attributes,
        "note": event.note,
        "arguments": [
            {
                "role": argument.role.key,
                "span": argument.span_id,
                "target_event": argument.target_event_id,
                "index": argument.index,
                "source": argument.source,
                "score": argument.score,
            }
            for argument in arguments
        ],
    }
