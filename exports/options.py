"""What an export is asked for: format, source, filters, split and snapping."""

import math
from dataclasses import dataclass, field

from annotations.document_selection import DocumentSelection
from config.errors import InvalidInput
from config.params import fractions_parse
from formats.registry import EXPORT_DEFAULT, export_choices

SOURCES = ("gold", "submitted", "predictions")
STATUSES = ("draft", "submitted", "skipped", "reviewed")
SNAPS = ("none", "expand", "contract")
SPLIT_NAMES = ("train", "dev", "test")


class ExportOptionsError(ValueError):
    """Options that cannot work together; the message says which and why."""


@dataclass(frozen=True)
class ExportOptions:
    """An export request. `labels` and `statuses` empty mean "all".

    `accepted_only` leaves out the items nobody accepted yet (model items still pending).
    `documents` narrows the export to a selection of the corpus's documents (its bulk action).
    """

    format: str = EXPORT_DEFAULT
    source: str = "gold"
    annotator: str = ""
    statuses: frozenset[str] = field(default_factory=frozenset)
    labels: frozenset[str] = field(default_factory=frozenset)
    split: tuple[float, ...] = ()
    seed: int = 0
    snap: str = "none"
    accepted_only: bool = False
    documents: DocumentSelection = field(default_factory=DocumentSelection)

    def __post_init__(self) -> None:
        for name, value, allowed in (
            ("format", self.format, export_choices()),
            ("source", self.source, SOURCES),
            ("snap", self.snap, SNAPS),
        ):
            if value not in allowed:
                raise ExportOptionsError(f"{name} {value!r}: use one of {', '.join(allowed)}")
        unknown = sorted(self.statuses - set(STATUSES))
        if unknown:
            raise ExportOptionsError(f"status {unknown[0]!r}: use one of {', '.join(STATUSES)}")
        if self.annotator and self.source != "submitted":
            raise ExportOptionsError("an annotator can only be chosen with source 'submitted'")
        split_check(self.split)

    @property
    def split_names(self) -> tuple[str, ...]:
        return SPLIT_NAMES[: len(self.split)]


def split_parse(text: str) -> tuple[float, ...]:
    """Parse `0.8,0.1,0.1` (or `80,10,10`) into finite fractions that add up to 1."""
    try:
        parts = fractions_parse(text, name="split")
    except InvalidInput as error:
        raise ExportOptionsError(error.message.rstrip(".")) from None
    split_check(parts)
    return parts


def split_check(parts: tuple[float, ...]) -> None:
    if not parts:
        return
    if not 1 <= len(parts) <= len(SPLIT_NAMES):
        raise ExportOptionsError("split: give two or three parts (train, dev[, test])")
    if not all(math.isfinite(part) and part >= 0 for part in parts):
        raise ExportOptionsError("split: parts must be finite and not negative")
    if abs(sum(parts) - 1) > 1e-6:
        raise ExportOptionsError(f"split: the parts add up to {sum(parts):g}, not 1")
