"""Who may review a corpus: its owners and reviewers, who see every layer and write gold."""

from django.contrib.auth.models import AbstractBaseUser

from config.errors import Forbidden
from corpus.models import Corpus
from corpus.selectors import REVIEWING_ROLES, user_roles


def user_may_review(*, user: AbstractBaseUser, corpus: Corpus) -> bool:
    """Return whether `user` owns or reviews `corpus`."""
    return bool(REVIEWING_ROLES & user_roles(user=user, corpus=corpus))


def corpus_require_reviewing(*, user: AbstractBaseUser, corpus: Corpus) -> None:
    """Raise Forbidden unless `user` is an owner or a reviewer of `corpus`."""
    if not user_may_review(user=user, corpus=corpus):
        raise Forbidden("Only a corpus owner or reviewer can see this.")
