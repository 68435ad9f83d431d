from django.urls import path

from . import views

urlpatterns = [
    path("d/<uuid:domain_id>/scan/", views.scan_request, name="scan_request"),
    path("s/<uuid:scan_id>/", views.scan_detail, name="scan_detail"),
    path("s/<uuid:scan_id>/progress/", views.scan_progress, name="scan_progress"),
    path("p/<uuid:programme_id>/batches/", views.batch_list, name="batch_list"),
    path("p/<uuid:programme_id>/batches/new/", views.batch_new, name="batch_new"),
    path("b/<uuid:batch_id>/", views.batch_detail, name="batch_detail"),
]
