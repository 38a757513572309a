"""URL routes: pages, sign in and out, the REST API with its OpenAPI schema, and the admin."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from imports.urls import api_urlpatterns as import_api_urlpatterns

urlpatterns = [
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("api/", include("annotations.api.urls")),
    path("api/", include(import_api_urlpatterns)),
    path("", include("annotations.urls")),
    path("", include("imports.urls")),
]
