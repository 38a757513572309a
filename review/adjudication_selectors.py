"""Reads for adjudication: who may review a document, and the layers compared on it."""

from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from annotations.content import LayerContent
from annotations.models import Annotation
from annotations.services.content import layer_contents_read
from config.errors import Forbidden
from corpus.models import Corpus, Document
from corpus.selectors import document_get_for_user
from review.access import user_may_review
from review.merge import MODEL


@dataclass
class ReviewSources:
    """The layers compared on one document: contents and layer ids by voter, and the gold layer."""

    contents: dict[str, LayerContent] = field(default_factory=dict)
    layer_ids: dict[str, int] = field(default_factory=dict)
    gold: Annotation | None = None


def document_get_for_reviewer(*, user: AbstractBaseUser, slug: str, pk: int) -> Document:
    """Return document `pk` of corpus `slug` for its owners and reviewers (else 403, or 404)."""
    document = document_get_for_user(user=user, slug=slug, pk=pk)
    if not user_may_review(user=user, corpus=document.corpus):
        raise Forbidden("Only a corpus owner or reviewer can review documents.")
    return document


def review_sources(*, document: Document, with_model: bool = True) -> ReviewSources:
    """Return the submitted annotator layers by username and the newest prediction as "model".

    Annotators come in username order; the model last. Contents are read in one batch.
    """
    layers = list(
        document.annotations.filter(
            Q(kind=Annotation.Kind.ANNOTATOR, status=Annotation.Status.SUBMITTED)
            | Q(kind=Annotation.Kind.GOLD)
        )
        .select_related("user")
        .order_by("user__username", "pk")
    )
    voters = {
        layer.user.get_username(): layer.pk
        for layer in layers
        if layer.kind == Annotation.Kind.ANNOTATOR
    }
    if with_model:
        prediction = (
            document.annotations.filter(kind=Annotation.Kind.PREDICTION)
            .order_by("-updated_at", "-pk")
            .values_list("pk", flat=True)
            .first()
        )
        if prediction is not None:
            voters[MODEL] = prediction
    contents = layer_contents_read(list(voters.values()), with_relations=False)
    gold = next((layer for layer in layers if layer.kind == Annotation.Kind.GOLD), None)
    if gold is not None:
        gold.document = document
    return ReviewSources(
        contents={voter: contents[pk] for voter, pk in voters.items()},
        layer_ids=voters,
        gold=gold,
    )


def documents_to_merge(*, corpus: Corpus, k: int) -> QuerySet[Document]:
    """Return the corpus's documents with at least `k` submitted layers, in id order.

    Each has `submitted` (how many) and `reviewed` (whether a reviewed gold layer exists).
    """
    submitted = Count(
        "annotations",
        filter=Q(
            annotations__kind=Annotation.Kind.ANNOTATOR,
            annotations__status=Annotation.Status.SUBMITTED,
        ),
    )
    gold = Annotation.objects.filter(
        document=OuterRef("pk"), kind=Annotation.Kind.GOLD, status=Annotation.Status.REVIEWED
    )
    return (
        corpus.documents.annotate(submitted=submitted, reviewed=Exists(gold))
        .filter(submitted__gte=k)
        .order_by("pk")
    )
