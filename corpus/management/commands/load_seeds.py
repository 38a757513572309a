"""`manage.py load_seeds`: create the demo corpus from seeds/ with the ACE 2005 schema."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from corpus.importers.plaintext import read_plaintext
from corpus.services.corpora import corpus_get_or_create
from corpus.services.documents import documents_import
from corpus.services.schemas import schema_get_or_create

SEEDS_SLUG = "seeds"
SEEDS_NAME = "Syria, March 2012 (demo)"
GUIDELINES = Path(__file__).resolve().parents[2] / "presets" / "ace2005_guidelines.md"


class Command(BaseCommand):
    help = "Create or update the demo corpus 'seeds' from the articles in seeds/ (idempotent)."

    def handle(self, *args, **options) -> None:
        schema = schema_get_or_create(name_or_path="ace2005")
        corpus = corpus_get_or_create(slug=SEEDS_SLUG, schema=schema, name=SEEDS_NAME)
        if not corpus.guidelines:
            corpus.guidelines = GUIDELINES.read_text(encoding="utf-8")
            corpus.save(update_fields=["guidelines"])
        summary = documents_import(
            corpus=corpus, records=read_plaintext([settings.BASE_DIR / "seeds"])
        )
        self.stdout.write(f"{SEEDS_SLUG}: {summary}")
