"""URL routes of the review pages (`urlpatterns`) and API (`api_urlpatterns`)."""

from django.urls import path

from config.api import api_view
from review import gold_editor, views
from review.api import adjudication, agreement, dashboard

urlpatterns = [
    path("corpora/<slug:slug>/dashboard/", views.corpus_dashboard, name="corpus-dashboard"),
    path(
        "corpora/<slug:slug>/documents/<int:pk>/review/",
        views.document_review,
        name="document-review",
    ),
    path(
        "corpora/<slug:slug>/documents/<int:pk>/gold/",
        gold_editor.document_gold_edit,
        name="document-gold-edit",
    ),
]

api_urlpatterns = [
    path(
        "corpora/<slug:slug>/agreement/",
        api_view(agreement.AgreementApi),
        name="api-corpus-agreement",
    ),
    path(
        "corpora/<slug:slug>/agreement.csv",
        api_view(agreement.AgreementCsvApi),
        name="api-corpus-agreement-csv",
    ),
    path(
        "corpora/<slug:slug>/documents/<int:pk>/review/",
        api_view(adjudication.DocumentReviewApi),
        name="api-document-review",
    ),
    path(
        "corpora/<slug:slug>/dashboard/",
        api_view(dashboard.DashboardApi),
        name="api-corpus-dashboard",
    ),
]
