"""Pages: the corpus list, a corpus with its documents, a document with its entities."""

from collections import Counter
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from annotations.content import LayerContent
from annotations.document_search import (
    SORTS,
    DocumentSearch,
    document_search_page,
    document_search_parse,
)
from annotations.queue import ANNOTATING_ROLES
from annotations.selectors import (
    DocumentState,
    layer_default,
    layers_visible_to,
)
from annotations.services.content import layer_content_read
from config.errors import NotFound
from corpus.models import Membership
from corpus.selectors import (
    REVIEWING_ROLES,
    corpus_get_for_user,
    document_get_for_user,
    user_roles,
)


def corpus_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """Show a corpus, its latest pre-annotation run and a page of its documents."""
    corpus = corpus_get_for_user(user=request.user, slug=slug)
    search, after = document_search_parse(request.GET)
    page = document_search_page(corpus=corpus, search=search, after=after)
    roles = user_roles(user=request.user, corpus=corpus)
    state = search.state
    rest = {name: value for name, value in search.params().items() if name != "state"}
    context = {
        "corpus": corpus,
        "page": page,
        "state": state,
        "state_filters": [
            (value, name, urlencode({**search.params(), "state": value} if value else rest))
            for value, name in [("", "all"), *((value, value) for value in DocumentState.ALL)]
        ],
        "search": search,
        "search_query": urlencode(search.params()),
        "filtered": search != DocumentSearch(sort=search.sort),
        "sorts": SORTS,
        "is_owner": Membership.Role.OWNER in roles,
        "can_annotate": bool(roles & ANNOTATING_ROLES),
        "can_review": bool(roles & REVIEWING_ROLES),
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
    content = layer_content_read(layer, with_relations=False) if layer else LayerContent()
    schema = document.corpus.schema
    entity_types = list(schema.entity_types.all())
    counts = Counter(span.label for span in content.spans)
    legend = [(entity_type, counts.get(entity_type.key, 0)) for entity_type in entity_types]
    events = _events_shown(document.text, content)
    page_data = {
        "text": document.text,
        "spans": [
            {
                "start": span.start,
                "end": span.end,
                "label": span.label,
                "score": span.score,
                "modelLabel": span.attributes.get("model_label"),
            }
            for span in content.spans
        ]
        + [
            {
                "start": event.trigger_start,
                "end": event.trigger_end,
                "label": event.type,
                "score": event.score,
                "kind": "trigger",
            }
            for event in content.events
        ],
        "types": {
            item.key: {"name": item.name, "color": item.color}
            for item in [*entity_types, *schema.event_types.all()]
        },
    }
    roles = user_roles(user=request.user, corpus=document.corpus)
    context = {
        "can_annotate": bool(roles & ANNOTATING_ROLES),
        "can_review": bool(roles & REVIEWING_ROLES),
        "document": document,
        "corpus": document.corpus,
        "layers": layers,
        "layer": layer,
        "legend": legend,
        "events": events,
        "page_data": page_data,
    }
    return render(request, "goldset/document_detail.html", context)


def _events_shown(text: str, content: LayerContent) -> list[dict]:
    """Return the layer's events for the sidebar: trigger text, and each argument's filler."""
    spans = {span.id: span for span in content.spans}
    events = {event.id: event for event in content.events}
    shown = []
    for event in content.events:
        arguments = []
        for argument in event.arguments:
            if argument.span is not None:
                filler = spans[argument.span]
                what, start, end = filler.label, filler.start, filler.end
            else:
                filler = events[argument.target_event]
                what, start, end = filler.type, filler.trigger_start, filler.trigger_end
            score = argument.score
            arguments.append(
                {"role": argument.role, "text": text[start:end], "label": what, "score": score}
            )
        shown.append(
            {
                "type": event.type,
                "trigger_start": event.trigger_start,
                "trigger_end": event.trigger_end,
                "trigger_text": text[event.trigger_start : event.trigger_end],
                "score": event.score,
                "arguments": arguments,
            }
        )
    return shown
