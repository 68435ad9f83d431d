"""The self-assessment (views.py) and the action plan (plan_views.py) of one SME."""

from django.urls import path

from . import plan_views, views

urlpatterns = [
    path("c/<uuid:company_id>/assessment/", views.assessment_home, name="assessment_home"),
    path("c/<uuid:company_id>/assessment/start/", views.assessment_start, name="assessment_start"),
    path("c/<uuid:company_id>/assessment/<uuid:assessment_id>/profile/", views.assessment_profile,
         name="assessment_profile"),
    path("c/<uuid:company_id>/assessment/<uuid:assessment_id>/area/<slug:area>/", views.assessment_step,
         name="assessment_step"),
    path("c/<uuid:company_id>/assessment/<uuid:assessment_id>/review/", views.assessment_review,
         name="assessment_review"),
    path("c/<uuid:company_id>/assessment/<uuid:assessment_id>/submit/", views.assessment_submit,
         name="assessment_submit"),
    path("c/<uuid:company_id>/assessment/<uuid:assessment_id>/assign/", views.assessment_assign,
         name="assessment_assign"),
    path("c/<uuid:company_id>/assessment/<uuid:assessment_id>/comment/", views.assessment_comment,
         name="assessment_comment"),
    path("c/<uuid:company_id>/assessment/<uuid:assessment_id>/result/", views.assessment_result,
         name="assessment_result"),
    path("c/<uuid:company_id>/plan/", plan_views.action_plan, name="action_plan"),
    path("c/<uuid:company_id>/plan.csv", plan_views.action_plan_csv, name="action_plan_csv"),
    path("c/<uuid:company_id>/plan/<int:item_id>/", plan_views.action_item_update, name="action_item_update"),
]
