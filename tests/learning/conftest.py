"""A corpus with reviewed gold where the base model gets one thing wrong every time: it calls
the Homs district Baba Amr a PERSON, and the gold says GPE."""

import pytest

from annotations.models import Annotation
from tests.factories import AnnotationFactory, DocumentFactory, span_create

# Each article mentions Baba Amr; en_core_web_sm 3.8.0 types it PERSON in every one of them.
ARTICLES = [
    "Shelling continued in Baba Amr on Monday, activists said.",
    "Government forces pounded Baba Amr again.",
    "Residents of Baba Amr fled to Lebanon.",
    "Rebels in Baba Amr said food was running out.",
    "Tanks surrounded Baba Amr before dawn.",
    "Doctors in Baba Amr treated the wounded.",
    "Aid could not reach Baba Amr, the Red Crescent said.",
    "Snipers fired on families leaving Baba Amr.",
]


def gold_create(corpus, text: str) -> Annotation:
    """A document with `text` and a reviewed gold layer: Baba Amr, and Lebanon if there, GPE."""
    document = DocumentFactory(corpus=corpus, text=text)
    layer = AnnotationFactory(
        document=document,
        kind=Annotation.Kind.GOLD,
        model_name="",
        model_version="",
        status=Annotation.Status.REVIEWED,
    )
    for name in ("Baba Amr", "Lebanon"):
        if (start := text.find(name)) >= 0:
            span_create(layer, start, start + len(name), "GPE")
    return layer


@pytest.fixture(autouse=True)
def _models_dir(settings, tmp_path):
    """Fine-tuned pipelines go to a folder of the test's own."""
    settings.MODELS_DIR = tmp_path / "models"


@pytest.fixture
def gold(corpus) -> list[Annotation]:
    """Eight reviewed gold layers (enough to hold some out), Baba Amr GPE in each."""
    return [gold_create(corpus, text) for text in ARTICLES]
