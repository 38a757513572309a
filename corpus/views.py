"""Pages: the corpora a user belongs to."""

from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from corpus.selectors import corpora_for_user


def corpus_list(request: HttpRequest) -> HttpResponse:
    """List the corpora the user belongs to."""
    corpora = (
        corpora_for_user(request.user)
        .select_related("schema")
        .annotate(document_count=Count("documents", distinct=True))
    )
    return render(request, "goldset/corpus_list.html", {"corpora": corpora})
