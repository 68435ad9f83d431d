"""Root URLs. Every view named here has a rule in the access-control matrix (tests/web/test_access_matrix.py)."""

from django.contrib import admin
from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("allauth.urls")),
    path("", include("smecyber.accounts.urls")),
    path("", include("smecyber.assets.urls")),
    path("", include("smecyber.scans.urls")),
    path("", include("smecyber.reports.urls")),
    path("", include("smecyber.assessments.urls")),
    path("", include("smecyber.surveys.urls")),
    path("", include("smecyber.incidents.urls")),
    path("api/", include("smecyber.api.urls")),
    path("admin/", admin.site.urls),
]
