"""Who may review a corpus: its owners and reviewers."""

from django.contrib.auth.models import AbstractBaseUser

from config.errors import Forbidden
from corpus.models import Corpus, Membership
from corpus.selectors import user_roles

REVIEWING_ROLES = {Membership.Role.OWNER, Membership.Role.REVIEWER}


def corpus_require_reviewing(*, user: AbstractBaseUser, corpus: Corpus) -> None:
    """Raise Forbidden unless `user` is an owner or a reviewer of `corpus`."""
    if not REVIEWING_ROLES & user_roles(user=user, corpus=corpus):
        raise Forbidden("Only a corpus owner or reviewer can see this.")
