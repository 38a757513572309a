"""`manage.py import_documents CORPUS PATH...`: import articles, with a progress bar."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from corpus.errors import GoldsetError
from corpus.importers.plaintext import read_plaintext
from corpus.services.corpora import corpus_get_or_create
from corpus.services.documents import ImportSummary, documents_import
from corpus.services.schemas import schema_get_or_create


class Command(BaseCommand):
    help = "Import articles into CORPUS (created when missing) from files, folders or zips."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("corpus", help="corpus slug")
        parser.add_argument("paths", nargs="+", type=Path, help="files, folders or .zip archives")
        parser.add_argument(
            "--format", default="auto", choices=["auto", "txt"], help="input format"
        )
        parser.add_argument(
            "--schema",
            default="ace2005",
            help="schema of a new corpus: ace2005, ontonotes or a schema JSON file",
        )

    def handle(self, *args, corpus: str, paths: list[Path], schema: str, **options) -> None:
        try:
            summary = self.run_import(corpus, paths, schema)
        except GoldsetError as exc:
            raise CommandError(exc.message) from exc
        for problem in summary.problems:
            self.stderr.write(f"  {problem}")
        self.stdout.write(f"{corpus}: {summary}")
        if summary.failed:
            raise CommandError(f"{summary.failed} record(s) could not be imported (listed above)")

    def run_import(self, slug: str, paths: list[Path], schema_name: str) -> ImportSummary:
        schema = schema_get_or_create(name_or_path=schema_name)
        corpus = corpus_get_or_create(slug=slug, schema=schema)
        with tqdm(desc="Importing", unit=" articles", disable=None) as bar:
            return documents_import(
                corpus=corpus, records=read_plaintext(paths), on_record=bar.update
            )
