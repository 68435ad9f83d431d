"""Forms of the self-assessment: the company profile, asking a colleague to answer an area, comments.

The answers themselves are radio buttons built from the questionnaire (views.assessment_step); their values are
checked by ``services.save_answers``.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from smecyber.accounts.choices import country_choices, sector_choices
from smecyber.accounts.models import Company
from smecyber.catalog.questionnaire_model import PERSONAL_DATA_KINDS, Questionnaire
from smecyber.methodology.profile import Profile

PERSONAL_DATA_LABELS = {
    "citizens": _("Citizens' data for a public body (for example registers or case files)"),
    "patients": _("Patients' health data"),
    "pupils": _("Pupils' or students' data"),
}


class ProfileForm(forms.Form):
    """What decides which questions apply and what NIS2 and the CRA mean for the company."""

    country = forms.ChoiceField(label=_("Country"), choices=country_choices)
    sector = forms.ChoiceField(
        label=_("Sector"),
        choices=lambda: [("", _("Choose the sector of your main activity")), *sector_choices()],
        help_text=_("The NACE section of your main activity, as in the business register."),
    )
    size_band = forms.ChoiceField(label=_("Size"), choices=Company.SizeBand.choices)
    employees = forms.IntegerField(
        label=_("Staff headcount"), required=False, min_value=0, max_value=10_000_000,
        help_text=_("Optional. People working for the company, full-time equivalent."),
    )
    turnover_meur = forms.FloatField(
        label=_("Annual turnover, in million euro"), required=False, min_value=0, max_value=1_000_000,
        help_text=_("Optional, for example 1.5. With the headcount and the balance sheet it decides the company's "
                    "size under the EU definition that NIS2 uses. Without them we go by the size you chose."),
    )
    balance_sheet_meur = forms.FloatField(
        label=_("Balance sheet total, in million euro"), required=False, min_value=0, max_value=1_000_000,
        help_text=_("Optional, also for the NIS2 size rule."),
    )
    builds_software = forms.BooleanField(
        label=_("We build software or digital products (for ourselves or for customers)"), required=False,
        help_text=_("Adds the questions about secure development."),
    )
    places_products = forms.BooleanField(
        label=_("We sell or give away software or connected devices in the EU"), required=False,
        help_text=_("Apps, programs, firmware or devices that connect to a network. The EU Cyber Resilience Act "
                    "applies to them."),
    )
    personal_data = forms.MultipleChoiceField(
        label=_("We handle personal data of these groups"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=[(kind, PERSONAL_DATA_LABELS[kind]) for kind in PERSONAL_DATA_KINDS],
        help_text=_("Tick none if none applies. These data need more care under the GDPR."),
    )
    nis2_sector = forms.ChoiceField(
        label=_("Does the company work in one of these sectors?"), required=False,
        help_text=_("The sectors of the EU NIS2 directive. Choose the one closest to your main activity."),
    )

    def __init__(self, *args: Any, questionnaire: Questionnaire, lang: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        by_annex: dict[str, list[tuple[str, str]]] = {"I": [], "II": []}
        for sector in questionnaire.nis2_sectors.values():
            by_annex.setdefault(sector.annex, []).append((sector.id, sector.title(lang)))
        self.fields["nis2_sector"].choices = [
            ("", _("None of these")),
            (str(_("Sectors of high criticality (NIS2 Annex I)")), by_annex["I"]),
            (str(_("Other critical sectors (NIS2 Annex II)")), by_annex["II"]),
        ]

    @classmethod
    def initial_from(cls, profile: Profile) -> dict[str, Any]:
        data = profile.to_dict()
        if data.get("country"):
            data["country"] = str(data["country"]).upper()
        return data

    def profile_data(self) -> dict[str, Any]:
        """The cleaned data with Profile's field names and types."""
        data = dict(self.cleaned_data)
        data["country"] = data["country"].upper()
        data["personal_data"] = sorted(data.get("personal_data") or [])
        data["nis2_sector"] = data.get("nis2_sector") or ""
        return {k: v for k, v in data.items() if k in Profile.__dataclass_fields__}


class AssignForm(forms.Form):
    """Ask a member, or someone invited by email, to answer one area."""

    area = forms.ChoiceField(label=_("Area"))
    member = forms.ChoiceField(label=_("A colleague who already uses smecyber"), required=False)
    email = forms.EmailField(
        label=_("Or invite someone by email"), required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
        help_text=_("They get an invitation to join the company and a link to the area."),
    )

    def __init__(self, *args: Any, areas: list[tuple[str, str]], members: list[tuple[str, str]],
                 **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "assign_%s")
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = areas
        self.fields["member"].choices = [("", _("Choose a colleague")), *members]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("member")) == bool(data.get("email")):
            raise forms.ValidationError(_("Choose a colleague or type an email address (one of the two)."))
        return data


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Comment"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    question = forms.CharField(required=False, max_length=80, widget=forms.HiddenInput)

    def __init__(self, *args: Any, question_ids: frozenset[str] | set[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.question_ids = question_ids

    def clean_question(self) -> str:
        qid = (self.cleaned_data.get("question") or "").strip()
        if qid and qid not in self.question_ids:
            raise forms.ValidationError(_("There is no such question."))
        return qid
