"""`manage.py train CORPUS`: learn from the corpus's reviewed gold, with a progress bar."""

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from config.errors import InvalidInput
from corpus.models import Corpus
from learning.models import ModelVersion
from learning.scores_text import version_summary
from learning.services import model_activate, training_run, training_start
from learning.tasks import training_enqueue


class Command(BaseCommand):
    help = (
        "Train the next model version of CORPUS from its reviewed gold and judge it on held-out "
        "gold against the active one; --activate-if-better makes it pre-annotate the corpus."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("corpus", help="corpus slug")
        parser.add_argument(
            "--activate-if-better",
            action="store_true",
            help="activate the new version when it beats the active one on held-out gold",
        )
        parser.add_argument("--queue", action="store_true", help="leave it to `manage.py workers`")

    def handle(self, *args, corpus: str, activate_if_better: bool, queue: bool, **options):
        target = Corpus.objects.select_related("schema").filter(slug=corpus).first()
        if target is None:
            raise CommandError(f"No corpus {corpus!r}.")
        try:
            version = training_start(corpus=target)
        except InvalidInput as error:
            raise CommandError(error.message) from error
        if queue:
            training_enqueue(version, activate_if_better=activate_if_better)
            self.stdout.write(f"{corpus}: model v{version.number} queued for the workers.")
            return
        with tqdm(desc="training", unit="doc", disable=None) as bar:

            def on_progress(step: str, done: int, total: int) -> None:
                bar.set_description(step)
                bar.total = total
                bar.n = done
                bar.refresh()

            training_run(version, on_progress=on_progress)
        if version.status == ModelVersion.Status.FAILED:
            raise CommandError(version.message)
        self.stdout.write(version_summary(version))
        if activate_if_better and version.status == ModelVersion.Status.PROPOSED:
            model_activate(version=version)
            self.stdout.write(f"{corpus}: v{version.number} now pre-annotates the corpus.")
