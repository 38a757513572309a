"""URL routes: each app's pages and API (under api/), sign in and out, the OpenAPI schema, admin.

API views authenticate themselves (session or token) and answer 401/403 in JSON, so the
site-wide login redirect is lifted for them (`config.api.api_view`); Swagger UI is a page
and keeps it.
"""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from annotations import urls as annotations_urls
from config.api import api_view
from corpus import urls as corpus_urls
from exports import urls as exports_urls
from imports import urls as imports_urls
from preannotation import urls as preannotation_urls
from review import urls as review_urls

APPS = [corpus_urls, annotations_urls, preannotation_urls, imports_urls, exports_urls, review_urls]

urlpatterns = [
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("api/schema/", api_view(SpectacularAPIView), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    *(path("api/", include(app.api_urlpatterns)) for app in APPS),
    *(path("", include(app.urlpatterns)) for app in APPS),
]
