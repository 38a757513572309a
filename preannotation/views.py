"""Page action: start or resume pre-annotation from the corpus page's panel (owners)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from config.errors import InvalidInput
from config.params import boolean_parse, integer_parse
from corpus.models import Membership
from corpus.selectors import corpus_get_for_user, corpus_require_role
from preannotation.selectors import run_get_for_user
from preannotation.services import preannotation_resume, preannotation_start
from preannotation.tasks import run_enqueue


@require_POST
def corpus_preannotate(request: HttpRequest, slug: str) -> HttpResponse:
    """Queue a pre-annotation run (or resume the latest one) and go back to the corpus."""
    corpus = corpus_get_for_user(user=request.user, slug=slug)
    corpus_require_role(user=request.user, corpus=corpus, role=Membership.Role.OWNER)
    if resume := request.POST.get("resume"):
        run = run_get_for_user(
            user=request.user, slug=slug, pk=integer_parse(resume, name="resume", minimum=1)
        )
        preannotation_resume(run=run)
        queued = run_enqueue(run)
        messages.success(request, f"Run {run.pk} resumed: {queued} documents queued.")
    else:
        only_missing = boolean_parse(request.POST.get("only_missing"), name="only_missing")
        try:
            run = preannotation_start(corpus=corpus, user=request.user, only_missing=only_missing)
        except InvalidInput as error:
            messages.info(request, str(error))
        else:
            run_enqueue(run)
            messages.success(request, f"Pre-annotation queued: {run.total} documents.")
    return redirect(corpus)
