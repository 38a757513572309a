"""`manage.py preannotate CORPUS --now`: pre-annotate a corpus with spaCy, with a progress bar."""

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from annotations.services.predictions import corpus_preannotate, documents_to_preannotate
from corpus.models import Corpus


class Command(BaseCommand):
    help = "Pre-annotate every document of CORPUS with a spaCy pipeline."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("corpus", help="corpus slug")
        parser.add_argument("--model", help="installed spaCy pipeline (default: SPACY_MODEL)")
        parser.add_argument("--batch-size", type=int, help="documents per nlp.pipe batch")
        parser.add_argument(
            "--now", action="store_true", help="run in the foreground with a progress bar"
        )
        parser.add_argument(
            "--missing",
            action="store_true",
            help="only documents without a layer from this model and version",
        )

    def handle(self, *args, corpus: str, now: bool, missing: bool, **options) -> None:
        if not now:
            raise CommandError("Background pre-annotation is not available yet; run with --now.")
        target = Corpus.objects.select_related("schema").filter(slug=corpus).first()
        if target is None:
            raise CommandError(f"No corpus {corpus!r}.")
        total = documents_to_preannotate(target, model_name=options["model"], only_missing=missing)
        with tqdm(total=total, desc="Pre-annotating", unit=" docs", disable=None) as bar:
            summary = corpus_preannotate(
                corpus=target,
                model_name=options["model"],
                batch_size=options["batch_size"],
                only_missing=missing,
                on_document=bar.update,
            )
        self.stdout.write(f"{corpus}: {summary}")
