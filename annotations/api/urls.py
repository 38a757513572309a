"""URL routes of the REST API, its OpenAPI schema and Swagger UI.

API views authenticate themselves (session or token) and answer 401/403 in JSON, so the
site-wide login redirect is lifted for them; Swagger UI is a page and keeps it.
"""

from django.contrib.auth.decorators import login_not_required
from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from annotations.api import corpora, documents, exports, layers, runs


def api(view_class):
    return login_not_required(view_class.as_view())


urlpatterns = [
    path("corpora/", api(corpora.CorpusListApi), name="api-corpus-list"),
    path("corpora/<slug:slug>/", api(corpora.CorpusDetailApi), name="api-corpus-detail"),
    path("corpora/<slug:slug>/documents/", api(corpora.DocumentListApi), name="api-document-list"),
    path(
        "corpora/<slug:slug>/documents/<int:pk>/",
        api(documents.DocumentDetailApi),
        name="api-document-detail",
    ),
    path(
        "corpora/<slug:slug>/export/preview/",
        api(exports.ExportPreviewApi),
        name="api-corpus-export-preview",
    ),
    path("corpora/<slug:slug>/export/", api(exports.ExportApi), name="api-corpus-export"),
    path(
        "corpora/<slug:slug>/preannotation-runs/",
        api(runs.RunListApi),
        name="api-run-list",
    ),
    path(
        "corpora/<slug:slug>/preannotation-runs/<int:pk>/",
        api(runs.RunDetailApi),
        name="api-run-detail",
    ),
    path(
        "corpora/<slug:slug>/preannotation-runs/<int:pk>/resume/",
        api(runs.RunResumeApi),
        name="api-run-resume",
    ),
    path(
        "corpora/<slug:slug>/documents/<int:pk>/my-layer/",
        api(layers.MyLayerApi),
        name="api-my-layer",
    ),
    path(
        "corpora/<slug:slug>/next-document/", api(layers.NextDocumentApi), name="api-next-document"
    ),
    path("annotations/<int:pk>/", api(documents.LayerDetailApi), name="api-layer-detail"),
    path("annotations/<int:pk>/submit/", api(layers.LayerSubmitApi), name="api-layer-submit"),
    path("annotations/<int:pk>/skip/", api(layers.LayerSkipApi), name="api-layer-skip"),
    path(
        "annotations/<int:pk>/revisions/",
        api(layers.RevisionListApi),
        name="api-layer-revisions",
    ),
    path(
        "annotations/<int:pk>/revisions/<int:version>/",
        api(layers.RevisionDetailApi),
        name="api-layer-revision",
    ),
    path("schema/", api(SpectacularAPIView), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]
