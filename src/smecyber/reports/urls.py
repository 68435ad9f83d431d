"""The reports app stores nothing: it reads scans, findings and the catalog."""

from django.urls import path

from . import views

urlpatterns = [
    path("c/<uuid:company_id>/", views.company_dashboard, name="company_dashboard"),
    path("c/<uuid:company_id>/report/", views.company_report, name="company_report"),
    path("c/<uuid:company_id>/report.pdf", views.company_report_pdf, name="company_report_pdf"),
    path("p/<uuid:programme_id>/", views.programme_dashboard, name="programme_dashboard"),
]
