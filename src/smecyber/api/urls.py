"""Mounted at /api/ by the root URLconf; URL names live in the ``api`` namespace (e.g. ``api:scan_detail``)."""

from django.urls import path

from .v1 import api

urlpatterns = [
    path("v1/", api.urls),
]
