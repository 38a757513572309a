"""What an export wrote and what it could not write as it was.

Counts are exact; the list of warnings keeps the first `LISTED` so memory stays flat on
any corpus size.
"""

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

LISTED = 1000

WARNING_KINDS = {
    "misaligned": "spans that do not fall on token boundaries",
    "overlap": "entities that overlap another entity",
    "trigger-reduced": "multi-token triggers reduced to one token",
    "cross-sentence": "arguments outside their trigger's sentence, relations across sentences",
    "event-argument": "arguments filled by another event",
    "dropped-argument": "arguments (and relations) whose filler was not exported",
    "sentences-joined": "sentence boundaries inside an entity, removed",
    "token-split": "tokens holding a space character, written as several words",
    "unsupported": "documents whose events or relations the format cannot hold",
    "empty-document": "documents without tokens, left out",
    "empty-split": "parts of the split with no documents",
    "attribute-lost": "attributes or notes the format cannot hold as they are",
    "renamed": "names changed to suit the format (files, attributes, roles, metadata keys)",
    "text-changed": "texts whose line ends were changed to suit the format",
    "argument-index": "repeated-role numbers the format cannot hold (read back as 1, 2, ...)",
    "not-accepted": "predictions nobody accepted, left out (accepted only)",
}


@dataclass
class ExportReport:
    """Counts by split and label, and the warnings, for the page, the API and the CLI."""

    format: str
    source: str
    documents: Counter = field(default_factory=Counter)
    entities: Counter = field(default_factory=Counter)
    events: Counter = field(default_factory=Counter)
    arguments: Counter = field(default_factory=Counter)
    relations: Counter = field(default_factory=Counter)
    warning_counts: Counter = field(default_factory=Counter)
    warnings: list[dict[str, Any]] = field(default_factory=list)
    files: list[str] = field(default_factory=list)

    def count(self, record: dict[str, Any], split: str | None) -> None:
        """Count one exported document (its record after filtering)."""
        self.documents[split or "all"] += 1
        self.entities.update(entity["label"] for entity in record["entities"])
        self.events.update(event["type"] for event in record["events"])
        self.arguments.update(
            argument["role"] for event in record["events"] for argument in event["arguments"]
        )
        self.relations.update(relation["type"] for relation in record["relations"])

    def warn(self, kind: str, message: str, *, document: str = "", **where: Any) -> None:
        """Record a warning of `kind` (see WARNING_KINDS) about `document`."""
        self.warning_counts[kind] += 1
        if len(self.warnings) < LISTED:
            self.warnings.append({"kind": kind, "document": document, "message": message, **where})

    @property
    def warnings_total(self) -> int:
        return sum(self.warning_counts.values())

    @property
    def total_documents(self) -> int:
        return sum(self.documents.values())

    def as_dict(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "source": self.source,
            "documents": dict(self.documents),
            "total_documents": self.total_documents,
            "entities": dict(self.entities.most_common()),
            "events": dict(self.events.most_common()),
            "arguments": dict(self.arguments.most_common()),
            "relations": dict(self.relations.most_common()),
            "warning_counts": {
                kind: {"count": count, "meaning": WARNING_KINDS.get(kind, kind)}
                for kind, count in self.warning_counts.most_common()
            },
            "warnings": self.warnings,
            "warnings_listed": len(self.warnings),
            "warnings_total": self.warnings_total,
            "files": self.files,
        }

    def summary_lines(self) -> list[str]:
        """Human-readable lines for the command line."""
        parts = ", ".join(f"{name} {count}" for name, count in self.documents.items())
        lines = [f"{self.total_documents} documents ({self.source}): {parts}"]
        for title, counter in (("entities", self.entities), ("events", self.events)):
            listed = ", ".join(f"{label} {count}" for label, count in counter.most_common())
            lines.append(f"{title}: {sum(counter.values())}" + (f" ({listed})" if listed else ""))
        for kind, count in self.warning_counts.most_common():
            lines.append(f"warning: {count} {WARNING_KINDS.get(kind, kind)}")
        return lines
