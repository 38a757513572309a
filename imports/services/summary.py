"""What an import asks for and what it did."""

from collections import Counter
from dataclasses import dataclass, field
from typing import Literal

from django.contrib.auth.models import AbstractBaseUser

from formats.options import ReadOptions
from formats.records import ERROR, Problem

PROBLEMS_KEPT = 10_000


@dataclass
class ImportOptions:
    """How to import: the format, the readers' options and what to do with annotations.

    `layer` says whether annotations that come with the data are predictions to correct
    or gold; `label_map` renames source labels (entity, event, role and relation types)
    before they are looked up in the schema; `add_labels` adds the ones still missing;
    `cleaning` overrides the corpus's boilerplate rules for this import.
    """

    format: str = "auto"
    read: ReadOptions = field(default_factory=ReadOptions)
    layer: Literal["prediction", "gold"] = "prediction"
    label_map: dict[str, str] = field(default_factory=dict)
    add_labels: bool = False
    cleaning: dict[str, bool] | None = None
    user: AbstractBaseUser | None = None


@dataclass
class ImportSummary:
    """Counts of what an import did, and the problems it met (the first PROBLEMS_KEPT)."""

    format: str = ""
    created: int = 0
    duplicates: int = 0
    failed: int = 0
    warnings: int = 0
    layers: int = 0
    items: Counter[str] = field(default_factory=Counter)
    problems: list[Problem] = field(default_factory=list)
    missing: Counter[str] = field(default_factory=Counter)
    added: list[str] = field(default_factory=list)

    def add_problem(self, problem: Problem) -> None:
        if problem.severity == ERROR:
            self.failed += 1
        else:
            self.warnings += 1
        if len(self.problems) < PROBLEMS_KEPT:
            self.problems.append(problem)

    def __str__(self) -> str:
        text = f"{self.created} new, {self.duplicates} duplicate, {self.failed} failed"
        if self.warnings:
            text += f", {self.warnings} warning{'s' if self.warnings != 1 else ''}"
        if self.layers:
            counts = ", ".join(f"{count} {name}" for name, count in sorted(self.items.items()))
            text += f"; {self.layers} annotation layer{'s' if self.layers != 1 else ''}"
            text += f" ({counts})" if counts else ""
        return text
