"""URL routes of the import pages (`urlpatterns`) and of the import API (`api_urlpatterns`)."""

from django.urls import path

from config.api import api_view
from imports import api, views

urlpatterns = [
    path("corpora/<slug:slug>/import/", views.corpus_import, name="corpus-import"),
    path(
        "corpora/<slug:slug>/imports/<int:pk>/",
        views.import_job_detail,
        name="import-job-detail",
    ),
    path(
        "corpora/<slug:slug>/imports/<int:pk>/problems.csv",
        views.import_job_problems_csv,
        name="import-job-problems",
    ),
]

api_urlpatterns = [
    path(
        "imports/<int:pk>/",
        api_view(api.ImportJobDetailApi),
        name="api-import-job-detail",
    ),
]
