"""`manage.py load_seeds`: create the demo corpus from seeds/ with the ACE 2005 schema."""

from django.conf import settings
from django.core.management.base import BaseCommand

from corpus.models import AttributeType
from corpus.services.corpora import corpus_get_or_create
from corpus.services.schema_attributes import attribute_save
from corpus.services.schemas import schema_get_or_create
from formats.files import ImportSource
from imports.services.run import import_run
from imports.services.summary import ImportOptions

SEEDS_SLUG = "seeds"
SEEDS_NAME = "Syria, March 2012 (demo)"
GUIDELINES = settings.BASE_DIR / "corpus" / "presets" / "ace2005_guidelines.md"
# Document labels of the demo (ACE 2005 has none): what a newsroom sorts articles by.
DOCUMENT_LABELS = [
    (
        {
            "key": "Relevance",
            "name": "Relevance",
            "description": "Is the article about the"
            " conflict itself, background to it, or off topic?",
        },
        ["relevant", "background", "off-topic"],
        False,
    ),
    (
        {"key": "Topic", "name": "Topic", "description": "Every topic the article reports on."},
        ["fighting", "casualties", "humanitarian", "diplomacy"],
        True,
    ),
]


class Command(BaseCommand):
    help = "Create or update the demo corpus 'seeds' from the articles in seeds/ (idempotent)."

    def handle(self, *args, **options) -> None:
        schema = schema_get_or_create(name_or_path="ace2005")
        corpus = corpus_get_or_create(slug=SEEDS_SLUG, schema=schema, name=SEEDS_NAME)
        if not corpus.schema.attribute_types.filter(applies_to="document").exists():
            for fields, values, multiple in DOCUMENT_LABELS:
                attribute_save(
                    corpus=corpus,
                    actor=None,
                    applies_to=None,
                    key=None,
                    fields={**fields, "applies_to": AttributeType.AppliesTo.DOCUMENT,
                            "multiple": "on" if multiple else ""},
                    values=values,
                )  # fmt: skip
        if not corpus.guidelines:
            corpus.guidelines = GUIDELINES.read_text(encoding="utf-8")
            corpus.save(update_fields=["guidelines"])
        with ImportSource([settings.BASE_DIR / "seeds"]) as source:
            summary = import_run(corpus=corpus, source=source, options=ImportOptions(format="txt"))
        self.stdout.write(f"{SEEDS_SLUG}: {summary}")
