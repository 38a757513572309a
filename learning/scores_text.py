"""A model version's held-out scores as plain text, for the command line."""

from learning.models import ModelVersion


def version_summary(version: ModelVersion) -> str:
    """Return a few lines: the verdict, then F1 per label of the base, current and new model."""
    lines = [f"{version.corpus.slug}: model v{version.number}, {version.get_status_display()}."]
    lines.append(version.message)
    scores = version.scores
    columns = [name for name in ("base", "current", "candidate") if name in scores]
    for part in ("entities", "triggers") if columns else ():
        labels = sorted({label for name in columns for label in scores[name][part]["labels"]})
        header = "".join(f"{name:>11}" for name in columns)
        lines.append(f"\n{part} F1 on {scores['documents']} held-out documents\n{'':24}{header}")
        for label in ["micro", *labels]:
            cells = "".join(f"{_f1(scores[name][part], label):>11}" for name in columns)
            lines.append(f"{label:24}{cells}")
    if calibration := scores.get("calibration"):
        lines.append("\ncalibration error (expected, held-out)   before    after   scored")
        for kind, report in calibration.items():
            pooled = report["pooled"]
            if pooled["pairs"]:
                lines.append(
                    f"{kind:40}{pooled['before']:>7.3f}{pooled['after']:>9.3f}{pooled['pairs']:>9}"
                )
    return "\n".join(lines)


def _f1(part: dict, label: str) -> str:
    row = part["micro"] if label == "micro" else part["labels"].get(label)
    return "-" if row is None else f"{row['f1']:.3f}"
