"""Each document's stored state, and the per-corpus counts, follow its layers on every path.

The document list filters by `Document.state` and the dashboard reads the counts, so both
must agree with the rule (`document_state_computed`) after whatever writes layers: the ORM,
raw row inserts (imports), status changes, deletes, the corpus's overlap changing.
"""

import io
import json

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from annotations.models import Annotation, DocumentStateCount, StatePause
from annotations.selectors import DocumentState, document_state_computed, document_state_counts
from annotations.services.rows import ids_reserve, json_adapter, rows_insert
from annotations.services.state_batch import states_settled
from annotations.services.state_counts import FOLD_AT
from corpus.models import Corpus, Document
from formats.records import ArticleRecord, RecordAnnotations, SpanRecord
from imports.services.run import records_import
from imports.services.summary import ImportOptions
from tests.factories import AnnotationFactory, CorpusFactory, DocumentFactory, UserFactory

pytestmark = pytest.mark.postgres


def assert_states_kept(corpus: Corpus) -> dict[str, int]:
    """The stored states equal the computed ones, and the counts the stored states; return
    the counts."""
    rows = Document.objects.filter(corpus=corpus).annotate(computed=document_state_computed(corpus))
    for document in rows:
        assert document.state == document.computed, document
    counts = document_state_counts(corpus=corpus)
    stored = {state: rows.filter(state=state).count() for state in DocumentState.ALL}
    assert counts == stored
    return counts


def state_of(document: Document) -> str:
    return Document.objects.get(pk=document.pk).state


def test_a_new_corpus_counts_nothing_in_each_state(db):
    corpus = CorpusFactory()
    assert document_state_counts(corpus=corpus) == dict.fromkeys(DocumentState.ALL, 0)


def test_the_state_follows_the_layers_from_new_to_reviewed(db):
    corpus = CorpusFactory(annotators_per_document=2)
    first, second = UserFactory(), UserFactory()
    document, other = DocumentFactory(corpus=corpus), DocumentFactory(corpus=corpus)
    assert state_of(document) == DocumentState.NEW
    assert assert_states_kept(corpus)[DocumentState.NEW] == 2

    AnnotationFactory(document=document)
    assert state_of(document) == DocumentState.PREANNOTATED
    mine = AnnotationFactory(document=document, kind="annotator", user=first, model_name="")
    assert state_of(document) == DocumentState.IN_PROGRESS
    mine.status = Annotation.Status.SUBMITTED
    mine.save()
    assert state_of(document) == DocumentState.IN_PROGRESS  # one of the two it needs
    AnnotationFactory(
        document=document, kind="annotator", user=second, model_name="", status="submitted"
    )
    assert state_of(document) == DocumentState.ANNOTATED
    gold = AnnotationFactory(document=document, kind="gold", model_name="", status="draft")
    assert state_of(document) == DocumentState.ANNOTATED
    Annotation.objects.filter(pk=gold.pk).update(status=Annotation.Status.REVIEWED)
    assert state_of(document) == DocumentState.REVIEWED
    assert assert_states_kept(corpus) == {
        DocumentState.NEW: 1,
        DocumentState.PREANNOTATED: 0,
        DocumentState.IN_PROGRESS: 0,
        DocumentState.ANNOTATED: 0,
        DocumentState.REVIEWED: 1,
    }

    gold.delete()
    assert state_of(document) == DocumentState.ANNOTATED
    mine.status = Annotation.Status.SKIPPED
    mine.save()
    assert state_of(document) == DocumentState.IN_PROGRESS
    other.delete()
    assert assert_states_kept(corpus)[DocumentState.NEW] == 0


def test_changing_the_overlap_restates_the_corpus(db):
    corpus = CorpusFactory(annotators_per_document=2)
    document = DocumentFactory(corpus=corpus)
    AnnotationFactory(
        document=document, kind="annotator", user=UserFactory(), model_name="", status="submitted"
    )
    assert state_of(document) == DocumentState.IN_PROGRESS
    corpus.annotators_per_document = 1
    corpus.save()
    assert state_of(document) == DocumentState.ANNOTATED
    assert assert_states_kept(corpus)[DocumentState.ANNOTATED] == 1


def test_rows_inserted_without_the_orm_are_counted_and_stated(db):
    """Imports write documents and layers as raw rows: the triggers see them all the same."""
    corpus = CorpusFactory()
    now = timezone.now()
    adapt = json_adapter()
    with transaction.atomic():
        ids = ids_reserve(Document, 3)
        rows_insert(
            Document,
            ("id", "corpus", "external_id", "title", "text", "sha256", "source", "url",
             "metadata", "created_at"),
            [(pk, corpus.pk, f"raw-{pk}", "", f"Text {pk}.", f"{pk:064d}", "", "", adapt({}), now)
             for pk in ids],
        )  # fmt: skip
        layers = ids_reserve(Annotation, 2)
        rows_insert(
            Annotation,
            ("id", "document", "kind", "model_name", "model_version", "status", "version",
             "origin", "attributes", "created_at", "updated_at"),
            [(layer, document, "prediction", "raw", "", "draft", 1, adapt({}), adapt({}), now, now)
             for layer, document in zip(layers, ids[:2], strict=True)],
        )  # fmt: skip
    assert assert_states_kept(corpus) == {
        **dict.fromkeys(DocumentState.ALL, 0),
        DocumentState.NEW: 1,
        DocumentState.PREANNOTATED: 2,
    }


def test_an_import_settles_the_states_and_counts_of_new_and_existing_documents(db, tmp_path):
    """The import pauses the triggers for its own transaction and settles each batch at
    once: the states and counts must be what the triggers would have made."""
    corpus = CorpusFactory(slug="news")
    started = DocumentFactory(corpus=corpus, text="Rebels shelled Homs on Monday.")
    AnnotationFactory(document=started, kind="annotator", user=UserFactory(), model_name="")
    untouched = DocumentFactory(corpus=corpus, text="Talks resumed in Geneva.")
    records = [
        {"text": started.text, "entities": [{"start": 15, "end": 19, "label": "GPE"}]},
        {"text": untouched.text, "entities": [{"start": 18, "end": 24, "label": "GPE"}]},
        {"text": "Annan flew to Damascus.", "entities": [{"start": 0, "end": 5, "label": "PER"}]},
        {"text": "Nothing was marked in this one."},
    ]
    path = tmp_path / "news.jsonl"
    path.write_text("\n".join(json.dumps(record) for record in records) + "\n")

    call_command("import_documents", "news", str(path), stdout=io.StringIO())

    assert StatePause.objects.count() == 0
    assert state_of(started) == DocumentState.IN_PROGRESS
    assert state_of(untouched) == DocumentState.PREANNOTATED
    assert assert_states_kept(corpus) == {
        **dict.fromkeys(DocumentState.ALL, 0),
        DocumentState.NEW: 1,
        DocumentState.PREANNOTATED: 2,
        DocumentState.IN_PROGRESS: 1,
    }


def test_new_documents_go_in_with_their_layers_state_and_are_restated_when_left_out(db):
    """An import inserts a new document in the state its layer will give it; where the
    layer is left out (nothing valid in it), the settling puts the document back to new."""
    corpus = CorpusFactory(slug="news")
    records = [
        {"text": "Annan flew to Damascus.", "entities": [{"start": 0, "end": 5, "label": "PER"}]},
        {"text": "An empty layer.", "entities": []},
        {"text": "A span past the end.", "entities": [{"start": 3, "end": 99, "label": "PER"}]},
    ]
    items = [
        ArticleRecord(text=r["text"], source="feed", line=n + 1) for n, r in enumerate(records)
    ]
    for item, record in zip(items, records, strict=True):
        item.annotations = RecordAnnotations(
            spans=[SpanRecord(e["start"], e["end"], e["label"], "T1") for e in record["entities"]]
        )
    records_import(corpus=corpus, records=items, format="jsonl", options=ImportOptions())
    assert [state_of(Document.objects.get(text=r["text"])) for r in records] == [
        DocumentState.PREANNOTATED,
        DocumentState.NEW,
        DocumentState.NEW,
    ]
    assert assert_states_kept(corpus)[DocumentState.NEW] == 2
    gold = [ArticleRecord(text="Kofi Annan spoke.", source="feed", line=1)]
    gold[0].annotations = RecordAnnotations(spans=[SpanRecord(0, 10, "PER", "T1")])
    records_import(corpus=corpus, records=gold, format="jsonl", options=ImportOptions(layer="gold"))
    assert state_of(Document.objects.get(text="Kofi Annan spoke.")) == DocumentState.REVIEWED
    assert assert_states_kept(corpus)[DocumentState.REVIEWED] == 1


def test_a_bulk_write_that_fails_takes_its_pause_with_it(db):
    """A pause that outlived its transaction would stop the triggers for everyone."""
    corpus = CorpusFactory()
    document = DocumentFactory(corpus=corpus)
    paused = []

    def failing_batch() -> None:
        with states_settled(Document.objects.filter(pk=document.pk)):
            paused.append(StatePause.objects.count())
            raise RuntimeError("the batch failed")

    with transaction.atomic():
        with pytest.raises(RuntimeError):
            failing_batch()
        assert StatePause.objects.count() == 0
    assert paused == [1]

    AnnotationFactory(document=document)
    assert state_of(document) == DocumentState.PREANNOTATED
    assert assert_states_kept(corpus)[DocumentState.PREANNOTATED] == 1


def test_many_count_rows_fold_into_one_per_state_and_keep_the_counts(db):
    corpus = CorpusFactory()
    documents = DocumentFactory.create_batch(FOLD_AT + 1, corpus=corpus)
    AnnotationFactory(document=documents[0])
    rows = DocumentStateCount.objects.filter(corpus_id=corpus.pk)
    assert rows.count() > FOLD_AT
    expected = {**dict.fromkeys(DocumentState.ALL, 0), "new": FOLD_AT, "pre-annotated": 1}
    assert document_state_counts(corpus=corpus) == expected  # reads, then folds
    assert rows.count() == 2
    assert assert_states_kept(corpus) == expected


def test_deleting_a_corpus_deletes_its_counts(db):
    corpus = CorpusFactory()
    AnnotationFactory(document=DocumentFactory(corpus=corpus))
    pk = corpus.pk
    corpus.delete()
    assert not DocumentStateCount.objects.filter(corpus_id=pk).exists()
