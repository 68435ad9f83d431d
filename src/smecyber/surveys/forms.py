"""Forms of the coordinator's campaign pages. (The answer form is built from the campaign's frozen definition in
answer_views.py: its questions are data, not form fields.)"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from smecyber.catalog.languages import SUPPORTED_LANGUAGES

from .models import Campaign
from .services import INTRO_MAX, TITLE_MAX, all_questions

LANGUAGE_NAMES = {"en": _("English"), "sv": _("Swedish"), "lv": _("Latvian"), "lt": _("Lithuanian")}


class CampaignNewForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX,
                            help_text=_("Respondents see it, for example \"Cyber security needs of SMEs 2026\"."))


class CampaignEditForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    anonymous_link = forms.BooleanField(label=_("Anyone with the link may answer (anonymous)"), required=False)
    members = forms.BooleanField(label=_("The programme's SMEs may answer when logged in (one answer per SME)"),
                                 required=False)
    included = forms.MultipleChoiceField(label=_("Questions to ask"), required=False,
                                         widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, campaign: Campaign, lang: str, **kwargs: Any) -> None:
        initial = {"title": campaign.title, "anonymous_link": campaign.anonymous_link, "members": campaign.members,
                   "included": list(campaign.included)}
        initial.update({f"intro_{code}": (campaign.intro or {}).get(code, "") for code in SUPPORTED_LANGUAGES})
        super().__init__(*args, initial=initial, **kwargs)
        questions = all_questions(campaign)
        self.fixed_questions = [q.texts.get(lang).question for q in questions if q.fixed]
        self.fields["included"].choices = [(q.id, q.texts.get(lang).question) for q in questions if not q.fixed]
        for code in SUPPORTED_LANGUAGES:
            self.fields[f"intro_{code}"] = forms.CharField(
                label=LANGUAGE_NAMES.get(code, code), required=False, max_length=INTRO_MAX,
                widget=forms.Textarea(attrs={"rows": 4}))

    def intro_fields(self) -> list[forms.BoundField]:
        return [self[f"intro_{code}"] for code in SUPPORTED_LANGUAGES]

    def intro(self) -> dict[str, str]:
        return {code: self.cleaned_data.get(f"intro_{code}", "") for code in SUPPORTED_LANGUAGES}
