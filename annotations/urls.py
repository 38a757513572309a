"""URL routes of the annotation pages (`urlpatterns`) and API (`api_urlpatterns`)."""

from django.urls import path

from annotations.api import bulk as bulk_api
from annotations.api import comments, documents, layer_detail, layers
from annotations.views import annotate, bulk, pages
from config.api import api_view

urlpatterns = [
    path("corpora/<slug:slug>/", pages.corpus_detail, name="corpus-detail"),
    path("corpora/<slug:slug>/documents/<int:pk>/", pages.document_detail, name="document-detail"),
    path(
        "corpora/<slug:slug>/documents/<int:pk>/annotate/",
        annotate.document_annotate,
        name="document-annotate",
    ),
    path("corpora/<slug:slug>/annotate/", annotate.corpus_annotate_next, name="corpus-annotate"),
    path("annotations/<int:pk>/editor-data/", annotate.layer_editor_data, name="layer-editor-data"),
    path("corpora/<slug:slug>/documents/bulk/", bulk.documents_bulk, name="documents-bulk"),
    path(
        "corpora/<slug:slug>/documents/delete/",
        bulk.documents_delete_page,
        name="documents-delete",
    ),
]

api_urlpatterns = [
    path(
        "corpora/<slug:slug>/documents/",
        api_view(documents.DocumentListApi),
        name="api-document-list",
    ),
    path(
        "corpora/<slug:slug>/documents/delete/",
        api_view(bulk_api.DocumentDeleteApi),
        name="api-documents-delete",
    ),
    path(
        "corpora/<slug:slug>/documents/<int:pk>/",
        api_view(documents.DocumentDetailApi),
        name="api-document-detail",
    ),
    path(
        "corpora/<slug:slug>/documents/<int:pk>/my-layer/",
        api_view(layers.MyLayerApi),
        name="api-my-layer",
    ),
    path(
        "corpora/<slug:slug>/documents/<int:pk>/comments/",
        api_view(comments.CommentListApi),
        name="api-document-comments",
    ),
    path("comments/<int:pk>/", api_view(comments.CommentDetailApi), name="api-comment-detail"),
    path(
        "corpora/<slug:slug>/next-document/",
        api_view(layers.NextDocumentApi),
        name="api-next-document",
    ),
    path("annotations/<int:pk>/", api_view(layer_detail.LayerDetailApi), name="api-layer-detail"),
    path("annotations/<int:pk>/submit/", api_view(layers.LayerSubmitApi), name="api-layer-submit"),
    path("annotations/<int:pk>/skip/", api_view(layers.LayerSkipApi), name="api-layer-skip"),
    path(
        "annotations/<int:pk>/revisions/",
        api_view(layers.RevisionListApi),
        name="api-layer-revisions",
    ),
    path(
        "annotations/<int:pk>/revisions/<int:version>/",
        api_view(layers.RevisionDetailApi),
        name="api-layer-revision",
    ),
]
