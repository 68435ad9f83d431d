"""An SME's incident log (views.py) and a programme's anonymised threat statistics (threat_views.py)."""

from django.urls import path

from . import threat_views, views

urlpatterns = [
    path("c/<uuid:company_id>/incidents/", views.incident_list, name="incident_list"),
    path("c/<uuid:company_id>/incidents/new/", views.incident_new, name="incident_new"),
    path("c/<uuid:company_id>/incidents/where-to-report/", views.incident_guidance, name="incident_guidance"),
    path("c/<uuid:company_id>/incidents/<uuid:incident_id>/", views.incident_detail, name="incident_detail"),
    path("c/<uuid:company_id>/incidents/<uuid:incident_id>/edit/", views.incident_edit, name="incident_edit"),
    path("c/<uuid:company_id>/incidents/<uuid:incident_id>/delete/", views.incident_delete, name="incident_delete"),
    path("p/<uuid:programme_id>/threats/", threat_views.programme_threats, name="programme_threats"),
]
