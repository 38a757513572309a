"""The annotation queue: who may annotate a corpus, and which document they do next."""

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Case, Exists, OuterRef, Q, Value, When

from annotations.models import Annotation
from annotations.selectors import count_subquery
from config.errors import Forbidden
from corpus.models import Corpus, Document, Membership
from corpus.selectors import user_roles

ANNOTATING_ROLES = {Membership.Role.ANNOTATOR, Membership.Role.REVIEWER}


def corpus_require_annotating(*, user: AbstractBaseUser, corpus: Corpus) -> None:
    """Raise Forbidden unless `user` is an annotator or a reviewer of `corpus`."""
    if not ANNOTATING_ROLES & user_roles(user=user, corpus=corpus):
        raise Forbidden("Only a corpus annotator or reviewer can annotate.")


def document_next_for_annotator(
    *, corpus: Corpus, user: AbstractBaseUser, after: int = 0
) -> Document | None:
    """Return the next document for `user` after document `after`, wrapping round, or None.

    A document qualifies unless the user has submitted or skipped it, or other annotators
    have already submitted as many layers as the corpus wants per document. `after` itself
    never comes back, so skipping the last open document ends the queue.
    """
    annotator_layers = Annotation.objects.filter(
        document=OuterRef("pk"), kind=Annotation.Kind.ANNOTATOR
    )
    finished = annotator_layers.filter(
        user=user, status__in=[Annotation.Status.SUBMITTED, Annotation.Status.SKIPPED]
    )
    submitted_by_others = count_subquery(
        annotator_layers.filter(status=Annotation.Status.SUBMITTED).exclude(user=user), "document"
    )
    return (
        corpus.documents.exclude(pk=after)
        .filter(~Exists(finished))
        .alias(others=submitted_by_others)
        .filter(others__lt=corpus.annotators_per_document)
        .order_by(Case(When(Q(pk__gt=after), then=Value(0)), default=Value(1)), "pk")
        .first()
    )
