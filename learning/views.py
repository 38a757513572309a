"""The models page: a corpus's model versions side by side; owners train and activate them."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from config.errors import InvalidInput
from config.params import integer_parse
from corpus.models import Membership
from corpus.selectors import corpus_get_for_user, corpus_require_role, user_roles
from learning.comparison import calibration_rows, versions_compared
from learning.selectors import model_version_get_for_user
from learning.services import model_activate, model_deactivate, training_start
from learning.tasks import training_enqueue

VERSIONS_SHOWN = 6


@require_http_methods(["GET", "POST"])
def corpus_models(request: HttpRequest, slug: str) -> HttpResponse:
    """Show the versions (newest first) with their held-out F1 per label; owners act on them."""
    corpus = corpus_get_for_user(user=request.user, slug=slug)
    if request.method == "POST":
        corpus_require_role(user=request.user, corpus=corpus, role=Membership.Role.OWNER)
        try:
            _act(request, corpus)
        except InvalidInput as error:
            messages.error(request, error.message)
        return redirect("corpus-models", slug=corpus.slug)
    versions = list(corpus.model_versions.select_related("requested_by")[:VERSIONS_SHOWN])
    context = {
        "corpus": corpus,
        "versions": versions,
        "training": next((v for v in versions if v.status == v.Status.TRAINING), None),
        "comparison": versions_compared(versions),
        "calibrated": calibration_rows(versions),
        "is_owner": Membership.Role.OWNER in user_roles(user=request.user, corpus=corpus),
    }
    return render(request, "learning/models.html", context)


def _act(request: HttpRequest, corpus) -> None:
    if request.POST.get("action") == "train":
        version = training_start(corpus=corpus, user=request.user)
        training_enqueue(version)
        messages.success(request, f"Training model v{version.number} from the reviewed gold.")
    elif request.POST.get("action") == "base":
        model_deactivate(corpus=corpus)
        messages.success(request, "Pre-annotation now uses the base pipeline alone.")
    elif number := request.POST.get("activate"):
        number = integer_parse(number, name="activate", minimum=1)
        version = model_version_get_for_user(user=request.user, slug=corpus.slug, number=number)
        model_activate(version=version)
        messages.success(
            request,
            f"Model v{number} now pre-annotates {corpus.name}. The pre-annotated documents nobody "
            "has started are re-scored with it in the background (see the corpus page).",
        )
    else:
        raise InvalidInput("Say what to do: train, activate a version, or use the base pipeline.")
