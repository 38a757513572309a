"""URL routes of the models page (`urlpatterns`) and the model API (`api_urlpatterns`)."""

from django.urls import path

from config.api import api_view
from learning import api, views

urlpatterns = [
    path("corpora/<slug:slug>/models/", views.corpus_models, name="corpus-models"),
]

api_urlpatterns = [
    path("corpora/<slug:slug>/models/", api_view(api.VersionListApi), name="api-model-list"),
    path(
        "corpora/<slug:slug>/models/<int:number>/",
        api_view(api.VersionDetailApi),
        name="api-model-detail",
    ),
    path(
        "corpora/<slug:slug>/models/<int:number>/activate/",
        api_view(api.VersionActivateApi),
        name="api-model-activate",
    ),
]
