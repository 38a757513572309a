"""`load_seeds` builds the demo corpus from seeds/, once."""

import io

import pytest
from django.core.management import call_command

from corpus.models import Corpus

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def load_seeds() -> str:
    out = io.StringIO()
    call_command("load_seeds", stdout=out)
    return out.getvalue()


def test_seed_corpus_uses_ace2005_with_document_labels_and_holds_both_articles():
    load_seeds()
    corpus = Corpus.objects.get(slug="seeds")
    # Its own copy of the ACE 2005 preset, with the demo's document labels added.
    assert corpus.schema.key == "ace2005-seeds"
    assert corpus.schema.event_types.count() == 33
    labels = corpus.schema.attribute_types.filter(applies_to="document")
    assert {(label.key, label.multiple) for label in labels} == {
        ("Relevance", False),
        ("Topic", True),
    }
    assert corpus.documents.count() == 2


def test_id_line_of_seed_000_becomes_external_id_not_text():
    load_seeds()
    document = Corpus.objects.get(slug="seeds").documents.get(source__contains="000_")
    assert document.external_id == "1.992211-557874215"
    assert document.text.startswith("Damascus: Syrian government forces")
    assert "1.992211-557874215" not in document.text
    assert "at least\xa054 civilians" in document.text
    assert document.metadata["raw_text"].startswith("1.992211-557874215\n")


def test_loading_seeds_twice_adds_nothing():
    load_seeds()
    before = list(Corpus.objects.get(slug="seeds").documents.values_list("pk", "sha256"))
    output = load_seeds()
    assert "0 new, 2 duplicate" in output
    assert Corpus.objects.count() == 1
    assert Corpus.objects.get(slug="seeds").schema.attribute_types.count() == 7
    assert list(Corpus.objects.get(slug="seeds").documents.values_list("pk", "sha256")) == before
