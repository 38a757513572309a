"""An annotated import writes its rows many to a statement and leaves the process as it was."""

import gc
import json

import pytest
from django.core.management import call_command

from annotations.document_search import DocumentSearch, document_search_page
from annotations.models import Annotation, Argument, DocumentStateCount, Span
from config.inserts import ROWS_PER_STATEMENT
from corpus.models import Corpus, Document
from formats.records import ArticleRecord, RecordAnnotations, SpanRecord
from imports.services.run import records_import
from imports.services.summary import ImportOptions

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

WORDS = ROWS_PER_STATEMENT * 2 + 37  # spans of one layer: two full statements and a part


def long_article(number: int, words: int) -> dict:
    """An article of `words` words, each one a GPE span, the first two an attack and its place."""
    text = " ".join(f"w{number}x{index}" for index in range(words))
    entities, start = [], 0
    for index in range(words):
        end = start + len(f"w{number}x{index}")
        entities.append({"id": f"T{index}", "start": start, "end": end, "label": "GPE"})
        start = end + 1
    event = {
        "id": "E1",
        "type": "Conflict.Attack",
        "trigger": {"start": entities[0]["start"], "end": entities[0]["end"]},
        "arguments": [{"role": "Place", "ref": "T1"}],
    }
    return {"id": f"a{number}", "text": text, "entities": entities, "events": [event]}


def test_layers_of_more_spans_than_a_statement_holds_are_stored_whole(tmp_path):
    articles = [long_article(0, WORDS), long_article(1, 3), long_article(2, ROWS_PER_STATEMENT)]
    path = tmp_path / "long.jsonl"
    path.write_text("".join(json.dumps(article) + "\n" for article in articles))

    call_command("import_documents", "news", str(path), "--format", "jsonl", verbosity=0)

    for article in articles:
        layer = Annotation.objects.get(document__external_id=article["id"])
        stored = list(
            Span.objects.filter(annotation=layer)
            .order_by("start")
            .values_list("start", "end", "entity_type__key", "source", "accepted")
        )
        given = [(e["start"], e["end"], "GPE", "model", False) for e in article["entities"]]
        assert stored == given
        argument = Argument.objects.get(event__annotation=layer)
        assert (argument.role.key, argument.span.start) == (
            "Place",
            article["entities"][1]["start"],
        )
    news = Corpus.objects.get(slug="news")  # made by the import, with the ACE 2005 schema
    counts = DocumentStateCount.objects.filter(corpus_id=news.pk, state="pre-annotated")
    assert sum(counts.values_list("documents", flat=True)) == 3
    search = DocumentSearch(q="w2x7")  # a word of the third article only
    assert [
        document.external_id
        for document in document_search_page(corpus=news, search=search).documents
    ] == ["a2"]


def records(count: int, *, fail_at: int | None = None):
    for number in range(count):
        if number == fail_at:
            raise OSError("the disk went away")  # as a reader's file might
        text = f"Shelling reported in Homs on day {number}."
        spans = [SpanRecord(start=21, end=25, label="GPE", ref="T1")]
        yield ArticleRecord(
            text=text, source="feed", line=number + 1, annotations=RecordAnnotations(spans=spans)
        )


def test_an_import_leaves_garbage_collection_as_it_found_it(corpus):
    records_import(corpus=corpus, records=records(3), format="jsonl", options=ImportOptions())
    assert Document.objects.filter(corpus=corpus).count() == 3
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0

    with pytest.raises(OSError, match="disk went away"):
        records_import(
            corpus=corpus, records=records(5, fail_at=2), format="jsonl", options=ImportOptions()
        )
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0

    gc.disable()
    try:
        records_import(corpus=corpus, records=records(4), format="jsonl", options=ImportOptions())
        assert not gc.isenabled()  # what the caller chose stays chosen
    finally:
        gc.enable()


def test_documents_keep_the_order_of_the_file_and_repeated_texts_are_skipped(tmp_path):
    texts = [f"Report {number} from Homs." for number in range(ROWS_PER_STATEMENT + 20)]
    texts[7] = texts[3]  # a repeat within the file
    path = tmp_path / "news.jsonl"
    path.write_text(
        "".join(json.dumps({"id": f"r{n}", "text": t}) + "\n" for n, t in enumerate(texts))
    )

    call_command("import_documents", "news", str(path), "--format", "jsonl", verbosity=0)
    call_command("import_documents", "news", str(path), "--format", "jsonl", verbosity=0)

    stored = list(Document.objects.order_by("pk").values_list("external_id", flat=True))
    assert stored == [f"r{n}" for n in range(len(texts)) if n != 7]
