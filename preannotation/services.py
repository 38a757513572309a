"""Pre-annotation runs: start one, run its batches (in a worker or the foreground), resume it.

A run is cut into batches of document ids; each batch is a background task
(`preannotation.tasks.preannotate_batch`, queued by `preannotation.tasks.run_enqueue` once
the run is committed) or, with `preannotate --now`, a loop in the command.

Documents are written a few per transaction; each write also counts the document as done,
after checking under a row lock that it is not done yet: batches may run twice (a resumed
run, a worker killed and restarted) and still every document is processed once.
"""

from collections import Counter
from collections.abc import Callable, Iterator

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.utils import timezone
from spacy.util import minibatch

from annotations.document_selection import DocumentSelection, selection_documents
from annotations.labels import LabelIndex
from annotations.models import Annotation
from config.errors import InvalidInput
from corpus.models import Corpus, Document
from corpus.nlp.analysis import Analysis, AnalysisFailure
from corpus.nlp.pipeline import ModelIdentity, model_identity
from learning.models import ModelVersion
from learning.predict import version_analyses
from learning.selectors import corpus_active_model
from preannotation.models import PreannotationFailure, PreannotationRun, RunDocument
from preannotation.predictions import prediction_of, predictions_replace


def preannotation_start(
    *,
    corpus: Corpus,
    pipeline: str | None = None,
    only_missing: bool = False,
    user: AbstractBaseUser | None = None,
    selection: DocumentSelection | None = None,
) -> PreannotationRun:
    """Create a run over `corpus` (the documents of `selection` only, if given); the caller
    queues its batches or runs them.

    Raises InvalidInput when there is nothing to do (no document, or none missing predictions
    with `only_missing`).
    """
    selection = selection if selection and not selection.everything else None
    pipeline = pipeline or settings.SPACY_MODEL
    learned = corpus_active_model(corpus)
    model = corpus_model_identity(pipeline, learned)
    with transaction.atomic():
        run = PreannotationRun.objects.create(
            corpus=corpus,
            pipeline=pipeline,
            learned=learned,
            model_name=model.name,
            model_version=model.version,
            only_missing=only_missing,
            last_document=corpus.documents.aggregate(last=Max("pk"))["last"] or 0,
            requested_by=user,
            selection=selection.query() if selection else "",
        )
        if selection:
            chosen = selection_documents(corpus=corpus, selection=selection).values_list("pk")
            RunDocument.objects.bulk_create(
                (RunDocument(run=run, document_id=pk) for (pk,) in chosen.iterator(2000)),
                batch_size=5000,
            )
        run.total = run_pending(run).count()
        if run.total == 0:
            raise InvalidInput(_nothing_to_do(corpus, model, only_missing, selection))
        run.save(update_fields=["total"])
    return run


def corpus_model_identity(pipeline: str, learned: ModelVersion | None) -> ModelIdentity:
    """The name and version its prediction layers record: the pipeline's, with the corpus's
    model version after a "+" (`3.8.0+v2`) when one is active.

    The name stays the pipeline's, so a run with a new version replaces the layer of the last.
    """
    model = model_identity(pipeline)
    if learned is None:
        return model
    return ModelIdentity(model.name, f"{model.version}+{learned.label}")


def _nothing_to_do(
    corpus: Corpus, model: ModelIdentity, only_missing: bool, selection: DocumentSelection | None
) -> str:
    if selection and only_missing:
        return (
            f"Nothing to pre-annotate: every document of the selection already has predictions "
            f"from {model.name} {model.version}."
        )
    if selection:
        return "Nothing to pre-annotate: no document of the corpus matches the selection."
    if only_missing and corpus.documents.exists():
        return (
            f"Nothing to pre-annotate: every document of {corpus.slug} already has predictions "
            f"from {model.name} {model.version}."
        )
    return f"Nothing to pre-annotate: corpus {corpus.slug} has no documents yet."


def preannotation_resume(*, run: PreannotationRun) -> int:
    """Reopen `run` for what it has not done (failed documents included); return how many.

    The caller queues its pending batches for the workers, or runs them
    (`preannotate --resume --now`). A run with nothing left (its last batch ended just
    before) stays finished: no batch would come to finish it.
    """
    with transaction.atomic():
        run.failures.all().delete()
        # Until `run_enqueue` queues it again, no worker's: the attempts start over.
        PreannotationRun.objects.filter(pk=run.pk).update(
            finished_at=None, in_background=False, attempts=0
        )
        run.finished_at, run.in_background, run.attempts = None, False, 0
        pending = run_pending(run).count()
        if not pending:
            run_finish_if_done(run)
            run.refresh_from_db(fields=["finished_at"])
        return pending


def run_pending(run: PreannotationRun, *, failed: bool = True) -> QuerySet[Document]:
    """Documents of the run that no batch has written yet (without failed ones if not `failed`)."""
    documents = run.corpus.documents.filter(pk__lte=run.last_document).exclude(annotations__run=run)
    if run.selection:
        documents = documents.filter(pk__in=run.selected.values("document_id"))
    if not failed:
        documents = documents.exclude(pk__in=run.failures.values("document"))
    if run.only_missing:
        documents = documents.exclude(
            annotations__kind=Annotation.Kind.PREDICTION,
            annotations__model_name=run.model_name,
            annotations__model_version=run.model_version,
        )
    return documents.order_by("pk")


def run_batches(
    run: PreannotationRun,
    *,
    batch_size: int | None = None,
    failed: bool = True,
    among: list[int] | None = None,
) -> Iterator[list[int]]:
    """Yield the ids of the run's pending documents (`among` these), a batch at a time."""
    size = batch_size or settings.PREANNOTATE_BATCH_SIZE
    last_pk = 0  # keyset pagination
    pending = run_pending(run, failed=failed).values_list("pk", flat=True)
    if among is not None:
        pending = pending.filter(pk__in=among)
    while batch := list(pending.filter(pk__gt=last_pk)[:size]):
        yield batch
        last_pk = batch[-1]


def run_batch(
    run: PreannotationRun,
    document_ids: list[int],
    *,
    on_document: Callable[[], None] | None = None,
) -> int:
    """Analyse and write the run's documents among `document_ids`; return how many were written.

    Documents already done by this run are skipped; a document the pipeline cannot
    process is recorded as a failure and the others go on.
    """
    labels = LabelIndex.of(run.corpus.schema)
    model = ModelIdentity(run.model_name, run.model_version)
    # With its corpus: reading `corpus.documents` sets each document's corpus, and a deferred
    # corpus_id would cost a query per document.
    pending = run_pending(run).filter(pk__in=document_ids)
    documents = list(pending.only("pk", "corpus", "text"))
    results = version_analyses(  # the pipeline, and what the corpus learned from its gold
        corpus=run.corpus,
        pipeline=run.pipeline,
        version=run.learned,
        texts=[document.text for document in documents],
        batch_size=settings.PREANNOTATE_BATCH_SIZE,
    )
    written = 0
    for chunk in minibatch(zip(documents, results, strict=True), size=WRITE_CHUNK):
        written += _chunk_write(run, chunk, model, labels, on_document)
    run_finish_if_done(run)
    return written


# Documents written per transaction: one commit per chunk rather than per document is
# most of the write cost on SQLite, and the chunk's layers are written together, one
# statement per table; a chunk is still all-or-nothing.
WRITE_CHUNK = 8


@transaction.atomic
def _chunk_write(
    run: PreannotationRun,
    chunk: list[tuple[Document, Analysis | AnalysisFailure]],
    model: ModelIdentity,
    labels: LabelIndex,
    on_document: Callable[[], None] | None,
) -> int:
    """Write a few documents in one transaction, each unless it is done (`_documents_done`).

    The chunk's documents are locked first, all of them in id order, and stay locked until
    the transaction commits, so what `_documents_done` finds stays true until then. Locking
    all first matters: once a document is written the transaction holds rows every writer
    shares (the run's counts), and it must not then wait for a document that another writer
    holds and that writer for those rows. (Two deliveries of one batch, cut into chunks that
    do not line up, deadlocked so.) A document the pipeline failed on, or whose predictions
    are over the layer limits, is recorded as a failure and the others are written.
    """
    pks = [document.pk for document, _ in chunk]
    list(Document.objects.select_for_update().filter(pk__in=pks).order_by("pk").values("pk"))
    done = _documents_done(run, pks, model)
    predictions = []
    for document, result in chunk:
        if document.pk in done:
            continue
        if isinstance(result, AnalysisFailure):
            _failure_record(run, document, result.message)
            continue
        try:
            predictions.append(prediction_of(document, result))
        except InvalidInput as error:  # predictions over the layer limits
            _failure_record(run, document, error.message)
    predictions_replace(predictions, model=model, labels=labels, run=run)
    if on_document:
        for _ in chunk:
            on_document()
    return len(predictions)


def _documents_done(run: PreannotationRun, pks: list[int], model: ModelIdentity) -> set[int]:
    """Those of `pks` another batch of this run already wrote, or, for a run of only missing
    documents, another run wrote with this model and version since the batch began."""
    layers = Annotation.objects.filter(document__in=pks)
    done = Q(run=run)
    if run.only_missing:
        done |= Q(
            kind=Annotation.Kind.PREDICTION, model_name=model.name, model_version=model.version
        )
    return set(layers.filter(done).values_list("document_id", flat=True))


def _failure_record(run: PreannotationRun, document: Document, message: str) -> None:
    PreannotationFailure.objects.get_or_create(
        run=run, document=document, defaults={"message": message}
    )


def run_finish_if_done(run: PreannotationRun) -> None:
    """Mark the run finished once every document is processed, failed or deleted."""
    run.refresh_from_db(fields=["processed", "total"])
    done = run.processed + run.failures.count() >= run.total
    if done or not run_pending(run, failed=False).exists():
        PreannotationRun.objects.filter(pk=run.pk, finished_at__isnull=True).update(
            finished_at=timezone.now()
        )


def run_unmapped(run: PreannotationRun) -> Counter[str]:
    """Model labels the schema has no type for, dropped over the whole run, with counts."""
    unmapped: Counter[str] = Counter()
    for origin in run.layers.values_list("origin", flat=True):
        unmapped.update(origin.get("unmapped") or {})
    return unmapped


def run_describe(run: PreannotationRun) -> str:
    """One line for the command line: what the run did."""
    run.refresh_from_db()
    text = (
        f"{run.processed} of {run.total} documents pre-annotated with {run.model_name} "
        f"{run.model_version}: {run.entities} entities, {run.events} events"
    )
    failed = run.failures.count()
    if failed:
        text += f"; {failed} failed"
    unmapped = run_unmapped(run)
    if unmapped:
        dropped = ", ".join(f"{label} {n}" for label, n in unmapped.most_common())
        text += f"; model labels without a schema type, dropped: {dropped}"
    return text
