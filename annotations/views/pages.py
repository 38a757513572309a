"""Pages: the corpus list, a corpus with its documents, a document with its entities."""

from collections import Counter

from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from annotations.selectors import (
    corpus_document_page,
    keyset_cursor,
    layer_default,
    layer_spans,
    layers_visible_to,
)
from corpus.errors import NotFound
from corpus.selectors import corpora_for_user, corpus_get_for_user, document_get_for_user


def corpus_list(request: HttpRequest) -> HttpResponse:
    """List the corpora the user belongs to."""
    corpora = (
        corpora_for_user(request.user)
        .select_related("schema")
        .annotate(document_count=Count("documents", distinct=True))
    )
    return render(request, "goldset/corpus_list.html", {"corpora": corpora})


def corpus_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """Show a corpus and a page of its documents with status and counts."""
    corpus = corpus_get_for_user(user=request.user, slug=slug)
    page = corpus_document_page(corpus=corpus, after=keyset_cursor(request.GET.get("after")))
    return render(request, "goldset/corpus_detail.html", {"corpus": corpus, "page": page})


def document_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Show an article with the entities of one layer highlighted."""
    document = document_get_for_user(user=request.user, slug=slug, pk=pk)
    layers = list(layers_visible_to(user=request.user, document=document))
    layer = layer_default(layers)
    if chosen := request.GET.get("layer"):
        layer = next((item for item in layers if str(item.pk) == chosen), None)
        if layer is None:
            raise NotFound(f"No layer {chosen} on this document.")
    spans = layer_spans(layer) if layer else []
    entity_types = list(document.corpus.schema.entity_types.all())
    counts = Counter(span.entity_type_id for span in spans)
    legend = [(entity_type, counts.get(entity_type.pk, 0)) for entity_type in entity_types]
    page_data = {
        "text": document.text,
        "spans": [
            {
                "start": span.start,
                "end": span.end,
                "label": span.entity_type.key,
                "score": span.score,
                "modelLabel": span.attributes.get("model_label"),
            }
            for span in spans
        ],
        "types": {item.key: {"name": item.name, "color": item.color} for item in entity_types},
    }
    context = {
        "document": document,
        "corpus": document.corpus,
        "layers": layers,
        "layer": layer,
        "legend": legend,
        "page_data": page_data,
    }
    return render(request, "goldset/document_detail.html", context)
