"""Campaigns (coordinators: campaign_views.py), answering (respondents: answer_views.py) and statistics and the
evidence pack (coordinators: statistics_views.py)."""

from django.urls import path, register_converter

from . import answer_views, campaign_views, statistics_views


class ExportFormat:
    regex = "csv|xlsx|pdf"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(ExportFormat, "export_format")

urlpatterns = [
    path("p/<uuid:programme_id>/surveys/", campaign_views.campaign_list, name="campaign_list"),
    path("p/<uuid:programme_id>/surveys/new/", campaign_views.campaign_new, name="campaign_new"),
    path("surveys/<uuid:campaign_id>/edit/", campaign_views.campaign_edit, name="campaign_edit"),
    path("surveys/<uuid:campaign_id>/open/", campaign_views.campaign_open, name="campaign_open"),
    path("surveys/<uuid:campaign_id>/close/", campaign_views.campaign_close, name="campaign_close"),
    path("surveys/<uuid:campaign_id>/", statistics_views.campaign_overview, name="campaign_overview"),
    path("surveys/<uuid:campaign_id>/evidence.<export_format:fmt>", statistics_views.campaign_export,
         name="campaign_export"),
    path("answer/<str:link_token>/", answer_views.answer_anonymous, name="survey_answer_anonymous"),
    path("c/<uuid:company_id>/surveys/", answer_views.company_surveys, name="company_surveys"),
    path("c/<uuid:company_id>/surveys/<uuid:campaign_id>/", answer_views.answer_member, name="survey_answer_member"),
]
