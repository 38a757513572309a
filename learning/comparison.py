"""Model versions side by side: held-out F1 per label of each, for the models page."""

from learning.models import ModelVersion
from learning.verdict import combined_f1


def versions_compared(versions: list[ModelVersion]) -> dict:
    """Return `{"columns": [...], "rows": [...]}`: one column per evaluated version, then its
    base pipeline's; one row per label (entities, then triggers) with each column's F1.

    Each version is shown with the scores it had on its own held-out gold (the base
    pipeline's are the newest version's), so a column answers "how good was it when trained".
    """
    judged = [version for version in versions if "candidate" in version.scores]
    if not judged:
        return {"columns": [], "rows": []}
    columns = [(f"v{version.number}", version.scores["candidate"]) for version in judged]
    columns.append(("base pipeline", judged[0].scores["base"]))
    rows = [_row("All, entities and triggers", [combined_f1(scores) for _, scores in columns])]
    for part, title in (("entities", "Entities"), ("triggers", "Event triggers")):
        rows.append(_row(title, [scores[part]["micro"]["f1"] for _, scores in columns], part=True))
        labels = sorted({label for _, scores in columns for label in scores[part]["labels"]})
        for label in labels:
            cells = [_label_f1(scores[part], label) for _, scores in columns]
            rows.append(_row(label, cells, support=_support(columns, part, label)))
    return {"columns": [name for name, _ in columns], "rows": rows}


def _support(columns: list[tuple[str, dict]], part: str, label: str) -> int:
    """Gold occurrences of `label` in the largest held-out set among the columns."""
    return max(scores[part]["labels"].get(label, {}).get("support", 0) for _, scores in columns)


def _label_f1(part: dict, label: str) -> float | None:
    row = part["labels"].get(label)
    return None if row is None else row["f1"]


def _row(name: str, cells: list, *, part: bool = False, support: int | None = None) -> dict:
    best = max((cell for cell in cells if cell is not None), default=None)
    return {
        "name": name,
        "part": part,
        "support": support,
        "cells": [{"f1": cell, "best": cell is not None and cell == best} for cell in cells],
    }


def calibration_rows(versions: list[ModelVersion]) -> tuple[ModelVersion | None, list[dict]]:
    """The newest version with a calibration report, and its rows: the error before and after
    calibration (expected calibration error, cross-fitted on held-out gold) per kind, then
    per label with scored predictions."""
    version = next((v for v in versions if v.scores.get("calibration")), None)
    if version is None:
        return None, []
    rows = []
    for kind, report in version.scores["calibration"].items():
        rows.append({"name": KINDS.get(kind, kind), "part": True, **report["pooled"]})
        for label, figures in sorted(report["labels"].items()):
            if figures["pairs"] >= LABEL_ROW_PAIRS:
                rows.append({"name": label, "part": False, **figures})
    return version, [row for row in rows if row["pairs"]]


LABEL_ROW_PAIRS = 10  # fewer predictions of a label say little about its calibration
KINDS = {"entities": "Entities", "triggers": "Event triggers", "arguments": "Arguments"}
