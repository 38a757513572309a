"""The corpus page's pre-annotation panel, drawn by the app that owns the runs."""

from django import template

from corpus.models import Corpus
from preannotation.selectors import corpus_latest_run

register = template.Library()


@register.inclusion_tag("preannotation/panel.html")
def preannotation_panel(corpus: Corpus, *, is_owner: bool) -> dict:
    """Show the corpus's latest run with its progress and, for owners, the start form."""
    return {"corpus": corpus, "run": corpus_latest_run(corpus), "is_owner": is_owner}
