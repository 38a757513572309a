"""The figures of a corpus's dashboard: progress, who did what and how fast, the labels,
agreement between annotators and each model against gold.

Each figure is one aggregate query, whatever the corpus's size, except agreement, which
reads the compared layers in batches (`review.selectors.corpus_agreement`).
"""

from dataclasses import dataclass, field
from statistics import median
from typing import Any

from django.db.models import Count, Max, Min, Q

from annotations.models import Annotation, Event, Revision, Span
from annotations.selectors import document_state_counts
from corpus.models import Corpus
from review.agreement import ENTITY_EXACT, MODEL, PAIR, TOKEN_KAPPA, AgreementReport
from review.selectors import corpus_agreement

FINISHED_LAYERS = {
    Annotation.Kind.GOLD: Annotation.Status.REVIEWED,
    Annotation.Kind.ANNOTATOR: Annotation.Status.SUBMITTED,
}


@dataclass
class AnnotatorFigures:
    """One annotator's work in a corpus.

    `median_seconds` is the median time from opening a document (its layer's first
    revision) to the last save, over the documents they submitted; `per_hour` is how many
    documents they submit per hour of that editing time.
    """

    username: str
    submitted: int = 0
    draft: int = 0
    skipped: int = 0
    median_seconds: float | None = None
    per_hour: float | None = None


@dataclass
class LabelCounts:
    """Entities by type and events by type, in the gold and in the submitted layers."""

    entities: dict[str, dict[str, int]] = field(default_factory=dict)  # kind -> label -> n
    events: dict[str, dict[str, int]] = field(default_factory=dict)


def annotator_figures(*, corpus: Corpus) -> list[AnnotatorFigures]:
    """Return each annotator's counts by status, time per document and pace (two queries)."""
    figures: dict[str, AnnotatorFigures] = {}
    layers = Annotation.objects.filter(document__corpus=corpus, kind=Annotation.Kind.ANNOTATOR)
    for username, status, count in (
        layers.values_list("user__username", "status").annotate(n=Count("pk")).order_by()
    ):
        person = figures.setdefault(username, AnnotatorFigures(username))
        if status in {"submitted", "draft", "skipped"}:
            setattr(person, status, count)
    spent: dict[str, list[float]] = {}
    revisions = Revision.objects.filter(
        annotation__document__corpus=corpus,
        annotation__kind=Annotation.Kind.ANNOTATOR,
        annotation__status=Annotation.Status.SUBMITTED,
    )
    for username, first, last in (
        revisions.values("annotation_id")
        .annotate(first=Min("created_at"), last=Max("created_at"))
        .values_list("annotation__user__username", "first", "last")
        .order_by()
    ):
        spent.setdefault(username, []).append((last - first).total_seconds())
    for username, seconds in spent.items():
        person = figures.setdefault(username, AnnotatorFigures(username))
        person.median_seconds = median(seconds)
        hours = sum(seconds) / 3600
        person.per_hour = len(seconds) / hours if hours else None
    return sorted(figures.values(), key=lambda person: person.username)


def label_counts(*, corpus: Corpus) -> LabelCounts:
    """Return entity and event counts by type in gold and in submitted layers (two queries)."""
    counts = LabelCounts()
    for model, label, target in (
        (Span, "entity_type__key", counts.entities),
        (Event, "event_type__key", counts.events),
    ):
        rows = (
            model.objects.filter(annotation__document__corpus=corpus)
            .filter(_finished())
            .values_list("annotation__kind", label)
            .annotate(n=Count("pk"))
            .order_by("annotation__kind", "-n", label)
        )
        for kind, key, count in rows:
            target.setdefault(kind, {})[key] = count
    return counts


def _finished() -> Q:
    """The condition on items: their layer is gold and reviewed, or submitted."""
    condition = Q(pk__in=[])
    for kind, status in FINISHED_LAYERS.items():
        condition |= Q(annotation__kind=kind, annotation__status=status)
    return condition


@dataclass
class PairFigures:
    """How well two annotators agree, overall, on the documents both submitted."""

    first: str
    second: str
    documents: int
    scores: dict[str, float | None]  # measure -> F1 (kappa for token_kappa)


def agreement_figures(report: AgreementReport) -> dict[str, Any]:
    """Return the agreement table of annotator pairs and each model's F1 per label against gold."""
    pairs = []
    models: dict[str, dict[str, float | None]] = {}
    for comparison in report.comparisons:
        overall = {row.measure: _score(row) for row in comparison.rows() if row.label is None}
        if comparison.kind == PAIR:
            pairs.append(
                PairFigures(comparison.reference, comparison.other, comparison.documents, overall)
            )
        elif comparison.kind == MODEL:
            models[comparison.other] = {
                row.label: row.f1
                for row in comparison.rows()
                if row.measure == ENTITY_EXACT and row.label is not None
            }
    return {"pairs": pairs, "models": models}


def _score(row) -> float | None:
    return row.kappa if row.measure == TOKEN_KAPPA else row.f1


@dataclass
class Dashboard:
    """Everything the dashboard shows, read once for the page and the API alike."""

    states: dict[str, int]
    annotators: list[AnnotatorFigures]
    labels: LabelCounts
    pairs: list[PairFigures]
    models: dict[str, dict[str, float | None]]


def dashboard_read(*, corpus: Corpus) -> Dashboard:
    """Return the figures of `corpus`'s dashboard."""
    agreement = agreement_figures(corpus_agreement(corpus))
    return Dashboard(
        states=document_state_counts(corpus=corpus),
        annotators=annotator_figures(corpus=corpus),
        labels=label_counts(corpus=corpus),
        pairs=agreement["pairs"],
        models=agreement["models"],
    )


def dashboard_data(dashboard: Dashboard) -> dict[str, Any]:
    """Return the dashboard's figures as the API gives them."""
    return {
        "states": dashboard.states,
        "annotators": [vars(person) for person in dashboard.annotators],
        "entities": dashboard.labels.entities,
        "events": dashboard.labels.events,
        "pairs": [vars(pair) for pair in dashboard.pairs],
        "models": dashboard.models,
    }
