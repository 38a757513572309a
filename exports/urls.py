"""URL routes of the export page (`urlpatterns`) and API (`api_urlpatterns`)."""

from django.urls import path

from config.api import api_view
from exports import api, views

urlpatterns = [
    path("corpora/<slug:slug>/export/", views.corpus_export, name="corpus-export"),
]

api_urlpatterns = [
    path(
        "corpora/<slug:slug>/export/preview/",
        api_view(api.ExportPreviewApi),
        name="api-corpus-export-preview",
    ),
    path("corpora/<slug:slug>/export/", api_view(api.ExportApi), name="api-corpus-export"),
]
