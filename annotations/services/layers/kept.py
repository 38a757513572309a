"""Items a save leaves as the layer holds them, passed to the checks as they are.

An annotator changes a few items of a long layer at a time; checking the thousand others
again costs most of a save. An item is held as it is when a save sends it back exactly as
the layer holds it (PUT) or does not name it (PATCH), and what it refers to is held as it is
too: an event whose argument's span changed is checked again (its role may not take the
span's new label), as is a relation whose head or tail changed. Held items were checked when
they were saved, so a schema edit since (a role narrowed to fewer entity types) refuses only
the items a save changes; a renamed or deleted label reaches the items themselves.
"""

from typing import Any

from annotations.content import LayerContent
from annotations.services.layers.fields import is_integer, is_item_id

KINDS = ("spans", "events", "relations")


def held_sent_back(
    before: LayerContent, held: dict[str, Any], spans: Any, events: Any, relations: Any
) -> tuple[Any, Any, Any]:
    """Return the payload's lists with each item sent back exactly as held replaced by the
    held item (what it refers to held too); anything that is not a list is left as sent.

    `held` is `before` in the exchange format, as the client was sent it.
    """
    sent = {"spans": spans, "events": events, "relations": relations}
    if not all(isinstance(items, list) for items in sent.values() if items is not None):
        return spans, events, relations
    same: dict[str, set[int]] = {}
    for kind, items in sent.items():
        by_id = {item["id"]: item for item in held[kind]}
        same[kind] = {
            item["id"]
            for item in items or ()
            if isinstance(item, dict)
            and is_integer(item.get("id"))
            and by_id.get(item["id"]) == item
        }
    present = {
        kind: {
            item["id"]
            for item in items or ()
            if isinstance(item, dict) and is_item_id(item.get("id"))
        }
        for kind, items in sent.items()
    }
    kept = _kept(before, same, present)
    return tuple(_with_held(before, kind, sent[kind], kept[kind]) for kind in KINDS)


def held_untouched(
    before: LayerContent, named: dict[str, set[int]], dropped: dict[str, set[int]]
) -> dict[str, list]:
    """Return, by kind, the layer's items a patch does not name or drop: held items as they
    are, or as the exchange format's objects where what they refer to changed."""
    same = {
        kind: {item.id for item in getattr(before, kind)} - named[kind] - dropped[kind]
        for kind in KINDS
    }
    present = {kind: {item.id for item in getattr(before, kind)} - dropped[kind] for kind in KINDS}
    kept = _kept(before, same, present)
    untouched = {}
    for kind in KINDS:
        items = [item for item in getattr(before, kind) if item.id in same[kind]]
        again = [item for item in items if item.id not in kept[kind]]
        rechecked = iter(LayerContent(**{kind: again}).exchange(version=0)[kind])
        untouched[kind] = [item if item.id in kept[kind] else next(rechecked) for item in items]
    return untouched


def _kept(
    before: LayerContent, same: dict[str, set[int]], present: dict[str, set[Any]]
) -> dict[str, set[int]]:
    """Narrow `same` (items unchanged) to those whose references are held as they are too.

    Arguments fill roles with spans (whose label the role must take) or with events (which
    need only be there); relations join two spans whose labels their type must take.
    """
    spans = same["spans"]
    events = {
        event.id
        for event in before.events
        if event.id in same["events"]
        and all(
            argument.span in spans
            if argument.span is not None
            else argument.target_event in present["events"]
            for argument in event.arguments
        )
    }
    relations = {
        relation.id
        for relation in before.relations
        if relation.id in same["relations"] and relation.head in spans and relation.tail in spans
    }
    return {"spans": spans, "events": events, "relations": relations}


def _with_held(before: LayerContent, kind: str, items: Any, kept: set[int]) -> Any:
    """Return `items` with those whose ids are `kept` replaced by the held items (the first
    of each id: a second is left for the checks to refuse)."""
    if items is None or not kept:
        return items
    held = {item.id: item for item in getattr(before, kind) if item.id in kept}
    replaced = []
    for item in items:
        if isinstance(item, dict) and is_integer(item.get("id")) and item["id"] in held:
            item = held.pop(item["id"])
        replaced.append(item)
    return replaced
