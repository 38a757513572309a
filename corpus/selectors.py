"""Permission-aware reads of corpora and documents: without a membership, nothing exists."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet

from corpus.errors import NotFound
from corpus.models import Corpus, Document, Membership


def corpora_for_user(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Corpus]:
    """Return the corpora `user` holds any role in."""
    if not user.is_authenticated:
        return Corpus.objects.none()
    return Corpus.objects.filter(memberships__user=user).distinct()


def corpus_get_for_user(*, user: AbstractBaseUser | AnonymousUser, slug: str) -> Corpus:
    """Return the corpus `slug` if `user` is a member, else raise NotFound."""
    corpus = corpora_for_user(user).select_related("schema").filter(slug=slug).first()
    if corpus is None:
        raise NotFound(f"No corpus {slug!r}.")
    return corpus


def document_get_for_user(
    *, user: AbstractBaseUser | AnonymousUser, slug: str, pk: int
) -> Document:
    """Return document `pk` of corpus `slug` if `user` is a member of that corpus."""
    corpus = corpus_get_for_user(user=user, slug=slug)
    document = corpus.documents.filter(pk=pk).first()
    if document is None:
        raise NotFound(f"No document {pk} in corpus {slug!r}.")
    document.corpus = corpus
    return document


def user_roles(*, user: AbstractBaseUser, corpus: Corpus) -> set[str]:
    """Return the roles `user` holds in `corpus`."""
    return set(Membership.objects.filter(corpus=corpus, user=user).values_list("role", flat=True))
