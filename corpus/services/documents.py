"""Import article records into a corpus: clean, deduplicate by text hash, write in batches."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import transaction

from corpus.cleaning import clean_article
from corpus.importers.records import ArticleRecord, Problem
from corpus.models import Corpus, Document
from corpus.models.document import text_sha256

BATCH_SIZE = 500


@dataclass
class ImportSummary:
    """Counts of what an import did, and every problem it met."""

    created: int = 0
    duplicates: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def failed(self) -> int:
        return len(self.problems)

    def __str__(self) -> str:
        return f"{self.created} new, {self.duplicates} duplicate, {self.failed} failed"


def documents_import(
    *,
    corpus: Corpus,
    records: Iterable[ArticleRecord | Problem],
    on_record: Callable[[], None] | None = None,
) -> ImportSummary:
    """Import records into `corpus`, skipping texts it already holds; report problems."""
    summary = ImportSummary()
    batch: list[Document] = []
    for record in records:
        if isinstance(record, Problem):
            summary.problems.append(record)
        else:
            document = document_build(corpus=corpus, record=record)
            if document is None:
                summary.problems.append(Problem(record.source, "no text left after cleaning"))
            else:
                batch.append(document)
        if len(batch) >= BATCH_SIZE:
            _write_batch(corpus, batch, summary)
            batch = []
        if on_record:
            on_record()
    _write_batch(corpus, batch, summary)
    return summary


def document_build(*, corpus: Corpus, record: ArticleRecord) -> Document | None:
    """Return an unsaved document for a record, with boilerplate moved into metadata."""
    cleaned = clean_article(record.text, corpus.cleaning.get("rules"))
    if not cleaned.text:
        return None
    metadata = dict(record.metadata)
    if cleaned.text != record.text:
        metadata["raw_text"] = record.text
        metadata.update(cleaned.removed)
    return Document(
        corpus=corpus,
        external_id=cleaned.external_id or record.external_id,
        title=record.title,
        text=cleaned.text,
        sha256=text_sha256(cleaned.text),
        source=record.source,
        url=record.url,
        published=record.published,
        metadata=metadata,
    )


def _write_batch(corpus: Corpus, batch: list[Document], summary: ImportSummary) -> None:
    """Insert the documents whose text is new to the corpus (and new within the batch)."""
    if not batch:
        return
    hashes = {document.sha256 for document in batch}
    known = set(corpus.documents.filter(sha256__in=hashes).values_list("sha256", flat=True))
    fresh: dict[str, Document] = {}
    for document in batch:
        if document.sha256 in known or document.sha256 in fresh:
            summary.duplicates += 1
        else:
            fresh[document.sha256] = document
    with transaction.atomic():
        Document.objects.bulk_create(fresh.values(), ignore_conflicts=True)
    summary.created += len(fresh)
