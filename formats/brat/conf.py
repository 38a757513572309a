"""Turn a brat annotation.conf into the schema data `schema_create` accepts.

The grammar follows brat's `server/src/projectconfig.py`: four sections (`[spans]` is
`[entities]`), one type per line with `ROLE:TYPE|TYPE` arguments, a hierarchy by
indentation, `!` for types that only group others, and `<NAME>=value` macros that apply
within their own section. What brat allows and a Goldset schema cannot hold (events as
role fillers, cardinalities, relation properties, overlap rules) is left out.
`formats.brat.conf_writer` writes a schema back as an annotation.conf; the names and markers
both use are in `formats.brat.names`.
"""

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from config.errors import InvalidInput
from formats.brat.names import ANY, KIND_MARKERS, MARKER_KINDS

SECTIONS = {
    "entities": "entities",
    "spans": "entities",
    "relations": "relations",
    "events": "events",
    "attributes": "attributes",
}
SECTION = re.compile(r"^\s*\[(.*)\]\s*$")
IGNORED = re.compile(r"^\s*(#.*|-+\s*)?$")  # blank lines, comments and `----` separators
MACRO = re.compile(r"^<([a-zA-Z_-]+)>=\s*(.*?)\s*$")
ITEM = re.compile(r"^(\s*)(\S+)(?:\s+(.*))?$")
ARGUMENT = re.compile(r"^(\S*?):(\S*)$")
CARDINALITY = re.compile(r"^(.+?)([?*+]|\{(\d+)(?:-(\d+))?\})?$")
KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:\-]*$")
KEY_LENGTH = 100
RESERVED = ("ANY", "ENTITY", "RELATION", "EVENT", "NONE", "REL-TYPE")
NOT_TYPES = ("<OVERLAP>", "ENTITY-NESTING")  # brat settings written as relation lines


@dataclass
class _Node:
    """One type line: its names, its arguments (specials left out) and its place."""

    line: int
    section: str
    names: list[str]
    abstract: bool
    arguments: list[tuple[str, list[str]]]
    parent: "_Node | None" = None
    children: list["_Node"] = field(default_factory=list)

    @property
    def key(self) -> str:
        return self.names[0]

    def item(self, kind: str) -> dict[str, Any]:
        """Return the schema item's common fields, checking the key."""
        item = {"key": _key(self.key, self.line, kind), "name": self.key}
        if len(self.names) > 1:
            item["description"] = f"Also called {', '.join(self.names[1:])} in brat."
        return item


def schema_data_from_conf(text: str, *, key: str, name: str) -> dict[str, Any]:
    """Return schema data for an annotation.conf; raise InvalidInput naming the bad line."""
    sections = _sections(text)
    types = _Types(sections)
    return {
        "key": key,
        "name": name,
        "description": "Imported from a brat annotation.conf.",
        "entity_types": [node.item("entity type") for node in types.entities],
        "event_types": [types.event_type(node) for node in _concrete(sections["events"])],
        "relation_types": [types.relation_type(node) for node in _concrete(sections["relations"])],
        "attribute_types": [
            item for node in _concrete(sections["attributes"]) for item in types.attribute(node)
        ],
    }


def _sections(text: str) -> dict[str, list[_Node]]:
    """Read the type lines of each section, with macros expanded and parents set."""
    sections: dict[str, list[_Node]] = {name: [] for name in SECTIONS.values()}
    macros_by_section: dict[str, dict[str, str]] = {}
    section = None
    stack: list[tuple[int, _Node]] = []
    for number, line in enumerate(text.removeprefix("\ufeff").split("\n"), start=1):
        line = line.rstrip("\r")
        header = SECTION.match(line)
        if header:
            if header.group(1).strip() not in SECTIONS:
                raise _error(
                    number,
                    f"unknown section [{header.group(1)}]; an annotation.conf has"
                    " [entities] (or [spans]), [relations], [events] and [attributes]",
                )
            section = SECTIONS[header.group(1).strip()]
            stack = []
            continue
        if IGNORED.match(line):
            continue
        if section is None:
            raise _error(number, "a type before the first [section]")
        macros = macros_by_section.setdefault(section, {})
        macro = MACRO.match(line)
        if macro:
            if macro.group(1) in RESERVED:
                raise _error(number, f"<{macro.group(1)}> is reserved and cannot be redefined")
            macros[f"<{macro.group(1)}>"] = macro.group(2)
            continue
        for placeholder, value in macros.items():
            line = line.replace(placeholder, value)
        indent, node = _node(number, line, section)
        if node is None:
            continue
        while stack and stack[-1][0] >= indent:
            stack.pop()
        if stack:
            node.parent = stack[-1][1]
            node.parent.children.append(node)
        stack.append((indent, node))
        sections[section].append(node)
    return sections


def _node(number: int, line: str, section: str) -> tuple[int, _Node | None]:
    """Read one type line: `[indent][!]TYPE[|ALIAS...] [ROLE:TYPE|TYPE, ...]`."""
    match = ITEM.match(line)
    indent, terms, arguments = match.groups()
    names = [term.strip() for term in terms.split("|")]
    if not all(names):
        raise _error(number, f"empty type name in {terms!r}")
    abstract = any(name.startswith("!") for name in names)
    names = [name.removeprefix("!") for name in names]
    if names[0] in NOT_TYPES:
        return len(indent), None
    node = _Node(number, section, names, abstract, [])
    for argument in (part.strip() for part in (arguments or "").split(",")):
        if not argument:
            continue
        parsed = ARGUMENT.match(argument)
        if parsed is None or not parsed.group(1):
            raise _error(number, f"cannot read {argument!r} of {names[0]} as ROLE:TYPE|TYPE")
        role, fillers = parsed.groups()
        if role.startswith("<") and role.endswith(">"):
            continue  # <REL-TYPE>, <OVL-TYPE>, <NORM>: brat behaviour a schema does not hold
        fillers = fillers.split("|")
        if not all(fillers):
            raise _error(number, f"empty type in {argument!r} of {names[0]}")
        node.arguments.append((role, fillers))
    return len(indent), node


class _Types:
    """The type names of a conf, to turn role fillers and attribute targets into keys."""

    def __init__(self, sections: dict[str, list[_Node]]) -> None:
        self.entities = _concrete(sections["entities"])
        self.entity_nodes = {node.key: node for node in sections["entities"]}
        self.event_names = {node.key for node in sections["events"]}
        self.relation_names = {node.key for node in sections["relations"]}
        _unique(self.entities, "entity type")
        _unique(_concrete(sections["events"]), "event type")
        _unique(_concrete(sections["relations"]), "relation type")
        _unique(_concrete(sections["attributes"]), "attribute")

    def event_type(self, node: _Node) -> dict[str, Any]:
        roles = []
        for written, fillers in node.arguments:
            role = _role_key(written, node)
            if any(existing["key"] == role for existing in roles):
                raise _error(node.line, f"{node.key} has the role {role} twice")
            where = f"role {role} of {node.key}"
            roles.append(
                {"key": role, "name": role, "entity_types": self.entity_keys(fillers, node, where)}
            )
        group = node.parent.key if node.parent else ""
        return {**node.item("event type"), "group": group, "roles": roles}

    def relation_type(self, node: _Node) -> dict[str, Any]:
        if len(node.arguments) != 2:
            raise _error(
                node.line,
                f"relation {node.key} needs two arguments (Arg1:TYPE, Arg2:TYPE),"
                f" not {len(node.arguments)}",
            )
        (role1, head), (role2, tail) = node.arguments
        return {
            **node.item("relation type"),
            "group": node.parent.key if node.parent else "",
            "arg1_types": self.entity_keys(head, node, f"{role1} of {node.key}"),
            "arg2_types": self.entity_keys(tail, node, f"{role2} of {node.key}"),
        }

    def attribute(self, node: _Node) -> list[dict[str, Any]]:
        """Return one attribute item per kind of item it applies to (entity, event, relation)."""
        arguments = dict(node.arguments)
        if "Arg" not in arguments:
            raise _error(node.line, f"attribute {node.key} needs Arg:<ENTITY>, <EVENT> or types")
        applies_to: list[str] = []
        for name in arguments["Arg"]:
            for kind in self.kinds(name, node):
                if kind not in applies_to:
                    applies_to.append(kind)
        values = arguments.get("Value", [])
        return [
            {**node.item("attribute"), "applies_to": kind, "values": values, "default": ""}
            for kind in applies_to
        ]

    def entity_keys(self, names: list[str], node: _Node, where: str) -> list[str]:
        """Return the entity types `names` allow: events are left out, parents expanded."""
        keys: list[str] = []
        for name in names:
            if name in (KIND_MARKERS["entity"], ANY):
                found = [entity.key for entity in self.entities]
            elif name in self.entity_nodes:
                found = [entity.key for entity in _concrete(_subtree(self.entity_nodes[name]))]
            elif name in MARKER_KINDS or name in self.event_names:  # <EVENT>, <RELATION>
                found = []
            else:
                raise self._unknown(name, node, where)
            keys.extend(key for key in found if key not in keys)
        return keys

    def kinds(self, name: str, node: _Node) -> list[str]:
        if name == ANY:
            return list(KIND_MARKERS)
        if name in MARKER_KINDS:
            return [MARKER_KINDS[name]]
        for kind, names in (
            ("entity", self.entity_nodes),
            ("event", self.event_names),
            ("relation", self.relation_names),
        ):
            if name in names:
                return [kind]
        raise self._unknown(name, node, f"Arg of attribute {node.key}")

    def _unknown(self, name: str, node: _Node, where: str) -> InvalidInput:
        hint = ""
        if name.startswith("<"):
            hint = (
                " (a macro applies only in the section that defines it;"
                f" this line is in [{node.section}])"
            )
        return _error(node.line, f"{where} names {name}, which is not a type{hint}")


def _concrete(nodes: Iterable[_Node]) -> list[_Node]:
    """Return the nodes that can be annotated, leaving out `!` ones."""
    return [node for node in nodes if not node.abstract]


def _subtree(node: _Node) -> Iterator[_Node]:
    """Yield a node and its descendants: a role typed with a parent takes its children."""
    yield node
    for child in node.children:
        yield from _subtree(child)


def _role_key(written: str, node: _Node) -> str:
    """Strip a cardinality (`? * + {n} {n-m}`) from a role and check what is left."""
    role, _, low, high = CARDINALITY.match(written).groups()
    if low is not None:
        minimum, maximum = int(low), int(high or low)
        if maximum == 0 or maximum < minimum:
            raise _error(node.line, f"role {written} of {node.key} has an impossible cardinality")
    return _key(role, node.line, "role")


def _key(value: str, line: int, kind: str) -> str:
    if not KEY.match(value) or len(value) > KEY_LENGTH:
        raise _error(
            line,
            f"{kind} {value!r} cannot be a schema key: use up to {KEY_LENGTH} letters, digits"
            " and _ . : - (starting with a letter or digit)",
        )
    return value


def _unique(nodes: list[_Node], kind: str) -> None:
    seen: dict[str, int] = {}
    for node in nodes:
        if node.key in seen:
            raise _error(
                node.line, f"{kind} {node.key} is defined twice (first on line {seen[node.key]})"
            )
        seen[node.key] = node.line


def _error(line: int, message: str) -> InvalidInput:
    return InvalidInput(f"line {line}: {message}", extra={"line": line})
