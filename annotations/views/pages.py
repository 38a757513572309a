"""Pages: the corpus list, a corpus with its documents, a document with its entities."""

from collections import Counter

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from annotations.queue import ANNOTATING_ROLES
from annotations.selectors import (
    corpus_document_page,
    keyset_cursor,
    layer_default,
    layer_events,
    layer_spans,
    layers_visible_to,
)
from config.errors import NotFound
from corpus.models import Membership
from corpus.selectors import (
    corpus_get_for_user,
    document_get_for_user,
    user_roles,
)


def corpus_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """Show a corpus, its latest pre-annotation run and a page of its documents."""
    corpus = corpus_get_for_user(user=request.user, slug=slug)
    page = corpus_document_page(corpus=corpus, after=keyset_cursor(request.GET.get("after")))
    roles = user_roles(user=request.user, corpus=corpus)
    context = {
        "corpus": corpus,
        "page": page,
        "is_owner": Membership.Role.OWNER in roles,
        "can_annotate": bool(roles & ANNOTATING_ROLES),
    }
    return render(request, "goldset/corpus_detail.html", context)


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
    events = layer_events(layer) if layer else []
    schema = document.corpus.schema
    entity_types = list(schema.entity_types.all())
    counts = Counter(span.entity_type_id for span in spans)
    legend = [(entity_type, counts.get(entity_type.pk, 0)) for entity_type in entity_types]
    for event in events:
        event.trigger_text = document.text[event.trigger_start : event.trigger_end]
        for argument in event.arguments.all():
            if argument.span:
                argument.text = document.text[argument.span.start : argument.span.end]
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
        ]
        + [
            {
                "start": event.trigger_start,
                "end": event.trigger_end,
                "label": event.event_type.key,
                "score": event.score,
                "kind": "trigger",
            }
            for event in events
        ],
        "types": {
            item.key: {"name": item.name, "color": item.color}
            for item in [*entity_types, *schema.event_types.all()]
        },
    }
    roles = user_roles(user=request.user, corpus=document.corpus)
    context = {
        "can_annotate": bool(roles & ANNOTATING_ROLES),
        "document": document,
        "corpus": document.corpus,
        "layers": layers,
        "layer": layer,
        "legend": legend,
        "events": events,
        "page_data": page_data,
    }
    return render(request, "goldset/document_detail.html", context)
