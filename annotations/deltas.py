"""What changed between two saved states of a layer, and the state again from those changes.

A state is the exchange format's `spans`, `events`, `relations` and document `labels`
(see `LayerContent.exchange`; revisions written before relations or labels joined it have
none). Items are keyed by their database id; a delta lists the items added or changed
(`put`) and the ids gone (`drop`) for each kind, and the labels whole when they changed.
Applying it puts the items back in the exchange format's order (spans and events in text
order, relations by id), so
`delta_apply(before, delta_between(before, after)) == after` whenever `delta_between`
returns a delta at all (it checks, and returns None otherwise).
"""

import hashlib
import json
from typing import Any

import orjson

KINDS = ("spans", "events", "relations")
# Where orjson's bytes could differ from json.dumps(sort_keys=True, separators=(",", ":")):
# anything but printable ASCII (json.dumps escapes it), floats with an exponent, and floats
# under 1e-4, which json.dumps writes with one (1e-05) and orjson without (0.00001).
NOT_PRINTABLE = b"\x7f"  # orjson escapes the control characters below 0x20, as json.dumps
SMALL_FLOAT = b"0.0000"
EXPONENT_SIGNS = (b"e-", b"e+")  # after a digit: a float with an exponent
DIGITS = b"0123456789"


def state_canonical(state: dict[str, Any]) -> bytes:
    """Return a state's items (not its version) as JSON, keys sorted.

    Relations and labels count only when there are some, so a layer without them has the
    digest it had before the exchange format carried them, and its next revision can be a
    delta.
    """
    items = [state.get("spans"), state.get("events")]
    if state.get("relations"):
        items.append(state["relations"])
    if state.get("labels"):
        items.append({"labels": state["labels"]})
    # orjson, ten times faster, where it writes the same bytes: digests already stored in
    # revisions stay comparable.
    try:
        written = orjson.dumps(items, option=orjson.OPT_SORT_KEYS)
    except orjson.JSONEncodeError:  # integers past 64 bits
        written = None
    if written is None or not _as_json_dumps(written):
        written = json.dumps(items, sort_keys=True, separators=(",", ":")).encode()
    return written


def _as_json_dumps(written: bytes) -> bool:
    """Whether orjson's `written` is byte for byte what json.dumps would have written."""
    return (
        written.isascii()
        and NOT_PRINTABLE not in written
        and SMALL_FLOAT not in written
        and not _has_exponent(written)
    )


def _has_exponent(written: bytes) -> bool:
    """Whether `written` holds a float with an exponent (a digit, then e- or e+).

    Found by `bytes.find`, which skips ahead: a regular expression stepping through a
    1,000-span layer's 150 kB took a millisecond, twice in every save.
    """
    for sign in EXPONENT_SIGNS:
        at = written.find(sign, 1)
        while at != -1:
            if written[at - 1] in DIGITS:
                return True
            at = written.find(sign, at + 1)
    return False


def state_digest(state: dict[str, Any], canonical: bytes | None = None) -> str:
    """Return the SHA-256 of `state_canonical(state)` (pass it if you have it)."""
    return hashlib.sha256(canonical or state_canonical(state)).hexdigest()


def delta_between(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any] | None:
    """Return the delta from `before` to `after`, or None if it cannot restore `after` exactly.

    None when items lack unique ids or are not in the order `delta_apply` gives them.
    """
    delta: dict[str, Any] = {}
    for kind in KINDS:
        old, new = _by_id(before.get(kind)), _by_id(after.get(kind))
        if old is None or new is None:
            return None
        put = [item for key, item in new.items() if key not in old or old[key] != item]
        drop = [key for key in old if key not in new]
        if put or drop:
            delta[kind] = {"put": put, "drop": drop}
    if (before.get("labels") or {}) != (after.get("labels") or {}):
        delta["labels"] = after.get("labels") or {}
    try:
        restored = delta_apply(before, delta)
    except (KeyError, TypeError):  # items without offsets to order them by
        return None
    expected = {kind: after.get(kind) or [] for kind in KINDS}
    return delta if restored == {**expected, "labels": after.get("labels") or {}} else None


def delta_apply(state: dict[str, Any], delta: dict[str, Any]) -> dict[str, Any]:
    """Return the items of `state` with `delta` applied, in the exchange format's order."""
    applied = {}
    for kind in KINDS:
        items = {item["id"]: item for item in state.get(kind) or []}
        change = delta.get(kind, {})
        for key in change.get("drop", []):
            items.pop(key, None)
        for item in change.get("put", []):
            items[item["id"]] = item
        applied[kind] = sorted(items.values(), key=_TEXT_ORDER[kind])
    applied["labels"] = delta.get("labels", state.get("labels") or {})
    return applied


_TEXT_ORDER = {
    "spans": lambda span: (span["start"], -span["end"], span["id"]),
    "events": lambda event: (event["trigger_start"], -event["trigger_end"], event["id"]),
    "relations": lambda relation: relation["id"],
}


def _by_id(items: Any) -> dict | None:
    """Return the items keyed by their integer id, or None if some have none or share one."""
    if not isinstance(items, list):
        return None
    keyed = {}
    for item in items:
        key = item.get("id") if isinstance(item, dict) else None
        if not isinstance(key, int) or isinstance(key, bool) or key in keyed:
            return None
        keyed[key] = item
    return keyed
