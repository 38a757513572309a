"""`manage.py preannotate CORPUS`: queue pre-annotation for the workers, or run it with --now."""

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from config.errors import InvalidInput
from corpus.models import Corpus
from preannotation.models import PreannotationRun
from preannotation.services import (
    preannotation_resume,
    preannotation_start,
    run_batch,
    run_batches,
    run_describe,
)
from preannotation.tasks import run_enqueue


class Command(BaseCommand):
    help = (
        "Pre-annotate the documents of CORPUS with a spaCy pipeline: queue batches for "
        "`manage.py workers`, or run them here with --now."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("corpus", help="corpus slug")
        parser.add_argument("--model", help="installed spaCy pipeline (default: SPACY_MODEL)")
        parser.add_argument("--batch-size", type=int, help="documents per batch (task)")
        parser.add_argument(
            "--now", action="store_true", help="run in the foreground with a progress bar"
        )
        parser.add_argument(
            "--missing",
            action="store_true",
            help="only documents without a layer from this model and version",
        )
        parser.add_argument(
            "--resume",
            action="store_true",
            help="finish the corpus's latest run (after a crash, or to retry failures)",
        )

    def handle(self, *args, corpus: str, now: bool, missing: bool, resume: bool, **options):
        target = Corpus.objects.select_related("schema").filter(slug=corpus).first()
        if target is None:
            raise CommandError(f"No corpus {corpus!r}.")
        batch_size = options["batch_size"]
        if resume:
            run = PreannotationRun.objects.filter(corpus=target).first()
            if run is None:
                raise CommandError(f"Corpus {corpus!r} has no pre-annotation run to resume.")
            preannotation_resume(run=run)
            if not now:
                queued = run_enqueue(run, batch_size=batch_size)
                self.stdout.write(f"{corpus}: run {run.pk} resumed, {queued} documents queued.")
                return
        else:
            try:
                run = preannotation_start(
                    corpus=target,
                    pipeline=options["model"],
                    only_missing=missing,
                )
            except InvalidInput as error:
                self.stdout.write(str(error))
                return
            if not now:
                run_enqueue(run, batch_size=batch_size)
                self.stdout.write(
                    f"{corpus}: run {run.pk} queued {run.total} documents for {run.model_name} "
                    f"{run.model_version}; `python manage.py workers` processes them."
                )
                return
        self._run_here(run, batch_size)
        self.stdout.write(f"{corpus}: {run_describe(run)}")
        for failure in run.failures.select_related("document"):
            self.stderr.write(f"{failure.document}: {failure.message}")
        if run.failures.exists():
            raise CommandError(f"{run.failures.count()} documents failed; see above.")

    def _run_here(self, run: PreannotationRun, batch_size: int | None) -> None:
        total = run.total - run.processed
        with tqdm(total=total, desc="Pre-annotating", unit=" docs", disable=None) as bar:
            for document_ids in run_batches(run, batch_size=batch_size):
                run_batch(run, document_ids, on_document=bar.update)
