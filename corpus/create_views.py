"""Pages: create a corpus (any signed-in user, who becomes its owner), preview guidelines."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from config.errors import InvalidInput
from corpus.forms import GUIDELINES_MAX_LENGTH, CorpusCreateForm
from corpus.guidelines import guidelines_html
from corpus.services.corpora import corpus_create

FORM_FIELDS = {"name", "slug", "annotators_per_document"}


@require_http_methods(["GET", "POST"])
def corpus_create_page(request: HttpRequest) -> HttpResponse:
    """Show the new-corpus form, or create the corpus and go to it (400 with the problems)."""
    if request.method != "POST":
        return _render(request, CorpusCreateForm(user=request.user))
    form = CorpusCreateForm(request.POST, request.FILES, user=request.user)
    if form.is_valid():
        try:
            corpus = corpus_create(
                name=form.cleaned_data["name"],
                schema=form.schema(),
                owner=request.user,
                **form.settings(),
            )
        except InvalidInput as error:
            field = error.extra.get("field")
            form.add_error(field if field in FORM_FIELDS else "schema_source", error.message)
        else:
            messages.success(request, f"Corpus {corpus.name} created: you are its owner.")
            return redirect(corpus)
    return _render(request, form, status=400)


@require_POST
def guidelines_preview(request: HttpRequest) -> HttpResponse:
    """Return the posted Markdown `text` as the sanitized HTML annotators will see."""
    text = request.POST.get("text", "")
    if len(text) > GUIDELINES_MAX_LENGTH:
        return HttpResponse(
            f"The guidelines are longer than {GUIDELINES_MAX_LENGTH} characters.",
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    return HttpResponse(guidelines_html(text), content_type="text/html; charset=utf-8")


def _render(request: HttpRequest, form: CorpusCreateForm, *, status: int = 200) -> HttpResponse:
    return render(request, "goldset/corpus_create.html", {"form": form}, status=status)
