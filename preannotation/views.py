"""Page actions: start or resume pre-annotation from the corpus page (owners).

The panel's form starts a run over the whole corpus. The corpus page's bulk action opens
`corpus_preannotate` with a `documents` selection: a GET shows what the run will do to those
documents, the POST starts it.
"""

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from annotations.document_selection import selection_documents, selection_parse
from annotations.models import Annotation
from config.errors import InvalidInput
from config.params import boolean_parse, integer_parse
from corpus.models import Corpus, Membership
from corpus.selectors import corpus_get_for_user, corpus_require_role
from learning.selectors import corpus_active_model
from preannotation.selectors import run_get_for_user
from preannotation.services import (
    corpus_model_identity,
    preannotation_resume,
    preannotation_start,
)
from preannotation.tasks import run_enqueue


@require_http_methods(["GET", "POST"])
def corpus_preannotate(request: HttpRequest, slug: str) -> HttpResponse:
    """Queue a pre-annotation run (or resume the latest one) and go back to the corpus.

    A GET (from the bulk action) shows the selection's confirmation page instead.
    """
    corpus = corpus_get_for_user(user=request.user, slug=slug)
    corpus_require_role(user=request.user, corpus=corpus, role=Membership.Role.OWNER)
    if request.method == "GET":
        return _confirm(request, corpus)
    if resume := request.POST.get("resume"):
        run = run_get_for_user(
            user=request.user, slug=slug, pk=integer_parse(resume, name="resume", minimum=1)
        )
        preannotation_resume(run=run)
        queued = run_enqueue(run)
        messages.success(request, f"Run {run.pk} resumed: {queued} documents queued.")
        return redirect(corpus)
    only_missing = boolean_parse(request.POST.get("only_missing"), name="only_missing")
    selection = selection_parse(request.POST.get("documents"))
    try:
        run = preannotation_start(
            corpus=corpus, user=request.user, only_missing=only_missing, selection=selection
        )
    except InvalidInput as error:
        messages.info(request, str(error))
    else:
        run_enqueue(run)
        messages.success(request, f"Pre-annotation queued: {run.total} documents.")
    return redirect(corpus)


def _confirm(request: HttpRequest, corpus: Corpus) -> HttpResponse:
    selection = selection_parse(request.GET.get("documents"))
    documents = selection_documents(corpus=corpus, selection=selection)
    model = corpus_model_identity(settings.SPACY_MODEL, corpus_active_model(corpus))
    predicted = documents.filter(
        annotations__kind=Annotation.Kind.PREDICTION,
        annotations__model_name=model.name,
        annotations__model_version=model.version,
    )
    total, done = documents.count(), predicted.distinct().count()
    context = {
        "corpus": corpus,
        "selection": selection,
        "documents": total,
        "predicted": done,
        "missing": total - done,
        "model": model,
    }
    return render(request, "preannotation/confirm.html", context)
