from django.urls import path

from . import views

urlpatterns = [
    path("c/<uuid:company_id>/domains/", views.domain_list, name="domain_list"),
    path("c/<uuid:company_id>/domains/add/", views.domain_add, name="domain_add"),
    path("d/<uuid:domain_id>/", views.domain_detail, name="domain_detail"),
    path("d/<uuid:domain_id>/verify/", views.domain_verify, name="domain_verify"),
    path("d/<uuid:domain_id>/schedule/", views.domain_schedule, name="domain_schedule"),
    path("d/<uuid:domain_id>/remove/", views.domain_remove, name="domain_remove"),
]
