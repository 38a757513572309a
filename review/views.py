"""Pages for owners and reviewers: a corpus's dashboard, and a document's review."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods

from annotations.services.content import layer_content_read
from config.errors import Conflict, InvalidInput
from config.params import integer_parse
from corpus.selectors import corpus_get_for_user
from review.access import corpus_require_reviewing
from review.adjudication_selectors import document_get_for_reviewer, review_sources
from review.dashboard import dashboard_read
from review.dashboard_charts import dashboard_charts
from review.merge import content_from, layers_merge, select_agreed, select_ids, select_voter
from review.services import gold_adjudicate


def corpus_dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    """Show progress, who did what and how fast, agreement and the labels, as charts."""
    corpus = corpus_get_for_user(user=request.user, slug=slug)
    corpus_require_reviewing(user=request.user, corpus=corpus)
    dashboard = dashboard_read(corpus=corpus)
    charts = dashboard_charts(dashboard)
    context = {
        "corpus": corpus,
        "dashboard": dashboard,
        "total": sum(dashboard.states.values()),
        # The SVG is built from escaped text only (review.charts).
        "charts": {name: mark_safe(svg) for name, svg in charts.items()},
    }
    return render(request, "review/dashboard.html", context)


@require_http_methods(["GET", "POST"])
def document_review(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Show a document's submitted layers merged, item by item, and write its gold from them.

    Every entity, event and argument is listed with who has it, agreed or disputed; the
    reviewer keeps what K annotators agree on, takes all of one voter, or ticks items.
    """
    document = document_get_for_reviewer(user=request.user, slug=slug, pk=pk)
    sources = review_sources(document=document)
    candidates = layers_merge(sources.contents)
    if request.method == "POST":
        return _review_post(request, document, sources, candidates)
    in_gold: set[str] = set()
    if sources.gold is not None:
        gold = layers_merge({"gold": layer_content_read(sources.gold, with_relations=False)})
        in_gold = {candidate.id for candidate in gold.all()}
    text = document.text
    context = {
        "document": document,
        "corpus": document.corpus,
        "voters": sources.layer_ids,
        "humans": candidates.humans,
        "gold": sources.gold,
        "rows": {
            "Entities": [_row(c, text, in_gold, sources.gold) for c in candidates.entities],
            "Events": [_row(c, text, in_gold, sources.gold) for c in candidates.events],
            "Arguments": [_row(c, text, in_gold, sources.gold) for c in candidates.arguments],
        },
    }
    return render(request, "review/document_review.html", context)


def _row(candidate, text: str, in_gold: set[str], gold) -> dict:
    """One line of the review table: what the item is, who has it, whether it is kept."""
    if candidate.kind == "argument":
        (start, end, event_type), role, (_, filler) = candidate.key
        what = f"{event_type} “{text[start:end]}”: {role} = “{text[filler[0] : filler[1]]}”"
    else:
        start, end, label = candidate.key
        what = f"“{text[start:end]}” {label}"
    return {
        "id": candidate.id,
        "what": what,
        "voters": candidate.voters,
        "agreed": candidate.agreed,
        "disputed": candidate.disputed,
        "conflicts": candidate.conflicts,
        "in_gold": candidate.id in in_gold,
        "checked": candidate.id in in_gold if gold is not None else candidate.agreed,
    }


def _review_post(request, document, sources, candidates) -> HttpResponse:
    action = request.POST.get("action")
    if action == "agreed":
        k = integer_parse(request.POST.get("k"), name="k", default=0) or len(candidates.humans)
        chosen, method = select_agreed(candidates, k), f"agreed by at least {k}"
    elif action == "take" and request.POST.get("voter") in candidates.voters:
        voter = request.POST["voter"]
        chosen, method = select_voter(candidates, voter), f"all of {voter}"
    elif action == "choose":
        chosen, method = select_ids(candidates, request.POST.getlist("item")), "chosen"
    else:
        raise InvalidInput("Choose what to keep: agreed items, one voter's, or ticked items.")
    version = integer_parse(request.POST.get("version"), name="version", default=0)
    try:
        gold = gold_adjudicate(
            document=document,
            user=request.user,
            content=content_from(chosen),
            version=version,
            sources=sources.layer_ids,
            method=method,
        )
    except Conflict as error:
        messages.error(request, f"{error.message} Nothing was saved; the page shows it now.")
    else:
        counts = f"{len(chosen.entities)} entities, {len(chosen.events)} events"
        messages.success(
            request,
            f"Gold saved ({method}): {counts}, {len(chosen.arguments)} arguments."
            f" Version {gold.version}.",
        )
    return redirect("document-review", slug=document.corpus.slug, pk=document.pk)
