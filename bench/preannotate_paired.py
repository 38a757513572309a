"""One worker, its tasks and raw `nlp.pipe` over the same documents, taken in turns.

On a shared machine the speed of a core drifts by 10 to 30 % from one minute to the next, so
raw `nlp.pipe` timed in one process and Goldset timed afterwards in another compare two
different machines. Here one worker process runs, for each batch of the run, a bench task
that times `nlp.pipe` alone over the batch's texts (`raw_batch`, with the pipeline and
batch size pre-annotation uses, the texts read before the clock starts) and the real task
(`preannotation.tasks.preannotate_batch`: reading, analysing and writing the batch, timed by
its task row from its claim to its end), which of the two first alternating from one batch
to the next (the second over the same texts finds spaCy's caches warm). Each pair runs a
few seconds apart, in the same process, so both halves see the same machine; the ratio is
the sum of the raw seconds over the sum of the real ones (the same tokens), with the spread
of the pairs' own ratios.
"""

import statistics
import time
from dataclasses import dataclass

from django_tasks import task


@task()
def raw_batch(run_id: int, document_ids: list[int]) -> float:
    """Seconds `nlp.pipe` takes over the texts of `document_ids`, as the run would call it."""
    from django.conf import settings

    from corpus.models import Document
    from corpus.nlp.pipeline import pipeline_load
    from learning.predict import version_spec
    from preannotation.models import PreannotationRun

    run = PreannotationRun.objects.select_related("corpus__schema").get(pk=run_id)
    documents = Document.objects.filter(pk__in=document_ids).order_by("pk")
    texts = list(documents.values_list("text", flat=True))
    nlp = pipeline_load(run.pipeline, schema=version_spec(run.corpus, run.learned))
    started = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=settings.PREANNOTATE_BATCH_SIZE):
        pass
    return time.perf_counter() - started


@dataclass(frozen=True)
class Paired:
    """Raw `nlp.pipe` against Goldset's tasks over the same batches, in one worker, in turns."""

    raw_seconds: float
    task_seconds: float
    pair_ratios: list[float]

    @property
    def ratio(self) -> float:
        return self.raw_seconds / self.task_seconds

    def __str__(self) -> str:
        low, high = min(self.pair_ratios), max(self.pair_ratios)
        return (
            f"raw {self.raw_seconds:.1f} s, tasks {self.task_seconds:.1f} s over "
            f"{len(self.pair_ratios)} batches: {self.ratio:.2f} of raw (pairs: median "
            f"{statistics.median(self.pair_ratios):.2f}, {low:.2f} to {high:.2f})"
        )


def paired_run(corpus, warm, *, worker) -> Paired:
    """Pre-annotate `corpus` with one worker (`worker()` starts it), a raw task before each
    real one, after a run over `warm` (loading the pipeline, untimed); database task backend
    only (its rows keep the times and the raw seconds)."""
    from django_tasks_db.models import DBTaskResult

    from preannotation.services import preannotation_start, run_batches
    from preannotation.tasks import preannotate_batch

    warm_up = preannotation_start(corpus=warm)
    for batch in run_batches(warm_up, batch_size=1):
        preannotate_batch.using(priority=10).enqueue(warm_up.pk, batch)
    run = preannotation_start(corpus=corpus)
    batches = list(run_batches(run))
    raws, reals = [], []
    for number, batch in enumerate(batches):  # which goes first alternates
        for kind in ("raw", "real") if number % 2 == 0 else ("real", "raw"):
            if kind == "raw":
                raws.append(raw_batch.enqueue(run.pk, batch).id)
            else:
                reals.append(preannotate_batch.enqueue(run.pk, batch).id)
    process = worker()
    output, _ = process.communicate()
    if process.returncode:
        raise SystemExit(f"worker failed:\n{output}")
    rows = {str(pk): row for pk, row in DBTaskResult.objects.in_bulk([*raws, *reals]).items()}
    if failed := [row for row in rows.values() if row.finished_at is None or row.traceback]:
        raise SystemExit(f"{len(failed)} tasks failed, the first:\n{failed[0].traceback}")
    raw_seconds = [rows[pk].return_value for pk in raws]
    task_seconds = [(rows[pk].finished_at - rows[pk].started_at).total_seconds() for pk in reals]
    return Paired(
        raw_seconds=sum(raw_seconds),
        task_seconds=sum(task_seconds),
        pair_ratios=[raw / real for raw, real in zip(raw_seconds, task_seconds, strict=True)],
    )
