"""The coordinator's campaign pages."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from smecyber.surveys import services
from smecyber.surveys.models import Campaign
from tests.surveys.conftest import SurveyWorld
from tests.surveys.helpers import valid_answers


def test_the_list_shows_status_counts_and_the_link_to_share_once_open(sw: SurveyWorld, draft: Campaign) -> None:
    client = sw.client(sw.coordinator)
    url = reverse("campaign_list", kwargs={"programme_id": sw.programme.pk})
    page = client.get(url).content.decode()
    assert "Needs survey 2026" in page and reverse("campaign_edit", args=[draft.pk]) in page
    assert draft.link_token not in page  # not shared before it is open
    services.open_campaign(draft, sw.coordinator)
    services.submit_response(draft, valid_answers(draft), language="en")
    services.submit_response(draft, valid_answers(draft), language="en", company=sw.a)
    page = client.get(url).content.decode()
    link = settings.SITE_URL + reverse("survey_answer_anonymous", args=[draft.link_token])
    assert f'value="{link}"' in page
    assert "2 answers" in page and "1 of them from a member SME" in page
    assert reverse("campaign_close", args=[draft.pk]) in page


def test_new_creates_a_draft_from_the_template(sw: SurveyWorld) -> None:
    client = sw.client(sw.coordinator)
    url = reverse("campaign_new", kwargs={"programme_id": sw.programme.pk})
    page = client.get(url).content.decode()
    assert "How you protect your IT" in page  # the template's sections are previewed
    assert client.post(url, {"title": "  "}).status_code == 400
    response = client.post(url, {"title": "Spring survey"})
    campaign = Campaign.objects.get(title="Spring survey")
    assert response.status_code == 302 and response["Location"] == reverse("campaign_edit", args=[campaign.pk])
    assert campaign.programme == sw.programme and campaign.status == Campaign.Status.DRAFT


def test_edit_saves_title_intro_and_questions_and_keeps_the_profile(sw: SurveyWorld, draft: Campaign) -> None:
    client = sw.client(sw.coordinator)
    url = reverse("campaign_edit", args=[draft.pk])
    page = client.get(url).content.decode()
    assert 'name="included" value="measures"' in page and 'name="included" value="country"' not in page
    assert page.count("<textarea") == 4
    response = client.post(url, {"title": "Edited", "intro_en": "Why we ask", "intro_lt": "Kodėl klausiame",
                                 "included": ["measures", "incidents"], "anonymous_link": "on", "members": "on"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title == "Edited" and draft.intro == {"en": "Why we ask", "lt": "Kodėl klausiame"}
    assert draft.included == ["country", "sector", "size_band", "builds_software", "measures", "incidents"]
    bad = client.post(url, {"title": "Edited", "included": ["measures"]})  # neither channel
    assert bad.status_code == 400
    assert client.post(url, {"title": "Edited", "included": ["nonsense"], "members": "on"}).status_code == 400


def test_edit_only_in_draft(sw: SurveyWorld, campaign: Campaign) -> None:
    client = sw.client(sw.coordinator)
    url = reverse("campaign_edit", args=[campaign.pk])
    response = client.get(url)
    assert response.status_code == 302 and response["Location"] == reverse("campaign_overview", args=[campaign.pk])
    response = client.post(url, {"title": "Changed", "included": [], "members": "on"})
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.title == "Needs survey 2026"


def test_open_then_close_is_final(sw: SurveyWorld, draft: Campaign) -> None:
    client = sw.client(sw.coordinator)
    assert client.post(reverse("campaign_open", args=[draft.pk])).status_code == 302
    draft.refresh_from_db()
    assert draft.status == Campaign.Status.OPEN
    confirm = client.get(reverse("campaign_close", args=[draft.pk])).content.decode()
    assert "Closing is final" in confirm and "cannot be opened again" in confirm
    response = client.post(reverse("campaign_close", args=[draft.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("campaign_overview", args=[draft.pk])
    draft.refresh_from_db()
    assert draft.status == Campaign.Status.CLOSED
    response = client.post(reverse("campaign_open", args=[draft.pk]), follow=True)
    assert "cannot be opened again" in response.content.decode()
    assert Campaign.objects.get(pk=draft.pk).status == Campaign.Status.CLOSED


def test_open_is_post_only(sw: SurveyWorld, draft: Campaign) -> None:
    assert sw.client(sw.coordinator).get(reverse("campaign_open", args=[draft.pk])).status_code == 405
    draft.refresh_from_db()
    assert draft.status == Campaign.Status.DRAFT


def test_a_coordinator_of_another_programme_gets_404_everywhere(sw: SurveyWorld, draft: Campaign) -> None:
    client = sw.client(sw.other_coordinator)
    assert client.get(reverse("campaign_list", kwargs={"programme_id": sw.programme.pk})).status_code == 404
    assert client.get(reverse("campaign_new", kwargs={"programme_id": sw.programme.pk})).status_code == 404
    assert client.post(reverse("campaign_new", kwargs={"programme_id": sw.programme.pk}),
                       {"title": "Mine"}).status_code == 404
    assert client.get(reverse("campaign_edit", args=[draft.pk])).status_code == 404
    assert client.post(reverse("campaign_edit", args=[draft.pk]), {"title": "Hijacked"}).status_code == 404
    assert client.post(reverse("campaign_open", args=[draft.pk])).status_code == 404
    assert client.post(reverse("campaign_close", args=[draft.pk])).status_code == 404
    draft.refresh_from_db()
    assert draft.title == "Needs survey 2026" and draft.status == Campaign.Status.DRAFT
    assert Campaign.objects.count() == 1
    # their own programme's list does not show P's campaign
    page = client.get(reverse("campaign_list", kwargs={"programme_id": sw.other_programme.pk})).content.decode()
    assert "Needs survey 2026" not in page


def test_sme_people_cannot_manage_campaigns(sw: SurveyWorld, draft: Campaign) -> None:
    client = sw.client(sw.owner)
    assert client.get(reverse("campaign_list", kwargs={"programme_id": sw.programme.pk})).status_code == 404
    assert client.post(reverse("campaign_open", args=[draft.pk])).status_code == 404
