from django.urls import path

from . import data_views, people_views, views

urlpatterns = [
    path("start/", views.onboarding, name="onboarding"),
    path("account/", views.account_settings, name="account_settings"),
    path("account/tokens/", views.token_create, name="token_create"),
    path("account/tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
    path("account/delete/", views.account_delete, name="account_delete"),
    path("advising/", views.advisor_home, name="advisor_home"),
    path("c/<uuid:company_id>/people/", people_views.company_people, name="company_people"),
    path("c/<uuid:company_id>/people/invite/", people_views.member_invite, name="member_invite"),
    path("c/<uuid:company_id>/people/<int:membership_id>/remove/", people_views.member_remove, name="member_remove"),
    path("c/<uuid:company_id>/people/<int:membership_id>/role/", people_views.member_role, name="member_role"),
    path("c/<uuid:company_id>/advisors/", people_views.advisor_grant, name="advisor_grant"),
    path("c/<uuid:company_id>/advisors/<int:consent_id>/revoke/", people_views.consent_revoke,
         name="consent_revoke"),
    path("c/<uuid:company_id>/sharing/", people_views.company_sharing, name="company_sharing"),
    path("invite/<str:invitation_token>/", people_views.invitation_accept, name="invitation_accept"),
    path("c/<uuid:company_id>/audit/", data_views.audit_log, name="audit_log"),
    path("c/<uuid:company_id>/export.json", data_views.company_export_json, name="company_export_json"),
    path("c/<uuid:company_id>/export.pdf", data_views.company_export_pdf, name="company_export_pdf"),
    path("c/<uuid:company_id>/delete/", data_views.company_delete, name="company_delete"),
]
