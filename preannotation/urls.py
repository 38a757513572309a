"""URL routes of the pre-annotation panel's action (`urlpatterns`) and API (`api_urlpatterns`)."""

from django.urls import path

from config.api import api_view
from preannotation import api, views

urlpatterns = [
    path("corpora/<slug:slug>/preannotate/", views.corpus_preannotate, name="corpus-preannotate"),
]

api_urlpatterns = [
    path(
        "corpora/<slug:slug>/preannotation-runs/",
        api_view(api.RunListApi),
        name="api-run-list",
    ),
    path(
        "corpora/<slug:slug>/preannotation-runs/<int:pk>/",
        api_view(api.RunDetailApi),
        name="api-run-detail",
    ),
    path(
        "corpora/<slug:slug>/preannotation-runs/<int:pk>/resume/",
        api_view(api.RunResumeApi),
        name="api-run-resume",
    ),
]
