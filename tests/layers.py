"""What a layer holds, as comparable sets: spans and events with their covered text."""

from annotations.models import Annotation


def spans_of(layer: Annotation) -> set[tuple[int, int, str, str]]:
    text = layer.document.text
    return {
        (span.start, span.end, span.entity_type.key, text[span.start : span.end])
        for span in layer.spans.select_related("entity_type")
    }


def events_of(layer: Annotation) -> set[tuple]:
    text = layer.document.text
    found = set()
    for event in layer.events.select_related("event_type"):
        arguments = tuple(
            sorted(
                (
                    argument.role.key,
                    argument.index,
                    text[argument.span.start : argument.span.end]
                    if argument.span
                    else argument.target_event.event_type.key,
                )
                for argument in event.arguments.select_related("role", "span", "target_event")
            )
        )
        trigger = text[event.trigger_start : event.trigger_end]
        found.add((event.event_type.key, trigger, event.attributes.get("Confidence"), arguments))
    return found
