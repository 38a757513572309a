"""Reads of annotation layers for pages and the API, with the visibility rules applied."""

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Length, Substr
from django.db.models.lookups import GreaterThanOrEqual

from annotations.models import Annotation, DocumentStateCount, Event, Span
from annotations.services.state_counts import FOLD_AT, state_counts_fold
from config.errors import InvalidInput, NotFound
from config.params import cursor_parse
from corpus.models import Corpus, Document
from corpus.selectors import REVIEWING_ROLES, user_roles

PAGE_SIZE = 50
PREVIEW_LENGTH = 120


class DocumentStatus:
    """The old statuses, from a document's layers: the API's deprecated `status`."""

    NEW = "new"
    PREANNOTATED = "pre-annotated"
    IN_PROGRESS = "in progress"
    SUBMITTED = "submitted"
    GOLD = "gold"


class DocumentState:
    """Where a document stands: new → pre-annotated → in progress → annotated → reviewed.

    Annotated: at least the corpus's annotators-per-document layers submitted. Reviewed: its
    gold layer is reviewed. In progress: an annotator's layer (not skipped) or a gold layer
    not yet reviewed, short of those.
    """

    NEW = "new"
    PREANNOTATED = "pre-annotated"
    IN_PROGRESS = "in progress"
    ANNOTATED = "annotated"
    REVIEWED = "reviewed"
    ALL = (NEW, PREANNOTATED, IN_PROGRESS, ANNOTATED, REVIEWED)


def document_state_check(state: str) -> str:
    """Return `state` if it is a document state, else raise InvalidInput naming them."""
    if state not in DocumentState.ALL:
        allowed = ", ".join(DocumentState.ALL)
        raise InvalidInput(
            f"state {state!r}: use one of {allowed}.",
            extra={"field": "state", "allowed": list(DocumentState.ALL)},
        )
    return state


@dataclass(frozen=True)
class DocumentPage:
    """One page of a corpus's documents (keyset pagination on the primary key)."""

    documents: list[Document]
    next_after: int | None


def keyset_cursor(raw: str | None, *, name: str = "after") -> int:
    """Return the `after` cursor of a page request: 0 (the start) when absent.

    Raises InvalidInput naming the parameter for anything but a whole number of ASCII digits.
    """
    return cursor_parse(raw, name=name)


def count_subquery(queryset: QuerySet, field: str) -> Coalesce:
    """A correlated COUNT subquery grouped on `field`."""
    counted = queryset.values(field).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def corpus_document_page(
    *, corpus: Corpus, after: int = 0, size: int = PAGE_SIZE, state: str = ""
) -> DocumentPage:
    """Return documents after `after` with their state and predicted counts, in one query.

    `state` (one of DocumentState.ALL, or empty for all) keeps the documents in that state.
    """
    documents = document_rows(corpus=corpus).filter(pk__gt=after).order_by("pk")
    if state:
        documents = documents.filter(state=document_state_check(state))
    documents = list(documents[: size + 1])
    next_after = documents[size - 1].pk if len(documents) > size else None
    documents = documents[:size]
    for document in documents:
        document.status = document_status(document)
    return DocumentPage(documents=documents, next_after=next_after)


def document_rows(*, corpus: Corpus) -> QuerySet[Document]:
    """Return the corpus's documents as list rows: state, preview and predicted counts."""
    layers = Annotation.objects.filter(document=OuterRef("pk"))
    predicted = Q(annotation__document=OuterRef("pk"), annotation__kind=Annotation.Kind.PREDICTION)
    annotator = Annotation.Kind.ANNOTATOR
    return corpus.documents.only(
        "pk", "corpus_id", "external_id", "title", "source", "created_at", "state"
    ).annotate(
        characters=Length("text"),
        preview=Substr("text", 1, PREVIEW_LENGTH),
        entity_count=count_subquery(Span.objects.filter(predicted), "annotation__document"),
        event_count=count_subquery(Event.objects.filter(predicted), "annotation__document"),
        has_prediction=Exists(layers.filter(kind=Annotation.Kind.PREDICTION)),
        has_gold=Exists(layers.filter(kind=Annotation.Kind.GOLD)),
        submitted_count=count_subquery(
            layers.filter(kind=annotator, status=Annotation.Status.SUBMITTED), "document"
        ),
        draft_count=count_subquery(
            layers.filter(kind=annotator, status=Annotation.Status.DRAFT), "document"
        ),
    )


def document_states(*, corpus: Corpus) -> QuerySet[Document]:
    """Return the corpus's documents, whose stored `state` (a DocumentState) filters them."""
    return corpus.documents.all()


def document_state_counts(*, corpus: Corpus) -> dict[str, int]:
    """Return how many documents of `corpus` are in each state, in state order (one query).

    The counts are kept as layers are written (annotations.states), so this sums a few rows
    whatever the corpus's size; past FOLD_AT rows it folds them first (a few queries more).
    """
    rows = (
        DocumentStateCount.objects.filter(corpus_id=corpus.pk)
        .values_list("state")
        .annotate(n=Sum("documents"), rows=Count("pk"))
        .order_by()
    )
    rows = list(rows)
    if sum(count for _, _, count in rows) > FOLD_AT:
        state_counts_fold(corpus_id=corpus.pk)
    counts = {state: n for state, n, _ in rows}
    return {state: counts.get(state, 0) for state in DocumentState.ALL}


def document_state_computed(corpus: Corpus) -> Case:
    """The document's DocumentState computed from its layers, as an SQL expression.

    The rule the stored `Document.state` follows (annotations.states keeps it); the tests
    compare the two.
    """
    layers = Annotation.objects.filter(document=OuterRef("pk"))
    reviewed = layers.filter(kind=Annotation.Kind.GOLD, status=Annotation.Status.REVIEWED)
    working = [Annotation.Status.DRAFT, Annotation.Status.SUBMITTED]
    started = layers.filter(
        Q(kind=Annotation.Kind.ANNOTATOR, status__in=working) | Q(kind=Annotation.Kind.GOLD)
    )
    submitted = count_subquery(
        layers.filter(kind=Annotation.Kind.ANNOTATOR, status=Annotation.Status.SUBMITTED),
        "document",
    )
    return Case(
        When(Exists(reviewed), then=Value(DocumentState.REVIEWED)),
        When(
            GreaterThanOrEqual(submitted, corpus.annotators_per_document),
            then=Value(DocumentState.ANNOTATED),
        ),
        When(Exists(started), then=Value(DocumentState.IN_PROGRESS)),
        When(
            Exists(layers.filter(kind=Annotation.Kind.PREDICTION)),
            then=Value(DocumentState.PREANNOTATED),
        ),
        default=Value(DocumentState.NEW),
        output_field=CharField(),
    )


def document_status(document: Document) -> str:
    """The deprecated `status` of a row from document_rows."""
    if document.has_gold:
        return DocumentStatus.GOLD
    if document.submitted_count:
        return DocumentStatus.SUBMITTED
    if document.draft_count:
        return DocumentStatus.IN_PROGRESS
    if document.has_prediction:
        return DocumentStatus.PREANNOTATED
    return DocumentStatus.NEW


def layers_visible_to(*, user: AbstractBaseUser, document: Document) -> QuerySet[Annotation]:
    """Return the layers of `document` that `user` may see (blind annotation for annotators).

    Owners and reviewers see every layer. Annotators see the predictions and their own
    layer, and the gold layer only when the corpus lets them (`annotators_see_gold`).
    """
    layers = document.annotations.select_related("user").order_by("kind", "-updated_at")
    corpus = document.corpus
    if REVIEWING_ROLES & user_roles(user=user, corpus=corpus):
        return layers
    seen = Q(kind=Annotation.Kind.PREDICTION) | Q(kind=Annotation.Kind.ANNOTATOR, user=user)
    if corpus.annotators_see_gold:
        seen |= Q(kind=Annotation.Kind.GOLD)
    return layers.filter(seen)


def layer_visible_to(*, user: AbstractBaseUser, layer: Annotation) -> bool:
    """Return whether `user`, a member of the layer's corpus, may see `layer`: the rule of
    `layers_visible_to` for a layer already read, its roles read only when they decide."""
    corpus = layer.document.corpus
    if (
        layer.kind == Annotation.Kind.PREDICTION
        or (layer.kind == Annotation.Kind.ANNOTATOR and layer.user_id == user.pk)
        or (layer.kind == Annotation.Kind.GOLD and corpus.annotators_see_gold)
    ):
        return True
    return bool(REVIEWING_ROLES & user_roles(user=user, corpus=corpus))


def layer_default(layers: QuerySet[Annotation]) -> Annotation | None:
    """Return the layer a document page opens with: gold, else the newest prediction."""
    ordered = sorted(
        layers,
        key=lambda layer: (
            layer.kind != Annotation.Kind.GOLD,
            layer.kind != Annotation.Kind.PREDICTION,
        ),
    )
    return ordered[0] if ordered else None


def layer_get_for_user(*, user: AbstractBaseUser, pk: int) -> Annotation:
    """Return layer `pk` if `user` may see it (member of its corpus, and not blind to it).

    A layer the user is blind to does not exist for them (404), like another corpus's.
    """
    layer = (
        Annotation.objects.select_related("document__corpus", "user")
        .defer("document__tokens", "document__sentences")  # a long article's: decoded for nothing
        .filter(pk=pk, document__corpus__memberships__user=user)
        .first()
    )
    if layer is None or not layer_visible_to(user=user, layer=layer):
        raise NotFound(f"No annotation layer {pk}.")
    return layer
