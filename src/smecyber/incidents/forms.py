"""The incident form. Choices come from the incident catalog in the reader's language; the form parses the
input, the service (services.validate) decides what is valid, and its messages land on the fields here."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .services import NOTES_MAX, OTHER_MAX, TITLE_MAX, IncidentData, IncidentInvalid

# datetime-local inputs send "2026-03-28T10:00"; Django reads them in the active time zone
DATETIME_LOCAL = "%Y-%m-%dT%H:%M"
YES, NO = "yes", "no"


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs={"step": "60", **(attrs or {})}, format=DATETIME_LOCAL)


class IncidentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type of incident"))
    title = forms.CharField(label=_("Short description"), max_length=TITLE_MAX,
                            help_text=_("A few words you will recognise later, e.g. \"Fake invoice from a "
                                        "supplier\"."))
    occurred_at = forms.DateTimeField(label=_("When it happened or started"), widget=LocalDateTimeInput(),
                                      input_formats=[DATETIME_LOCAL, "%Y-%m-%d %H:%M", "%Y-%m-%d"])
    detected_at = forms.DateTimeField(label=_("When you noticed it"), required=False, widget=LocalDateTimeInput(),
                                      input_formats=[DATETIME_LOCAL, "%Y-%m-%d %H:%M", "%Y-%m-%d"],
                                      help_text=_("Leave empty if you noticed it at once. Reporting deadlines "
                                                  "count from when you became aware."))
    affected = forms.MultipleChoiceField(label=_("What was affected"), required=False,
                                         widget=forms.CheckboxSelectMultiple)
    impact = forms.ChoiceField(label=_("Impact"), widget=forms.RadioSelect)
    cost_band = forms.ChoiceField(label=_("What it cost in all"),
                                  help_text=_("Repairs, lost working time, lost money and outside help together. "
                                              "An estimate is enough."))
    reported = forms.ChoiceField(label=_("Did you report it to an authority or the police?"),
                                 choices=[(NO, _("No")), (YES, _("Yes"))], initial=NO, widget=forms.RadioSelect)
    reported_to = forms.MultipleChoiceField(label=_("To whom"), required=False, widget=forms.CheckboxSelectMultiple)
    reported_other = forms.CharField(label=_("Someone else: who?"), required=False, max_length=OTHER_MAX)
    notes = forms.CharField(label=_("What happened and what you did"), required=False, max_length=NOTES_MAX,
                            widget=forms.Textarea(attrs={"rows": 6}),
                            help_text=_("For yourself and your colleagues. Do not write passwords here."))

    def __init__(self, *args: Any, kinds: list[tuple[str, str]], affected: list[tuple[str, str]],
                 impacts: list[tuple[str, str]], cost_bands: list[tuple[str, str]],
                 reporting: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["kind"].choices = [("", _("Choose…")), *kinds]
        fields["affected"].choices = affected
        fields["impact"].choices = impacts
        fields["cost_band"].choices = [("", _("Choose…")), *cost_bands]
        fields["reported_to"].choices = reporting

    def data_for_service(self) -> IncidentData:
        """The parsed values (call after is_valid())."""
        c = self.cleaned_data
        return IncidentData(
            kind=c["kind"], title=c["title"], occurred_at=c["occurred_at"], detected_at=c.get("detected_at"),
            affected=list(c.get("affected") or []), impact=c["impact"], cost_band=c["cost_band"],
            reported=c["reported"] == YES, reported_to=list(c.get("reported_to") or []),
            reported_other=c.get("reported_other") or "", notes=c.get("notes") or "")

    def add_service_errors(self, error: IncidentInvalid) -> None:
        for name, messages in error.errors.items():
            for message in messages:
                self.add_error(name if name in self.fields else None, message)


def initial_of(data: IncidentData) -> dict[str, Any]:
    return {"kind": data.kind, "title": data.title, "occurred_at": data.occurred_at,
            "detected_at": data.detected_at, "affected": data.affected, "impact": data.impact,
            "cost_band": data.cost_band, "reported": YES if data.reported else NO, "reported_to": data.reported_to,
            "reported_other": data.reported_other, "notes": data.notes}
