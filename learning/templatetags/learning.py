"""The corpus page's link to its models, with the one that pre-annotates it."""

from django import template

from corpus.models import Corpus
from learning.selectors import corpus_active_model

register = template.Library()


@register.inclusion_tag("learning/models_link.html")
def models_link(corpus: Corpus) -> dict:
    """Link to the models page, saying which version pre-annotates the corpus."""
    return {"corpus": corpus, "active": corpus_active_model(corpus)}
