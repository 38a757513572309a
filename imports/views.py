"""Pages: upload files into a corpus, follow an import job, download the problems it met."""

import csv
import io
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import TooManyFilesSent
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from config.errors import InvalidInput
from config.middleware import request_body_discard
from corpus.models import Corpus, Membership
from corpus.selectors import corpus_get_for_user, corpus_require_role
from imports.forms import RULE_LABELS, ImportForm, upload_limit_message
from imports.jobs import import_job_create
from imports.selectors import corpus_recent_imports, import_job_get_for_user, import_job_problems
from imports.tasks import import_job_enqueue
from imports.uploads import UploadLimitHandler, upload_too_large

PROBLEMS_SHOWN = 500
CSV_ROWS_PER_CHUNK = 1000
SPREADSHEET_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@csrf_exempt  # checked by _import_form, once the upload limit is in place
@require_http_methods(["GET", "POST"])
def corpus_import(request: HttpRequest, slug: str) -> HttpResponse:
    """Show the import form of a corpus, or take an upload and queue its import (owners)."""
    corpus = corpus_get_for_user(user=request.user, slug=slug)
    corpus_require_role(user=request.user, corpus=corpus, role=Membership.Role.OWNER)
    if request.method == "POST":
        if upload_too_large(request, settings.UPLOAD_MAX_BYTES):
            request_body_discard(request)
            error = upload_limit_message(settings.UPLOAD_MAX_BYTES)
            form = ImportForm(corpus=corpus)
            return _render_form(request, corpus, form, upload_error=error, status=413)
        request.upload_handlers.insert(0, UploadLimitHandler(request, settings.UPLOAD_MAX_BYTES))
        try:
            request.POST  # noqa: B018 - parse the body now, through the limit
        except TooManyFilesSent:
            error = "Too many files at once: upload them as one zip archive."
            return _render_form(request, corpus, ImportForm(corpus=corpus), upload_error=error)
        except MultiPartParserError:
            error = "The upload was interrupted or malformed: try again."
            return _render_form(request, corpus, ImportForm(corpus=corpus), upload_error=error)
    return _import_form(request, corpus)


@csrf_protect
def _import_form(request: HttpRequest, corpus: Corpus) -> HttpResponse:
    if request.method != "POST":
        return _render_form(request, corpus, ImportForm(corpus=corpus))
    form = ImportForm(
        request.POST,
        request.FILES,
        corpus=corpus,
        limit_exceeded=getattr(request, "upload_limit_exceeded", False),
    )
    if form.is_valid():
        try:
            job = import_job_create(
                corpus=corpus,
                user=request.user,
                files=form.cleaned_data["files"],
                format=form.cleaned_data["format"],
                options=form.job_options(),
            )
        except InvalidInput as error:
            form.add_error("files", error.message)
        else:
            import_job_enqueue(job)
            messages.success(request, f"Import {job.pk} queued: {len(job.file_names)} file(s).")
            return redirect(job)
    return _render_form(request, corpus, form)


def _render_form(
    request: HttpRequest,
    corpus: Corpus,
    form: ImportForm,
    *,
    upload_error: str = "",
    status: int = 200,
) -> HttpResponse:
    context = {
        "corpus": corpus,
        "form": form,
        "upload_error": upload_error,
        "jobs": corpus_recent_imports(corpus),
        "upload_limit": settings.UPLOAD_MAX_BYTES,
    }
    return render(request, "imports/import_form.html", context, status=status)


@require_GET
def import_job_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Show an import's progress, counts and problems (owners)."""
    job = import_job_get_for_user(user=request.user, slug=slug, pk=pk)
    context = {
        "corpus": job.corpus,
        "job": job,
        "problems": import_job_problems(job)[:PROBLEMS_SHOWN],
        "problems_shown": PROBLEMS_SHOWN,
        "rules_applied": [
            RULE_LABELS.get(rule, rule).lower()
            for rule, applied in (job.options.get("cleaning") or {}).items()
            if applied
        ],
    }
    return render(request, "imports/import_detail.html", context)


@require_GET
def import_job_problems_csv(request: HttpRequest, slug: str, pk: int) -> StreamingHttpResponse:
    """Stream every problem of an import as CSV: file, line, severity, message (owners)."""
    job = import_job_get_for_user(user=request.user, slug=slug, pk=pk)
    rows = (
        import_job_problems(job)
        .values_list("file", "line", "severity", "message")
        .iterator(chunk_size=CSV_ROWS_PER_CHUNK)
    )
    response = StreamingHttpResponse(problems_csv(rows), content_type="text/csv; charset=utf-8")
    filename = f"{job.corpus.slug}-import-{job.pk}-problems.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def problems_csv(rows: Iterable[tuple[str, int | None, str, str]]) -> Iterator[str]:
    """Yield CSV text in chunks, with a BOM so spreadsheets read it as UTF-8.

    Cells a spreadsheet would run as formulas get a leading apostrophe.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow(["file", "line", "severity", "message"])
    for number, (file, line, severity, message) in enumerate(rows, start=1):
        writer.writerow([_cell(file), "" if line is None else line, severity, _cell(message)])
        if number % CSV_ROWS_PER_CHUNK == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _cell(text: str) -> str:
    return f"'{text}" if text.startswith(SPREADSHEET_FORMULA_STARTS) else text
