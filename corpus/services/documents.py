"""Turn article records into documents: clean, hash, and insert the new ones in batches."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from corpus.cleaning import clean_article
from corpus.importers.records import ArticleRecord, Problem, RecordAnnotations
from corpus.models import Corpus, Document
from corpus.models.document import text_sha256

BATCH_SIZE = 500


@dataclass
class PreparedDocument:
    """A record ready to insert: the unsaved document, and the record it came from."""

    document: Document
    record: ArticleRecord


def document_prepare(
    *, corpus: Corpus, record: ArticleRecord, rules: dict[str, bool] | None = None
) -> PreparedDocument | Problem:
    """Clean a record (the corpus's rules, overridden by `rules`) into an unsaved document.

    Boilerplate goes to metadata with the raw text. A record's annotations are shifted to
    the cleaned text; when some lie in the boilerplate the text is left as it was instead.
    """
    cleaned = clean_article(record.text, {**corpus.cleaning.get("rules", {}), **(rules or {})})
    annotations = record.annotations
    if annotations and not _inside(annotations, cleaned.start, len(cleaned.text)):
        record.warn("annotations lie in the boilerplate, so the text was kept as it is")
        cleaned = clean_article(
            record.text, {"id_line": False, "captions": False, "trailers": False}
        )
    if not cleaned.text.strip():
        return Problem(record.source, "no text left after cleaning", line=record.line)
    if annotations and cleaned.start:
        _shift(annotations, -cleaned.start)
    metadata = dict(record.metadata)
    if cleaned.text != record.text:
        metadata["raw_text"] = record.text
        metadata["raw_text_start"] = cleaned.start
        metadata.update(cleaned.removed)
    return PreparedDocument(
        document=Document(
            corpus=corpus,
            external_id=(cleaned.external_id or record.external_id)[:200],
            title=record.title[:500],
            text=cleaned.text,
            sha256=text_sha256(cleaned.text),
            source=_source(record)[:500],
            url=record.url[:2000],
            published=record.published,
            metadata=metadata,
        ),
        record=record,
    )


def documents_insert(
    corpus: Corpus, batch: list[PreparedDocument]
) -> tuple[list[PreparedDocument], list[tuple[int, PreparedDocument]]]:
    """Insert the documents new to the corpus; return them and `(existing id, duplicate)` pairs.

    A text repeated within the batch counts as a duplicate of its first occurrence.
    """
    hashes = {item.document.sha256 for item in batch}
    known = dict(corpus.documents.filter(sha256__in=hashes).values_list("sha256", "pk").iterator())
    fresh: dict[str, PreparedDocument] = {}
    repeated: list[PreparedDocument] = []
    duplicates: list[tuple[int, PreparedDocument]] = []
    for item in batch:
        sha = item.document.sha256
        if sha in known:
            duplicates.append((known[sha], item))
        elif sha in fresh:
            repeated.append(item)
        else:
            fresh[sha] = item
    created = _insert(list(fresh.values()))
    duplicates.extend((fresh[item.document.sha256].document.pk, item) for item in repeated)
    return created, duplicates


def _insert(items: list[PreparedDocument]) -> list[PreparedDocument]:
    """Bulk insert; if another import wrote one of the texts meanwhile, insert one by one."""
    try:
        with transaction.atomic():
            Document.objects.bulk_create([item.document for item in items])
        return items
    except IntegrityError:
        pass
    created = []
    for item in items:
        item.document.pk = None
        try:
            with transaction.atomic():
                item.document.save(force_insert=True)
            created.append(item)
        except IntegrityError:
            continue
    return created


def _source(record: ArticleRecord) -> str:
    return f"{record.source}, line {record.line}" if record.line else record.source


def _inside(annotations: RecordAnnotations, start: int, length: int) -> bool:
    """Whether every annotation that lies in the text lies in `[start, start + length)`."""
    items: Iterable = [*annotations.spans, *annotations.events]
    return all(
        start <= item.start and item.end <= start + length
        for item in items
        if 0 <= item.start < item.end
    )


def _shift(annotations: RecordAnnotations, delta: int) -> None:
    for item in [*annotations.spans, *annotations.events]:
        item.start += delta
        item.end += delta
