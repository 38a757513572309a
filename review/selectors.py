"""Reads for review: who may review a corpus, and the layers its agreement compares.

Agreement compares, per document, the submitted annotator layers with each other and
each model's prediction layer with the gold layer. Layers are read in batches of about
200 through `layer_contents_read`, and the counts are added up as they go, so memory
stays flat in the corpus's size.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import combinations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet

from annotations.content import LayerContent
from annotations.models import Annotation
from annotations.services.content import layer_contents_read
from corpus.models import Corpus, Document
from corpus.selectors import corpus_get_for_user
from review.access import corpus_require_reviewing
from review.agreement import (
    ALL_PAIRS,
    MODEL,
    PAIR,
    AgreementReport,
    Comparison,
    Offsets,
    document_tokens,
)

BATCH_SIZE = 200


def corpus_get_for_reviewer(*, user: AbstractBaseUser | AnonymousUser, slug: str) -> Corpus:
    """Return corpus `slug` to owners and reviewers; Forbidden to other members, else NotFound."""
    corpus = corpus_get_for_user(user=user, slug=slug)
    corpus_require_reviewing(user=user, corpus=corpus)
    return corpus


@dataclass
class DocumentLayers:
    """The layers of one document that agreement compares, with the document's tokens."""

    document_id: int
    tokens: Offsets = ()
    annotators: dict[str, LayerContent] = field(default_factory=dict)
    gold: LayerContent | None = None
    predictions: dict[str, LayerContent] = field(default_factory=dict)


@dataclass
class _Planned:
    document_id: int
    annotators: dict[str, int] = field(default_factory=dict)
    gold: int | None = None
    predictions: dict[str, int] = field(default_factory=dict)

    def comparable(self) -> bool:
        return len(self.annotators) >= 2 or (self.gold is not None and bool(self.predictions))

    def layer_ids(self) -> list[int]:
        gold = [] if self.gold is None else [self.gold]
        return [*self.annotators.values(), *gold, *self.predictions.values()]


def agreement_documents(
    corpus: Corpus, *, batch_size: int = BATCH_SIZE
) -> Iterator[DocumentLayers]:
    """Yield, in document order, each document with two submitted layers or gold and a model.

    A batch holds whole documents and about `batch_size` layers; each costs four queries.
    """
    submitted = Q(kind=Annotation.Kind.ANNOTATOR, status=Annotation.Status.SUBMITTED)
    # Only documents with people's work can be compared: a corpus's predictions alone, however
    # many, are never read.
    compared = (
        Annotation.objects.filter(document__corpus=corpus)
        .filter(submitted | Q(kind=Annotation.Kind.GOLD))
        .order_by()
        .values("document_id")
    )
    rows = (
        Annotation.objects.filter(document_id__in=compared)
        .filter(submitted | Q(kind__in=[Annotation.Kind.GOLD, Annotation.Kind.PREDICTION]))
        .order_by("document_id", "pk")
        .values_list("pk", "document_id", "kind", "user__username", "model_name")
    )
    batch: list[_Planned] = []
    layers = 0
    current: _Planned | None = None
    for pk, document_id, kind, username, model_name in _pages(rows):
        if current is None or current.document_id != document_id:
            if current is not None and current.comparable():
                batch.append(current)
                layers += len(current.layer_ids())
                if layers >= batch_size:
                    yield from _read(batch)
                    batch, layers = [], 0
            current = _Planned(document_id)
        if kind == Annotation.Kind.ANNOTATOR:
            current.annotators[username] = pk
        elif kind == Annotation.Kind.GOLD:
            current.gold = pk
        else:
            current.predictions[model_name] = pk
    if current is not None and current.comparable():
        batch.append(current)
    if batch:
        yield from _read(batch)


PAGE = 2000  # rows of layers a query reads


def _pages(rows: QuerySet) -> Iterator[tuple]:
    """Yield `rows` (pk and document_id first, in document order) a keyset page at a time.

    Pages, not a server-side cursor: PostgreSQL plans a cursor to return its first rows soon
    and walked every layer of the corpus in document order for the few with people's work (9
    ms at 200,000 documents, 3 at 2,000: bench.scale), where the plain query picks those few
    first, whatever the corpus's size.
    """
    after = Q()
    while page := list(rows.filter(after)[:PAGE]):
        yield from page
        if len(page) < PAGE:
            return
        pk, document_id = page[-1][:2]
        after = Q(document_id__gt=document_id) | Q(document_id=document_id, pk__gt=pk)


def _read(batch: list[_Planned]) -> Iterator[DocumentLayers]:
    contents = layer_contents_read(
        [pk for planned in batch for pk in planned.layer_ids()], with_relations=False
    )
    tokens = {
        pk: document_tokens(stored, text)
        for pk, stored, text in Document.objects.filter(
            pk__in=[planned.document_id for planned in batch]
        ).values_list("pk", "tokens", "text")
    }
    for planned in batch:
        yield DocumentLayers(
            document_id=planned.document_id,
            tokens=tokens[planned.document_id],
            annotators={name: contents[pk] for name, pk in planned.annotators.items()},
            gold=None if planned.gold is None else contents[planned.gold],
            predictions={name: contents[pk] for name, pk in planned.predictions.items()},
        )


def corpus_agreement(corpus: Corpus, *, batch_size: int = BATCH_SIZE) -> AgreementReport:
    """Measure agreement over `corpus`: each pair of annotators, all pairs pooled, each model.

    A pair is compared over the documents both submitted; a model over the documents that
    have its predictions and gold. Pairs and models come in name order.
    """
    pairs: dict[tuple[str, str], Comparison] = {}
    models: dict[str, Comparison] = {}
    pooled_documents = 0
    for document in agreement_documents(corpus, batch_size=batch_size):
        names = sorted(document.annotators)
        for first, second in combinations(names, 2):
            comparison = pairs.get((first, second))
            if comparison is None:
                comparison = pairs[first, second] = Comparison(PAIR, first, second)
            comparison.add(document.annotators[first], document.annotators[second], document.tokens)
        pooled_documents += len(names) >= 2
        if document.gold is None:
            continue
        for model, content in document.predictions.items():
            comparison = models.get(model)
            if comparison is None:
                comparison = models[model] = Comparison(MODEL, "gold", model)
            comparison.add(document.gold, content, document.tokens)
    comparisons = [pairs[key] for key in sorted(pairs)]
    if comparisons:
        pooled = Comparison(ALL_PAIRS, "*", "*", documents=pooled_documents)
        for comparison in comparisons:
            pooled.merge(comparison)
        comparisons.append(pooled)
    comparisons += [models[name] for name in sorted(models)]
    return AgreementReport(corpus=corpus.slug, comparisons=comparisons)
