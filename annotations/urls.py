"""URL routes of the pages."""

from django.urls import path

from annotations.views import annotate, export, pages

urlpatterns = [
    path("", pages.corpus_list, name="corpus-list"),
    path("corpora/<slug:slug>/", pages.corpus_detail, name="corpus-detail"),
    path("corpora/<slug:slug>/preannotate/", pages.corpus_preannotate, name="corpus-preannotate"),
    path("corpora/<slug:slug>/export/", export.corpus_export, name="corpus-export"),
    path("corpora/<slug:slug>/documents/<int:pk>/", pages.document_detail, name="document-detail"),
    path(
        "corpora/<slug:slug>/documents/<int:pk>/annotate/",
        annotate.document_annotate,
        name="document-annotate",
    ),
    path("corpora/<slug:slug>/annotate/", annotate.corpus_annotate_next, name="corpus-annotate"),
]
