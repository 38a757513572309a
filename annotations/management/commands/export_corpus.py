"""`manage.py export_corpus CORPUS --format jsonl --out PATH`: export a corpus's layers."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from annotations.exporters.layers import SOURCES, goldset_records
from corpus.models import Corpus

FORMATS = ("jsonl",)


class Command(BaseCommand):
    help = "Export CORPUS's gold (or submitted, or predicted) annotations for training."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("corpus", help="corpus slug")
        parser.add_argument("--format", default="jsonl", choices=FORMATS)
        parser.add_argument("--out", type=Path, required=True, help="file to write")
        parser.add_argument("--source", default="gold", choices=SOURCES)

    def handle(self, *args, corpus: str, format: str, out: Path, source: str, **options):
        found = Corpus.objects.filter(slug=corpus).first()
        if found is None:
            raise CommandError(f"No corpus {corpus!r}")
        written = 0
        with (
            out.open("w", encoding="utf-8") as stream,
            tqdm(desc="Exporting", unit=" documents", disable=None) as bar,
        ):
            for record in goldset_records(found, source=source):
                stream.write(json.dumps(record, ensure_ascii=False) + "\n")
                written += 1
                bar.update()
        self.stdout.write(f"{corpus}: {written} documents ({source}) written to {out}")
