"""Save what changed in a layer: items put (added or replaced, by id) and items dropped.

The editor saves a few changed items of a long layer at a time; sending, checking and
answering the whole layer (PUT) costs what the layer holds, a patch what it changes. A patch
is the delta of `annotations.deltas` as a client writes it:

    {"version": 7,
     "spans": {"put": [{"id": 12, ...}, {"id": "n3", ...}], "drop": [15]},
     "events": {"put": [...], "drop": [...]}, "relations": {...}, "labels": {...}}

Each kind may be left out; an item put with the id of an item of the layer replaces it, any
other id adds one (new items take string ids, which arguments and relations may name). The
items it leaves alone are kept as the layer holds them; what refers to an item it changes or
drops is checked again, so dropping a span that an event's argument fills is refused unless
the patch changes that event too. Problems are listed with their place in the patch
(`spans.put[1].label`) or, for an item of the layer checked again, its id
(`events[id=40].arguments[0].span`).
"""

import json
import re
from typing import Any

from django.contrib.auth.models import AbstractBaseUser

from annotations.content import ItemId
from annotations.limits import layer_items_check, payload_item_count
from annotations.models import Annotation
from annotations.services.layers.fields import Problems, is_integer, is_item_id
from annotations.services.layers.kept import KINDS, held_untouched
from annotations.services.layers.layer_save import (
    layer_content_commit,
    layer_held,
    layer_require_editor,
    layer_rules,
)
from annotations.services.layers.payload import layer_content_parse
from config.errors import InvalidInput

SINGULAR = {"spans": "span", "events": "event", "relations": "relation"}
PLACE = re.compile(r"\b(spans|events|relations)\[(\d+)\]")


def layer_patch(
    *,
    layer: Annotation,
    user: AbstractBaseUser,
    version: Any,
    spans: Any = None,
    events: Any = None,
    relations: Any = None,
    labels: Any = None,
) -> Annotation:
    """Apply a patch to `layer` if it is still at `version`; see the module.

    As `layer_save`: nothing is written when the layer was saved since (Conflict) or when
    anything is invalid (every problem listed); a saved layer is one version further, with a
    revision. `labels` None keeps the document labels; an object replaces them. The layer
    comes back with `written_ids`: the database id each new item's key became.
    """
    layer_require_editor(layer=layer, user=user)
    problems = Problems()
    patch = {
        kind: _kind_parse(kind, raw, problems)
        for kind, raw in (("spans", spans), ("events", events), ("relations", relations))
    }
    if problems:
        raise problems.refusal()
    puts = [patch[kind][0] for kind in KINDS]
    layer_items_check(items=payload_item_count(*puts))
    rules = layer_rules(layer)
    before, held = layer_held(layer, version=version)
    _drops_check(before, patch, problems)
    if problems:
        raise problems.refusal()
    named = {
        kind: {item["id"] for item in patch[kind][0] if is_integer(item.get("id"))}
        for kind in KINDS
    }
    untouched = held_untouched(before, named, {kind: set(patch[kind][1]) for kind in KINDS})
    merged = {kind: [*untouched[kind], *patch[kind][0]] for kind in KINDS}
    try:
        content = layer_content_parse(
            layer=layer,
            version=version,
            spans=merged["spans"],
            events=merged["events"],
            rules=rules,
            held=before,
            relations=merged["relations"],
            labels=labels,
        )
    except InvalidInput as error:
        error.extra["errors"] = [
            _placed(problem, untouched) for problem in error.extra.get("errors", [])
        ]
        raise
    return layer_content_commit(
        layer=layer,
        user=user,
        version=version,
        content=content,
        rules=rules,
        before=before,
        held=held,
    )


def _kind_parse(kind: str, raw: Any, problems: Problems) -> tuple[list, list[int]]:
    """Return the items put and the ids dropped of one kind, noting what is malformed."""
    if raw is None:
        return [], []
    if not isinstance(raw, dict) or not set(raw) <= {"put", "drop"}:
        problems.add(kind, f'{kind} must be an object with "put" and "drop" lists.')
        return [], []
    put, drop = raw.get("put", []), raw.get("drop", [])
    for name, value in (("put", put), ("drop", drop)):
        if not isinstance(value, list):
            problems.add(f"{kind}.{name}", f"{name} must be a list.")
    put = put if isinstance(put, list) else []
    drop = drop if isinstance(drop, list) else []
    for i, item in enumerate(put):
        if not isinstance(item, dict):
            problems.add(f"{kind}.put[{i}]", "Each item must be an object.")
        elif not is_item_id(item.get("id")):
            problems.add(f"{kind}.put[{i}].id", "id must be an integer or a non-empty string.")
    named = {
        item.get("id") for item in put if isinstance(item, dict) and is_item_id(item.get("id"))
    }
    for i, item_id in enumerate(drop):
        if not is_integer(item_id):
            problems.add(f"{kind}.drop[{i}]", f"Drop {kind} by their integer ids.")
        elif item_id in named:
            problems.add(f"{kind}.drop[{i}]", f"{SINGULAR[kind]} {item_id} is put as well.")
    return put, [item_id for item_id in drop if is_integer(item_id)]


def _drops_check(before: Any, patch: dict, problems: Problems) -> None:
    """Note each id dropped that is not an item of the layer."""
    for kind in KINDS:
        held = {item.id for item in getattr(before, kind)}
        for i, item_id in enumerate(patch[kind][1]):
            if item_id not in held:
                problems.add(f"{kind}.drop[{i}]", f"No {SINGULAR[kind]} {item_id} in this layer.")


def _placed(problem: dict, untouched: dict[str, list]) -> dict:
    """Return `problem` with the items it names by their place in the patch, not in the whole
    layer checked: `spans.put[1]`, or `events[id=40]` for an item of the layer."""

    def place(match: re.Match) -> str:
        kind, position = match[1], int(match[2])
        held = untouched[kind]
        if position >= len(held):
            return f"{kind}.put[{position - len(held)}]"
        item = held[position]
        item_id: ItemId = item["id"] if isinstance(item, dict) else item.id
        return f"{kind}[id={json.dumps(item_id)}]"

    return {
        "field": PLACE.sub(place, problem["field"], count=1),
        "message": PLACE.sub(place, problem["message"]),
    }
