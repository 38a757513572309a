"""URL routes of the import pages (`urlpatterns`) and of the import API (`api_urlpatterns`)."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path

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

# Mounted under api/; API views authenticate themselves and answer 401/403 in JSON.
api_urlpatterns = [
    path(
        "imports/<int:pk>/",
        login_not_required(api.ImportJobDetailApi.as_view()),
        name="api-import-job-detail",
    ),
]
