"""Page: a document's gold layer in the annotation editor, for its owners and reviewers.

The editor saves the gold layer as it does an annotator's (`PUT /api/annotations/{id}/`,
with versions and revisions); it has no submit: gold is what the layer holds.
"""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from annotations.models import Annotation
from annotations.selectors import layers_visible_to
from annotations.views.annotate import EDITOR_GOLD, editor_context
from config.errors import Conflict
from corpus.models import Document
from review.adjudication_selectors import document_get_for_reviewer, review_sources
from review.merge import content_from, layers_merge, select_agreed
from review.services import gold_adjudicate

STARTED_AS = "agreed, then edited"


@require_http_methods(["GET", "POST"])
def document_gold_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Open the document's gold layer in the editor; a POST first starts it if there is none.

    The gold a POST starts holds what every annotator whose layer is submitted agrees on.
    Without a gold layer a GET goes back to the review page, which offers to start it.
    """
    document = document_get_for_reviewer(user=request.user, slug=slug, pk=pk)
    gold = _gold_of(request, document)
    if request.method == "POST" and gold is None:
        gold = _gold_start(request, document)
    if gold is None:
        messages.info(request, "This document has no gold layer yet: start it from the review.")
        return redirect("document-review", slug=document.corpus.slug, pk=document.pk)
    if request.method == "POST":
        return redirect("document-gold-edit", slug=document.corpus.slug, pk=document.pk)
    gold.document = document
    back = reverse("document-review", kwargs={"slug": document.corpus.slug, "pk": document.pk})
    review = reverse(
        "api-document-review", kwargs={"slug": document.corpus.slug, "pk": document.pk}
    )
    urls = {"back": back, "review": review}
    context = editor_context(document=document, layer=gold, mode=EDITOR_GOLD, urls=urls)
    return render(request, "goldset/document_annotate.html", context)


def _gold_of(request: HttpRequest, document: Document) -> Annotation | None:
    layers = layers_visible_to(user=request.user, document=document)
    return layers.filter(kind=Annotation.Kind.GOLD).first()


def _gold_start(request: HttpRequest, document: Document) -> Annotation | None:
    """Write the gold layer from the items all annotators agree on; None if another won."""
    sources = review_sources(document=document, with_model=False)
    candidates = layers_merge(sources.contents)
    chosen = select_agreed(candidates, len(candidates.humans) or 1)
    try:
        gold = gold_adjudicate(
            document=document,
            user=request.user,
            content=content_from(chosen),
            version=0,
            sources=sources.layer_ids,
            method=STARTED_AS,
        )
    except Conflict:
        # Another reviewer started it meanwhile: edit theirs.
        return _gold_of(request, document)
    messages.success(
        request,
        f"Gold started from the agreed items: {len(chosen.entities)} entities, "
        f"{len(chosen.events)} events, {len(chosen.arguments)} arguments.",
    )
    return gold
