"""Reads of a corpus's model versions, for pages, the API and pre-annotation."""

from django.contrib.auth.models import AbstractBaseUser

from config.errors import NotFound
from corpus.models import Corpus
from corpus.selectors import corpus_get_for_user
from learning.models import ModelVersion


def corpus_active_model(corpus: Corpus) -> ModelVersion | None:
    """Return the version that pre-annotates the corpus, or None for the base pipeline alone."""
    return corpus.model_versions.filter(active=True).first()


def model_version_get_for_user(*, user: AbstractBaseUser, slug: str, number: int) -> ModelVersion:
    """Return version `number` of corpus `slug`'s model if `user` is a member of the corpus."""
    corpus = corpus_get_for_user(user=user, slug=slug)
    version = corpus.model_versions.filter(number=number).first()
    if version is None:
        raise NotFound(f"No model v{number} in corpus {slug}.")
    return version
