"""Documents go in with one INSERT whose columns are the model's: every field is filled."""

import datetime

import pytest
from django.utils import timezone

from corpus.models import Document
from corpus.models.document import text_sha256
from corpus.services.documents import document_prepare, documents_insert
from formats.records import ArticleRecord

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

TEXT = "Kofi Annan arrived in Damascus on Saturday."


def prepared(corpus, text: str = TEXT, **fields):
    record = ArticleRecord(text=text, source="news.jsonl", line=3, **fields)
    return document_prepare(corpus=corpus, record=record, rules={"id_line": False})


def test_every_field_of_the_document_is_written_as_the_model_reads_it(corpus):
    item = prepared(
        corpus,
        external_id="a1",
        title="Annan in Damascus",
        url="http://example.org/a1",
        published=datetime.date(2012, 3, 10),
        metadata={"section": "World", "tags": ["un", "syria"], "pages": 2},
    )
    before = timezone.now()

    assert documents_insert(corpus, [item]) == 1

    document = Document.objects.get()
    assert (document.corpus, document.text, document.sha256) == (corpus, TEXT, text_sha256(TEXT))
    assert (document.external_id, document.title, document.url) == (
        "a1", "Annan in Damascus", "http://example.org/a1",
    )  # fmt: skip
    assert document.source == "news.jsonl, line 3"
    assert document.published == datetime.date(2012, 3, 10)
    assert document.metadata == {"section": "World", "tags": ["un", "syria"], "pages": 2}
    assert (document.tokens, document.sentences) == (None, None)  # filled by pre-annotation
    assert before <= document.created_at <= timezone.now()


def test_a_text_the_corpus_holds_is_skipped_and_defaults_fill_what_a_record_lacks(corpus):
    assert documents_insert(corpus, [prepared(corpus), prepared(corpus)]) == 1
    assert documents_insert(corpus, [prepared(corpus), prepared(corpus, "Another one.")]) == 1
    first, second = Document.objects.order_by("pk")
    assert (first.text, second.text) == (TEXT, "Another one.")
    assert (second.title, second.url, second.published, second.metadata) == ("", "", None, {})
