"""`manage.py export_corpus CORPUS --format F --out PATH`: write a corpus's training data."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from annotations.document_selection import selection_documents, selection_parse
from config.errors import InvalidInput
from corpus.models import Corpus
from exports.layers import source_counts
from exports.options import (
    SNAPS,
    SOURCES,
    STATUSES,
    ExportOptions,
    ExportOptionsError,
    split_parse,
)
from exports.run import ExportRun
from exports.sinks import DirectorySink, FileSink, Sink, ZipSink
from formats.registry import EXPORT_DEFAULT, export_choices, export_formats, format_get

WARNINGS_SHOWN = 20


class Command(BaseCommand):
    help = "Export CORPUS's gold (or submitted, or predicted) annotations as training data."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("corpus", help="corpus slug")
        parser.add_argument(
            "--format",
            default=EXPORT_DEFAULT,
            choices=export_choices(),
            help=", ".join(f"{format.key}: {format.name}" for format in export_formats())
            + f" (default: {EXPORT_DEFAULT})",
        )
        parser.add_argument(
            "--out",
            type=Path,
            required=True,
            help="a file; a folder when there is a split or the format has many files ("
            + ", ".join(format.key for format in export_formats() if format.folder)
            + "); a .zip for everything in one archive",
        )
        parser.add_argument("--source", default="gold", choices=SOURCES)
        parser.add_argument(
            "--annotator", default="", help="with --source submitted: only this user's layers"
        )
        parser.add_argument(
            "--status", action="append", default=[], choices=STATUSES, help="layer status"
        )
        parser.add_argument(
            "--label", action="append", default=[], help="keep only these entity/event types"
        )
        parser.add_argument("--split", default="", help="train,dev[,test] fractions: 0.8,0.1,0.1")
        parser.add_argument("--seed", type=int, default=0, help="seed of the split")
        parser.add_argument(
            "--snap",
            default="none",
            choices=SNAPS,
            help="spans off token boundaries: leave out (none), expand or contract them",
        )
        parser.add_argument(
            "--accepted-only",
            action="store_true",
            help="leave out predictions nobody accepted (reported as not-accepted warnings)",
        )
        parser.add_argument(
            "--documents",
            default="",
            help="only these documents: the corpus page's filter as a query string "
            '("q=Homs&state=reviewed") or ids=3,4,5',
        )
        parser.add_argument("--report", type=Path, help="write the full report as JSON here")

    def handle(self, *args, corpus: str, out: Path, **options) -> None:
        found = Corpus.objects.filter(slug=corpus).first()
        if found is None:
            raise CommandError(f"No corpus {corpus!r}")
        try:
            export = ExportOptions(
                format=options["format"],
                source=options["source"],
                annotator=options["annotator"],
                statuses=frozenset(options["status"]),
                labels=frozenset(options["label"]),
                split=split_parse(options["split"]),
                seed=options["seed"],
                snap=options["snap"],
                accepted_only=options["accepted_only"],
                documents=selection_parse(options["documents"]),
            )
            selection_documents(corpus=found, selection=export.documents)  # its ids exist
        except ExportOptionsError as error:
            raise CommandError(str(error)) from None
        except InvalidInput as error:
            raise CommandError(error.message) from None
        run = ExportRun(found, export, _sink(out, export))
        with tqdm(total=run.total, desc="Exporting", unit=" documents", disable=None) as bar:
            for _ in run.steps():
                bar.update()
        run.close()
        report = run.report
        if options["report"]:
            options["report"].write_text(
                json.dumps(report.as_dict(), indent=2, ensure_ascii=False), encoding="utf-8"
            )
        for line in report.summary_lines():
            self.stdout.write(line)
        for warning in report.warnings[:WARNINGS_SHOWN]:
            where = " ".join(filter(None, (warning.get("split"), warning["document"])))
            self.stdout.write(f"  {where}: {warning['message']}")
        if report.warnings_total > WARNINGS_SHOWN:
            self.stdout.write(f"  … {report.warnings_total - WARNINGS_SHOWN} more (see --report)")
        self.stdout.write(f"{corpus}: {report.total_documents} documents written to {out}")
        if not report.total_documents:
            self.stdout.write(_elsewhere(found, export.source))


def _elsewhere(corpus: Corpus, source: str) -> str:
    """Say which other sources have documents, when the chosen one had none."""
    counts = source_counts(corpus)
    others = [
        f"--source {name} ({counts[name]} documents)"
        for name in SOURCES
        if name != source and counts[name]
    ]
    if not others:
        return "Nothing to export yet: annotate or pre-annotate documents first."
    return f"No {source} layers to export; try " + " or ".join(others)


def _sink(out: Path, options: ExportOptions) -> Sink:
    if out.suffix == ".zip":
        out.parent.mkdir(parents=True, exist_ok=True)
        return ZipSink(out)
    if options.split or format_get(options.format).folder:
        return DirectorySink(out)
    return FileSink(out)
