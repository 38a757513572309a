"""URL routes of the corpus pages (`urlpatterns`) and API (`api_urlpatterns`)."""

from django.urls import path

from config.api import api_view
from corpus import api, views

urlpatterns = [
    path("", views.corpus_list, name="corpus-list"),
]

api_urlpatterns = [
    path("corpora/", api_view(api.CorpusListApi), name="api-corpus-list"),
    path("corpora/<slug:slug>/", api_view(api.CorpusDetailApi), name="api-corpus-detail"),
]
