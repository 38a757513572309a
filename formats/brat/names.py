"""brat's names for types, roles and kinds, shared by the readers and writers of .ann and .conf.

brat stores type names matching `^[a-zA-Z0-9_-]*$` (FORMATS.md §2), while Goldset keys may also
hold `.` and `:` (ACE's `Conflict.Attack`). `brat_name` turns those into `_`, as brat's own
normalisation does; the import matches labels ignoring case and separators, so
`Conflict_Attack` is read back as `Conflict.Attack`.
"""

import re

TYPE_UNSAFE = re.compile(r"[^A-Za-z0-9_-]")
ROLE_NUMBER = re.compile(r"^(.*?\D)(\d+)$")
# How annotation.conf names every type of a kind, where a role or an attribute takes any.
KIND_MARKERS = {"entity": "<ENTITY>", "event": "<EVENT>", "relation": "<RELATION>"}
MARKER_KINDS = {marker: kind for kind, marker in KIND_MARKERS.items()}
ANY = "<ANY>"
# What an R line and a [relations] type call their two arguments, unless they say otherwise.
RELATION_ROLES = ("Arg1", "Arg2")
# Goldset attributes where the brat import keeps what has no item of its own, written back.
ROLES_ATTRIBUTE = "roles"  # an R line's argument names when not RELATION_ROLES
NORMALIZATIONS_ATTRIBUTE = "normalizations"  # N lines: [{"type", "rid", "eid", "text"}]


def brat_name(key: str) -> str:
    """Return `key` in the characters brat allows in a type name, the others made `_`."""
    return TYPE_UNSAFE.sub("_", key) or "_"


def split_role(role: str) -> tuple[str, int]:
    """Split `Theme2` into ("Theme", 2) and `Theme` into ("Theme", 1), as brat's split_role."""
    match = ROLE_NUMBER.match(role)
    if match is None:
        return role, 1
    return match.group(1), int(match.group(2))


def numbered_role(role: str, index: int) -> str:
    """Return the role of an event's `index`th filler as an E line writes it: `Theme`, `Theme2`."""
    return f"{role}{index if index > 1 else ''}"
