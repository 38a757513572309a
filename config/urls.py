"""URL routes: each app's pages and API (under api/), sign in and out, the OpenAPI schema, admin.

API views authenticate themselves (session or token) and answer 401/403 in JSON, so the
site-wide login redirect is lifted for them (`config.api.api_view`); Swagger UI is a page
and keeps it.
"""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from annotations import urls as annotations_urls
from config.api import api_view
from config.auth_api import AuthTokenApi
from config.error_views import api_not_found
from corpus import urls as corpus_urls
from exports import urls as exports_urls
from imports import urls as imports_urls
from learning import urls as learning_urls
from preannotation import urls as preannotation_urls
from review import urls as review_urls
from workers import urls as workers_urls

APPS = [
    corpus_urls,
    annotations_urls,
    preannotation_urls,
    learning_urls,
    imports_urls,
    exports_urls,
    review_urls,
    workers_urls,
]

urlpatterns = [
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("api/schema/", api_view(SpectacularAPIView), name="api-schema"),
    # The split view serves Swagger UI's set-up script as a file: no inline script (CSP).
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/auth/token/", api_view(AuthTokenApi), name="api-auth-token"),
    *(path("api/", include(app.api_urlpatterns)) for app in APPS),
    re_path(r"^api/", api_not_found, name="api-not-found"),  # JSON, never a debug page
    *(path("", include(app.urlpatterns)) for app in APPS),
]

# Errors outside DRF's views: JSON on /api/ URLs, small pages elsewhere.
handler400 = "config.error_views.bad_request"
handler403 = "config.error_views.permission_denied"
handler404 = "config.error_views.page_not_found"
handler500 = "config.error_views.server_error"
