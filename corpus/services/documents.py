"""Turn article records into documents: clean, hash, and insert the new ones in batches."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from operator import attrgetter
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Field
from django.utils import timezone

from config.inserts import values_insert
from corpus.cleaning import DEFAULT_RULES, clean_article
from corpus.models import Corpus, Document
from corpus.models.document import NEW, text_sha256
from formats.records import ArticleRecord, Problem, RecordAnnotations

BATCH_SIZE = 500


@dataclass
class PreparedDocument:
    """A record ready to insert: the document's fields, the record, and its id once saved."""

    record: ArticleRecord
    text: str
    sha256: str
    external_id: str = ""
    title: str = ""
    source: str = ""
    url: str = ""
    published: datetime.date | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    # The state it goes in with: the state its layers will give it, as the importer expects
    # them, so that settling the states after its layers (annotations.services.state_batch)
    # rewrites only the documents it got wrong.
    state: str = NEW
    pk: int | None = None


# What a prepared document gives of a document's fields, by name.
PREPARED_FIELDS = frozenset(prepared.name for prepared in fields(PreparedDocument))


def document_prepare(
    *, corpus: Corpus, record: ArticleRecord, rules: dict[str, bool] | None = None
) -> PreparedDocument | Problem:
    """Clean a record (the corpus's rules, overridden by `rules`) into a document to insert.

    Boilerplate goes to metadata with the raw text. A record's annotations are shifted to
    the cleaned text; when some lie in the boilerplate the text is left as it was instead.
    """
    cleaned = clean_article(record.text, {**corpus.cleaning.get("rules", {}), **(rules or {})})
    annotations = record.annotations
    if annotations and not _inside(annotations, cleaned.start, len(cleaned.text)):
        record.warn("annotations lie in the boilerplate, so the text was kept as it is")
        cleaned = clean_article(record.text, dict.fromkeys(DEFAULT_RULES, False))
    if not cleaned.text.strip():
        return Problem(record.source, "no text left after cleaning", line=record.line)
    if "\x00" in record.text:  # PostgreSQL cannot store it, and no article holds one
        where = record.text.index("\x00")
        return Problem(record.source, f"the text holds a NUL character (at {where})", record.line)
    if annotations and cleaned.start:
        _shift(annotations, -cleaned.start)
    metadata = dict(record.metadata)
    if cleaned.text != record.text:
        metadata["raw_text"] = record.text
        metadata["raw_text_start"] = cleaned.start
        metadata.update(cleaned.removed)
    if _holds_nul(metadata):
        return Problem(record.source, "the metadata holds a NUL character", record.line)
    return PreparedDocument(
        record=record,
        text=cleaned.text,
        sha256=text_sha256(cleaned.text),
        external_id=(cleaned.external_id or record.external_id)[:200],
        title=record.title[:500],
        source=_source(record)[:500],
        url=record.url[:2000],
        published=record.published,
        metadata=metadata,
    )


def documents_insert(corpus: Corpus, batch: list[PreparedDocument]) -> int:
    """Insert the documents whose text is new to the corpus; return how many were new.

    Rows go in with one `executemany` that skips texts the corpus holds (its unique
    constraint), so a duplicate costs nothing and concurrent imports cannot clash; building
    model instances would cost more than the insert itself. Items that carry annotations get
    `pk`, new or not, since their layers need it.
    """
    unique: dict[str, PreparedDocument] = {}
    for item in batch:
        unique.setdefault(item.sha256, item)
    created = _insert(corpus, list(unique.values())) if unique else 0
    annotated = {item.sha256 for item in batch if item.record.annotations is not None}
    if annotated:
        # Unordered: ordered by id, SQLite walks the whole corpus instead of the unique index.
        rows = Document.objects.filter(corpus=corpus, sha256__in=annotated).order_by()
        ids = dict(rows.values_list("sha256", "pk"))
        for item in batch:
            item.pk = ids.get(item.sha256)
    return created


def _insert(corpus: Corpus, items: list[PreparedDocument]) -> int:
    """Insert rows, skipping texts the corpus already holds; return how many went in.

    The columns are the document's fields that a prepared document gives, then the corpus
    and the time of the batch; the others (tokens, sentences) stay NULL until pre-annotation.
    """
    database = connections[DEFAULT_DB_ALIAS]  # not the proxy, which costs a lookup per value
    ops = database.ops
    columns = [column for column in Document._meta.concrete_fields if not column.primary_key]
    given = [column for column in columns if column.attname in PREPARED_FIELDS]
    shared = {"corpus_id": corpus.pk, "created_at": timezone.now()}
    others = [column for column in columns if column.attname in shared]
    constants = [column.get_db_prep_save(shared[column.attname], database) for column in others]
    read = attrgetter(*(column.attname for column in given))
    # The items hold values of the fields' Python types (prepared): what is left is the
    # database's adaptation, as the ORM does it, for the fields that have one (dates,
    # JSON); text goes in as it is, which saves a call per value.
    adapted = [
        (index, column.get_db_prep_value)
        for index, column in enumerate(given)
        if type(column).get_db_prep_value is not Field.get_db_prep_value
    ]
    rows = []
    for item in items:
        row = [*read(item), *constants]
        for index, adapt in adapted:
            row[index] = adapt(row[index], database, True)
        rows.append(row)
    names = [column.column for column in [*given, *others]]
    conflict = f"ON CONFLICT ({ops.quote_name('corpus_id')}, {ops.quote_name('sha256')}) DO NOTHING"
    with database.cursor() as cursor:
        return values_insert(cursor, Document._meta.db_table, names, rows, suffix=conflict)


def _holds_nul(value: Any) -> bool:
    """Whether a JSON value has a NUL in any string (PostgreSQL's jsonb refuses them)."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(key) or _holds_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_holds_nul(item) for item in value)
    return False


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
