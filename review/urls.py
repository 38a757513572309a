"""URL routes of the review pages (`urlpatterns`) and API (`api_urlpatterns`)."""

from django.urls import path

from config.api import api_view
from review import views
from review.api import dashboard

urlpatterns = [
    path("corpora/<slug:slug>/dashboard/", views.corpus_dashboard, name="corpus-dashboard"),
]

api_urlpatterns = [
    path(
        "corpora/<slug:slug>/dashboard/",
        api_view(dashboard.DashboardApi),
        name="api-corpus-dashboard",
    ),
]
