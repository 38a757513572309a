"""Write a brat `annotation.conf` for a corpus schema, the reverse of `formats.brat.conf`.

Type names go through `brat_name` (`formats.brat.names`), so brat accepts them and the import
reads them back as the same types.

- Groups become abstract (`!`) parents, so the brat importer gives the same groups back.
- Every role takes `<EVENT>` besides its entity types: Goldset lets any role be filled by an
  event. A role with no entity types takes any entity (`<ENTITY>`), as Goldset reads it.
- The schema has no cardinalities: every role is `*`.
- An attribute set on several kinds of item is one line (`Arg:<ENTITY>|<EVENT>`).
"""

import re
from collections.abc import Callable, Iterable
from typing import Any

from formats.brat.names import KIND_MARKERS, RELATION_ROLES, brat_name

VALUE_UNSAFE = re.compile(r"[\s,|]")  # what would break a `Value:A|B, ...` list


def annotation_conf(schema: dict[str, Any], *, warn: Callable[[str], None]) -> str:
    """Return the annotation.conf of schema data (`schema_data_dump`); `warn` hears what is lost."""
    lines = [f"# Written by Goldset from the schema {brat_name(schema['key'])}.", ""]
    lines += ["[entities]", *_unique(brat_name(item["key"]) for item in schema["entity_types"])]
    lines += ["", "[relations]", *_hierarchy(schema["relation_types"], _relation_arguments)]
    lines += ["", "[events]", *_hierarchy(schema["event_types"], _event_arguments)]
    lines += ["", "[attributes]", *_attributes(schema["attribute_types"], warn)]
    return "\n".join(lines) + "\n"


def _unique(names: Iterable[str]) -> list[str]:
    """Keep the first of names that became equal (`A.B` and `A_B`): brat refuses duplicates."""
    return list(dict.fromkeys(names))


def _hierarchy(items: list[dict[str, Any]], arguments: Callable[[dict], str]) -> list[str]:
    """Return type lines, each group's types indented under its `!GROUP` line."""
    names = {brat_name(item["key"]) for item in items}
    groups: dict[str, dict[str, str]] = {}
    for item in items:
        group = brat_name(item["group"]) if item.get("group") else ""
        if group in names:
            group = ""  # a group called like a type cannot also be its parent
        name = brat_name(item["key"])
        line = f"{name}\t{arguments(item)}".rstrip()
        groups.setdefault(group, {}).setdefault(name, line)
    lines = []
    for group, members in groups.items():
        if group:
            lines.append(f"!{group}")
        lines.extend(f"\t{line}" if group else line for line in members.values())
    return lines


def _types(keys: list[str]) -> str:
    return "|".join(brat_name(key) for key in keys) or KIND_MARKERS["entity"]


def _relation_arguments(item: dict[str, Any]) -> str:
    head, tail = RELATION_ROLES
    return f"{head}:{_types(item['arg1_types'])}, {tail}:{_types(item['arg2_types'])}"


def _event_arguments(item: dict[str, Any]) -> str:
    roles = _unique(
        f"{brat_name(role['key'])}*:{_types(role['entity_types'])}|{KIND_MARKERS['event']}"
        for role in item["roles"]
    )
    return ", ".join(roles)


def _attributes(items: list[dict[str, Any]], warn: Callable[[str], None]) -> list[str]:
    merged: dict[str, tuple[list[str], list[str]]] = {}
    for item in items:
        kinds, values = merged.setdefault(brat_name(item["key"]), ([], []))
        if KIND_MARKERS[item["applies_to"]] not in kinds:
            kinds.append(KIND_MARKERS[item["applies_to"]])
        values.extend(value for value in item["values"] if value not in values)
    lines = []
    for name, (kinds, values) in merged.items():
        line = f"{name}\tArg:{'|'.join(kinds)}"
        unwritable = [value for value in values if not value or VALUE_UNSAFE.search(value)]
        if unwritable:
            warn(
                f"attribute {name}: the value {unwritable[0]!r} cannot be listed in"
                " annotation.conf, so no values are listed (brat takes it for a yes/no attribute)"
            )
        elif values:
            line += f", Value:{'|'.join(values)}"
        lines.append(line)
    return lines
