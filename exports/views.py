"""Page: choose how to export a corpus, see what the export will hold, download it (owners)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from annotations.document_selection import selection_documents, selection_parse
from corpus.models import Corpus, Membership
from corpus.selectors import corpus_get_for_user, corpus_require_role
from exports.layers import source_counts
from exports.options import STATUSES
from formats.registry import EXPORT_DEFAULT, export_formats

SNAP_HINTS = [
    ("none", "Leave them out", "each one is listed among the warnings"),
    ("expand", "Expand", "to the whole tokens they touch"),
    ("contract", "Contract", "to the whole tokens inside them"),
]
SPLIT_PRESETS = ["0.8,0.1,0.1", "0.9,0.1", "0.8,0.2", "0.7,0.15,0.15"]


@require_GET
def corpus_export(request: HttpRequest, slug: str) -> HttpResponse:
    """Show the export form; the page's script previews each choice through the API.

    `?documents=` (the corpus page's bulk action) narrows the export to a selection.
    """
    corpus = corpus_get_for_user(user=request.user, slug=slug)
    corpus_require_role(user=request.user, corpus=corpus, role=Membership.Role.OWNER)
    counts = source_counts(corpus)
    selection = selection_parse(request.GET.get("documents"))
    chosen = None
    if not selection.everything:
        chosen = selection_documents(corpus=corpus, selection=selection).count()
    context = {
        "corpus": corpus,
        "selection": selection,
        "chosen": chosen,
        "formats": [(format.key, format.name, format.export_hint) for format in export_formats()],
        "default_format": EXPORT_DEFAULT,
        "counts": counts,
        # Gold when there is any; before review there is only what annotators submitted.
        "source": "submitted" if counts["submitted"] and not counts["gold"] else "gold",
        "annotators": [
            (username, counts["annotators"].get(username, 0))
            for username in sorted({*_annotators(corpus), *counts["annotators"]})
        ],
        "statuses": STATUSES,
        "snaps": SNAP_HINTS,
        "split_presets": SPLIT_PRESETS,
        "entity_types": corpus.schema.entity_types.values_list("key", "name"),
        "event_types": corpus.schema.event_types.values_list("key", "name"),
    }
    return render(request, "exports/export.html", context)


def _annotators(corpus: Corpus) -> list[str]:
    """Return the usernames of the corpus's annotators (with or without submitted layers)."""
    members = corpus.memberships.filter(role=Membership.Role.ANNOTATOR)
    return list(members.order_by("user__username").values_list("user__username", flat=True))
