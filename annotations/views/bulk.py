"""Pages: bulk actions on the corpus page's documents (owners): the hand-off and the delete.

The corpus page's bulk form names an action and either the ticked documents or the whole
filter; `documents_bulk` turns that into a selection (see `annotations.document_selection`)
and opens the action's own page with it: delete here, pre-annotate again in preannotation,
export in exports. Each page shows what the selection holds before anything happens.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from annotations.document_search import DocumentSearch, document_search_parse
from annotations.document_selection import selection_of, selection_parse
from annotations.services.document_delete import documents_delete, documents_delete_preview
from config.errors import InvalidInput
from config.params import integer_parse
from corpus.models import Membership
from corpus.selectors import corpus_get_for_user, corpus_require_role

ACTIONS = {
    "delete": "documents-delete",
    "preannotate": "corpus-preannotate",
    "export": "corpus-export",
}


@require_GET
def documents_bulk(request: HttpRequest, slug: str) -> HttpResponse:
    """Open the chosen action's page for the ticked documents or the whole filter."""
    corpus = corpus_get_for_user(user=request.user, slug=slug)
    corpus_require_role(user=request.user, corpus=corpus, role=Membership.Role.OWNER)
    action = request.GET.get("action", "")
    if action not in ACTIONS:
        raise InvalidInput(
            f"action {action[:40]!r}: use one of {', '.join(ACTIONS)}.", extra={"field": "action"}
        )
    search, _ = document_search_parse(request.GET)
    ticked = request.GET.getlist("id")
    if request.GET.get("scope") == "ticked":
        if not ticked:
            messages.info(request, "Tick the documents to act on, or choose “all matching”.")
            return redirect(f"{reverse('corpus-detail', args=[slug])}?{urlencode(search.params())}")
        selection = selection_of(DocumentSearch(), ticked)
    else:
        selection = selection_of(search, [])
    url = reverse(ACTIONS[action], args=[slug])
    return redirect(f"{url}?{urlencode({'documents': selection.query()})}")


@require_http_methods(["GET", "POST"])
def documents_delete_page(request: HttpRequest, slug: str) -> HttpResponse:
    """Show what deleting the selection removes (GET); delete it once confirmed (POST)."""
    corpus = corpus_get_for_user(user=request.user, slug=slug)
    corpus_require_role(user=request.user, corpus=corpus, role=Membership.Role.OWNER)
    data = request.POST if request.method == "POST" else request.GET
    selection = selection_parse(data.get("documents"))
    if request.method == "POST":
        expected = integer_parse(data.get("expected"), name="expected", minimum=1)
        deleted = documents_delete(
            corpus=corpus, selection=selection, expected=expected, actor=request.user
        )
        messages.success(request, f"Deleted {deleted} document{'s' * (deleted != 1)}.")
        return redirect(corpus)
    context = {
        "corpus": corpus,
        "selection": selection,
        "preview": documents_delete_preview(corpus=corpus, selection=selection),
        "back": f"{corpus.get_absolute_url()}?{urlencode(selection.search.params())}",
    }
    return render(request, "goldset/documents_delete.html", context)
