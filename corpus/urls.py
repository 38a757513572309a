"""URL routes of the corpus pages (`urlpatterns`) and API (`api_urlpatterns`)."""

from django.urls import path

from config.api import api_view
from corpus import api, create_views, member_views, schema_views, views

urlpatterns = [
    path("", views.corpus_list, name="corpus-list"),
    path("corpora/<slug:slug>/members/", member_views.corpus_members, name="corpus-members"),
    path("corpora/<slug:slug>/schema/", schema_views.corpus_schema, name="corpus-schema"),
    path("invitations/<str:token>/", member_views.invitation, name="invitation"),
    path("corpora/new/", create_views.corpus_create_page, name="corpus-create"),
    path(
        "corpora/guidelines-preview/",
        create_views.guidelines_preview,
        name="corpus-guidelines-preview",
    ),
]

api_urlpatterns = [
    path("corpora/", api_view(api.CorpusListApi), name="api-corpus-list"),
    path("corpora/<slug:slug>/", api_view(api.CorpusDetailApi), name="api-corpus-detail"),
]
