"""URL routes of the workers API (`api_urlpatterns`); workers have no pages of their own."""

from django.urls import path

from config.api import api_view
from workers import api

urlpatterns = []

api_urlpatterns = [
    path("workers/", api_view(api.WorkersApi), name="api-workers"),
]
