"""Pages: the corpus list, a corpus with its documents, a document with its entities."""

from collections import Counter

from django.contrib import messages
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from annotations.queue import ANNOTATING_ROLES
from annotations.selectors import (
    corpus_document_page,
    corpus_latest_run,
    keyset_cursor,
    layer_default,
    layer_events,
    layer_spans,
    layers_visible_to,
    run_get_for_user,
)
from annotations.services.preannotation import preannotation_resume, preannotation_start
from corpus.errors import InvalidInput, NotFound
from corpus.models import Membership
from corpus.selectors import (
    corpora_for_user,
    corpus_get_for_user,
    corpus_require_role,
    document_get_for_user,
    user_roles,
)


def corpus_list(request: HttpRequest) -> HttpResponse:
    """List the corpora the user belongs to."""
    corpora = (
        corpora_for_user(request.user)
        .select_related("schema")
        .annotate(document_count=Count("documents", distinct=True))
    )
    return render(request, "goldset/corpus_list.html", {"corpora": corpora})


def corpus_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """Show a corpus, its latest pre-annotation run and a page of its documents."""
    corpus = corpus_get_for_user(user=request.user, slug=slug)
    page = corpus_document_page(corpus=corpus, after=keyset_cursor(request.GET.get("after")))
    roles = user_roles(user=request.user, corpus=corpus)
    context = {
        "corpus": corpus,
        "page": page,
        "run": corpus_latest_run(corpus),
        "is_owner": Membership.Role.OWNER in roles,
        "can_annotate": bool(roles & ANNOTATING_ROLES),
    }
    return render(request, "goldset/corpus_detail.html", context)


@require_POST
def corpus_preannotate(request: HttpRequest, slug: str) -> HttpResponse:
    """Queue a pre-annotation run (or resume the latest one) and go back to the corpus."""
    corpus = corpus_get_for_user(user=request.user, slug=slug)
    corpus_require_role(user=request.user, corpus=corpus, role=Membership.Role.OWNER)
    if resume := request.POST.get("resume"):
        run = run_get_for_user(user=request.user, slug=slug, pk=keyset_cursor(resume))
        queued = preannotation_resume(run=run)
        messages.success(request, f"Run {run.pk} resumed: {queued} documents queued.")
    else:
        try:
            run = preannotation_start(
                corpus=corpus,
                user=request.user,
                only_missing=bool(request.POST.get("only_missing")),
            )
        except InvalidInput as error:
            messages.info(request, str(error))
        else:
            messages.success(request, f"Pre-annotation queued: {run.total} documents.")
    return redirect(corpus)


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
