"""Reads of pre-annotation runs, for pages and the API."""

from django.contrib.auth.models import AbstractBaseUser

from config.errors import NotFound
from corpus.models import Corpus
from corpus.selectors import corpus_get_for_user
from preannotation.models import PreannotationRun


def corpus_latest_run(corpus: Corpus) -> PreannotationRun | None:
    """Return the corpus's most recent pre-annotation run, if any."""
    return corpus.preannotation_runs.first()


def run_get_for_user(*, user: AbstractBaseUser, slug: str, pk: int) -> PreannotationRun:
    """Return run `pk` of corpus `slug` if `user` is a member of the corpus."""
    corpus = corpus_get_for_user(user=user, slug=slug)
    run = corpus.preannotation_runs.filter(pk=pk).first()
    if run is None:
        raise NotFound(f"No pre-annotation run {pk} in this corpus.")
    return run
