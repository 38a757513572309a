"""`manage.py agreement CORPUS [--format table|json|csv]`: inter-annotator and model agreement."""

import csv
import json

from django.core.management.base import BaseCommand, CommandError, CommandParser

from corpus.models import Corpus
from review.agreement import (
    ALL_PAIRS,
    MODEL,
    PAIR,
    TOKEN_KAPPA,
    AgreementReport,
    Comparison,
    MeasureRow,
    report_csv_rows,
)
from review.selectors import corpus_agreement

HEADER = ("measure", "label", "score", "P", "R", "matched", "reference/other")


class Command(BaseCommand):
    help = (
        "Agreement of CORPUS: entity span F1 (exact, overlap), token kappa, trigger and "
        "argument F1, per annotator pair and label, and each model against gold."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("corpus", help="corpus slug")
        parser.add_argument(
            "--format",
            default="table",
            choices=("table", "json", "csv"),
            help="table (default), json (as the API gives it) or csv (one line per measure)",
        )

    def handle(self, *args, corpus: str, format: str, **options) -> None:
        found = Corpus.objects.filter(slug=corpus).first()
        if found is None:
            raise CommandError(f"No corpus {corpus!r}.")
        report = corpus_agreement(found)
        if format == "json":
            self.stdout.write(json.dumps(report.as_dict(), indent=2))
        elif format == "csv":
            csv.writer(self.stdout, lineterminator="\n").writerows(report_csv_rows(report))
        else:
            self.stdout.write(_table(report))


def _table(report: AgreementReport) -> str:
    if not report.comparisons:
        return (
            f"{report.corpus}: nothing to compare yet (no document has two submitted layers, "
            "or gold and predictions)."
        )
    blocks = []
    pairs = sum(comparison.kind == PAIR for comparison in report.comparisons)
    for comparison in report.comparisons:
        if comparison.kind == ALL_PAIRS and pairs == 1:
            continue  # the one pair again
        lines = [_title(comparison)]
        rows = [HEADER, *(_cells(row) for row in comparison.rows())]
        widths = [max(len(row[column]) for row in rows) for column in range(len(HEADER))]
        for row in rows:
            cells = zip(row, widths, strict=True)
            lines.append("  ".join(cell.ljust(width) for cell, width in cells))
        blocks.append("\n".join(line.rstrip() for line in lines))
    return "\n\n".join(blocks)


def _title(comparison: Comparison) -> str:
    documents = f"{comparison.documents} document{'s' * (comparison.documents != 1)}"
    if comparison.kind == MODEL:
        return f"model {comparison.other} against gold ({documents})"
    if comparison.kind == ALL_PAIRS:
        return f"all annotator pairs ({documents})"
    return f"{comparison.reference} and {comparison.other} ({documents})"


def _cells(row: MeasureRow) -> tuple[str, ...]:
    label = row.label or "all"
    if row.measure == TOKEN_KAPPA:
        kappa = f"kappa {_number(row.kappa)}"
        return (row.measure, label, kappa, "", "", "", f"{row.tokens} tokens")
    counts = f"{row.reference_count}/{row.other_count}"
    return (
        row.measure,
        label,
        f"F1 {_number(row.f1)}",
        _number(row.precision) if row.precision is not None else "",
        _number(row.recall) if row.recall is not None else "",
        str(row.matched),
        counts,
    )


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"
