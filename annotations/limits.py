"""How much one layer may hold: items (LAYER_MAX_ITEMS) and note length (NOTE_MAX_CHARS).

Every write of a layer checks these before a row is written: the editor's save counts the
payload before reading its items, the content writer counts each layer it is given.
"""

from typing import Any

from django.conf import settings

from annotations.content import LayerContent
from config.errors import InvalidInput


def layer_items_check(*, items: int, where: str = "This layer") -> None:
    """Raise InvalidInput naming LAYER_MAX_ITEMS if `items` is over it."""
    limit = settings.LAYER_MAX_ITEMS
    if items > limit:
        raise InvalidInput(
            f"{where} has {items:,} items; a layer may hold at most {limit:,} (LAYER_MAX_ITEMS).",
            extra={"limit": limit, "items": items, "setting": "LAYER_MAX_ITEMS"},
        )


def note_problem(note: str) -> str | None:
    """Return why `note` is too long (naming NOTE_MAX_CHARS), or None."""
    limit = settings.NOTE_MAX_CHARS
    if len(note) <= limit:
        return None
    return f"note has {len(note):,} characters; a note may hold at most {limit:,} (NOTE_MAX_CHARS)."


def payload_item_count(spans: Any, events: Any, relations: Any = None) -> int:
    """Count the items of an editor payload as sent, without looking into them."""
    count = len(spans) if isinstance(spans, list) else 0
    count += len(relations) if isinstance(relations, list) else 0
    if isinstance(events, list):
        count += len(events)
        for event in events:
            arguments = event.get("arguments") if isinstance(event, dict) else None
            count += len(arguments) if isinstance(arguments, list) else 0
    return count


def layer_content_check(content: LayerContent, *, where: str = "This layer") -> None:
    """Raise InvalidInput if `content` has too many items or a note that is too long."""
    layer_items_check(items=content.counts().total(), where=where)
    kinds = (("spans", content.spans), ("events", content.events))
    limit = settings.NOTE_MAX_CHARS  # read once: a long layer has thousands of items
    for kind, items in (*kinds, ("relations", content.relations)):
        for position, item in enumerate(items):
            if len(item.note) <= limit:
                continue
            problem = note_problem(item.note)
            if problem is not None:
                field = f"{kind}[{position}].note"
                raise InvalidInput(
                    f"{where}: the {problem}",
                    extra={
                        "limit": settings.NOTE_MAX_CHARS,
                        "characters": len(item.note),
                        "setting": "NOTE_MAX_CHARS",
                        "errors": [{"field": field, "message": f"The {problem}"}],
                    },
                )
