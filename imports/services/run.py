"""Run an import: read records, clean and deduplicate them, write documents and layers."""

import gc
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import reset_queries, transaction

from annotations.limits import layer_content_check
from annotations.models import Annotation
from annotations.selectors import DocumentState
from annotations.services.layers.schema_rules import SchemaRules
from annotations.services.state_batch import states_settled
from config.errors import InvalidInput
from corpus.models import Corpus, Document
from corpus.services.documents import (
    BATCH_SIZE,
    PreparedDocument,
    document_prepare,
    documents_insert,
)
from corpus.services.schemas import corpus_schema_own
from formats.files import ImportSource
from formats.reading import records_read
from formats.records import ArticleRecord, Problem
from imports.services.drafts import DraftBuilder
from imports.services.labels import LabelResolver
from imports.services.layers import PendingLayer, layers_write
from imports.services.summary import ImportOptions, ImportSummary

# At most this many input records between two checkpoints, even when few of them become
# documents (a file of bad lines), so the problems waiting to be written stay few.
CHECKPOINT_RECORDS = 2000

# The state an imported layer gives a new document: the settle pass writes a document again
# only where this is wrong (a layer left out), and an UPDATE of every new document's state
# was a fifth of an annotated import on PostgreSQL (bench.import --annotated --postgres).
EXPECTED_STATES = {
    Annotation.Kind.PREDICTION: DocumentState.PREANNOTATED,
    Annotation.Kind.GOLD: DocumentState.REVIEWED,  # imported gold is reviewed
}

# Called inside each batch's transaction with the summary so far and how many input
# records (problems included) it accounts for: what a job needs to resume after a crash.
Checkpoint = Callable[[ImportSummary, int], None]


@dataclass(frozen=True)
class Resume:
    """Where a stopped import starts again: the records its committed batches consumed and
    the counts they made. The same input is read again and those records are skipped."""

    records_done: int
    summary: ImportSummary


def import_run(
    *,
    corpus: Corpus,
    source: ImportSource,
    options: ImportOptions,
    on_progress: Callable[[ImportSummary], None] | None = None,
    on_problem: Callable[[Problem], None] | None = None,
    on_checkpoint: Checkpoint | None = None,
    resume: Resume | None = None,
) -> ImportSummary:
    """Import every valid record of `source` into `corpus`; report every bad one.

    `on_progress` is called after every batch and at the end (`source.bytes_read` of
    `source.total_bytes` is the fraction done); `on_problem` with each problem as met;
    `on_checkpoint` inside each batch's transaction (see `Checkpoint`). Documents are
    written in batches, each batch with its layers in one transaction. With `resume`,
    the first `resume.records_done` records are skipped and its counts go on growing.
    """
    format, records = records_read(source, format=options.format, options=options.read)
    return records_import(
        corpus=corpus,
        records=records,
        format=format,
        options=options,
        on_progress=on_progress,
        on_problem=on_problem,
        on_checkpoint=on_checkpoint,
        resume=resume,
    )


def records_import(
    *,
    corpus: Corpus,
    records: Iterable[ArticleRecord | Problem],
    format: str,
    options: ImportOptions,
    on_progress: Callable[[ImportSummary], None] | None = None,
    on_problem: Callable[[Problem], None] | None = None,
    on_checkpoint: Checkpoint | None = None,
    resume: Resume | None = None,
) -> ImportSummary:
    """Import records already read (in `format`); see `import_run`."""
    if options.add_labels:
        corpus_schema_own(corpus)  # adding to a schema other corpora share would change theirs
    run = _Run(corpus, options, on_problem, on_checkpoint, resume)
    run.summary.format = format
    batch: list[PreparedDocument] = []
    consumed = 0  # input records read, problems included
    with _collected_per_batch() as collect:
        for record in records:
            consumed += 1
            if consumed <= run.records_done:
                continue  # committed before the worker stopped: counted in the resumed summary
            if isinstance(record, Problem):
                run.report(record)
            else:
                prepared = document_prepare(corpus=corpus, record=record, rules=options.cleaning)
                if isinstance(prepared, Problem):
                    run.report_all(record.warnings)
                    run.report(prepared)
                else:
                    batch.append(prepared)
            if len(batch) >= BATCH_SIZE or consumed - run.records_done >= CHECKPOINT_RECORDS:
                run.flush(batch, records_done=consumed)
                batch = []
                collect()
                if on_progress:
                    on_progress(run.summary)
        run.flush(batch, records_done=max(consumed, run.records_done))
    if on_progress:
        on_progress(run.summary)
    return run.summary


@contextmanager
def _collected_per_batch() -> Iterator[Callable[[], None]]:
    """Leave garbage collection to the import, once a batch; yield what collects.

    An import makes hundreds of thousands of small objects (records, items, rows) that live
    until their batch is written, so the collector ran its passes again and again over them,
    and over every object of Django and the app: a fifth of an annotated import's time
    (bench/import_annotated.py). Inside, the collector is off and the objects the process
    held before are frozen (left out of every pass); one pass after each batch collects
    what the batch left, so memory stays flat.
    """
    enabled = gc.isenabled()
    gc.freeze()
    gc.disable()
    try:
        yield gc.collect
    finally:
        if enabled:
            gc.enable()
        gc.unfreeze()


class _Run:
    """One import's shared state: the summary, label resolution and the layer kind."""

    def __init__(
        self,
        corpus: Corpus,
        options: ImportOptions,
        on_problem: Callable[[Problem], None] | None,
        on_checkpoint: Checkpoint | None,
        resume: Resume | None,
    ) -> None:
        self.corpus = corpus
        self.options = options
        self.on_problem = on_problem
        self.on_checkpoint = on_checkpoint
        self.summary = resume.summary if resume else ImportSummary()
        self.records_done = resume.records_done if resume else 0
        self.added_before = list(self.summary.added)  # by the run the worker stopped
        self.layered: dict[int, str] = {}  # document id → the record that gave its layer
        self.kind = Annotation.Kind.GOLD if options.layer == "gold" else Annotation.Kind.PREDICTION
        self.resolver = LabelResolver(
            corpus.schema, label_map=options.label_map, add_labels=options.add_labels
        )
        self.builder = DraftBuilder(
            self.resolver, SchemaRules.of(corpus.schema), gold=self.kind == Annotation.Kind.GOLD
        )
        self.builder.missing.update(self.summary.missing)

    def report(self, problem: Problem) -> None:
        self.summary.add_problem(problem)
        if self.on_problem:
            self.on_problem(problem)

    def report_all(self, problems: list[Problem]) -> None:
        for problem in problems:
            self.report(problem)

    def flush(self, batch: list[PreparedDocument], *, records_done: int) -> None:
        """Write a batch of documents and their layers, with the checkpoint, atomically.

        `records_done` counts the input records read up to the end of the batch; with a
        checkpoint, an empty batch still records the problems met since the last one.
        """
        if not batch and self.on_checkpoint is None:
            self._account(records_done)
            return
        with transaction.atomic():
            if batch:
                self._write(batch)
            self._account(records_done)
            if self.on_checkpoint:
                self.on_checkpoint(self.summary, records_done)
        reset_queries()  # with DEBUG on, Django would keep every statement of a long import

    def _account(self, records_done: int) -> None:
        self.records_done = records_done
        self.summary.missing = self.builder.missing
        self.summary.added = [*self.added_before, *self.resolver.added]

    def _write(self, batch: list[PreparedDocument]) -> None:
        for item in batch:  # a new document goes in with the state its layer will give it
            if item.record.annotations is not None:
                item.state = EXPECTED_STATES[self.kind]
        shas = {item.sha256 for item in batch}
        # Unordered, so SQLite reads the unique index (corpus, sha256), not the whole corpus.
        texts = Document.objects.filter(corpus=self.corpus, sha256__in=shas).order_by()
        with states_settled(texts):
            created = documents_insert(self.corpus, batch)
            pending = self._layers_pending(batch)
            written, kept = layers_write(
                pending,
                kind=self.kind,
                format=self.summary.format,
                labels=self.resolver.labels(),
                user=self.options.user,
            )
        self.summary.created += created
        self.summary.duplicates += len(batch) - created
        self.summary.layers += written
        for layer in pending:
            if layer.document_id in kept:
                layer.record.warn("the document already has a gold layer; it was left as it is")
            else:
                self.summary.items.update(layer.counts)
        for item in batch:
            self.report_all(item.record.warnings)

    def _layers_pending(self, batch: list[PreparedDocument]) -> list[PendingLayer]:
        """Drafts for the batch's annotated records, one per document in the whole import."""
        pending = []
        for item in batch:
            if item.record.annotations is None or item.pk is None:
                continue
            if item.pk in self.layered:
                item.record.warn(
                    f"the same text as {self.layered[item.pk]} came earlier in this import;"
                    " this copy's annotations were not imported"
                )
                continue
            layer = self._pending(item.pk, item)
            try:
                layer_content_check(layer.content, where="Its layer")
            except InvalidInput as error:
                item.record.warn(f"{error.message} Its annotations were not imported.")
                continue
            layer.counts = layer.content.counts()
            if self.kind == Annotation.Kind.PREDICTION and not layer.counts.total():
                continue  # an empty prediction layer would hide the model's
            self.layered[item.pk] = item.source
            pending.append(layer)
        return pending

    def _pending(self, document_id: int, item: PreparedDocument) -> PendingLayer:
        record = item.record
        origin = {"format": self.summary.format, "file": record.source}
        if record.line:
            origin["line"] = record.line
        if self.options.user is not None:
            origin["imported_by"] = self.options.user.get_username()
        return PendingLayer(document_id, self.builder.build(record), origin, record)
