"""Forms of the account, onboarding and people pages."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .choices import country_choices, sector_choices
from .models import ApiToken, Company, Membership, Programme, User


class OnboardingForm(forms.ModelForm):
    country = forms.ChoiceField(label=_("Country"), choices=country_choices)
    sector = forms.ChoiceField(
        label=_("Sector"),
        choices=lambda: [("", _("Choose the sector of your main activity")), *sector_choices()],
        help_text=_("The NACE section of your main activity, as in the business register."),
    )
    programme = forms.ModelChoiceField(
        label=_("Support programme"),
        queryset=Programme.objects.none(),
        empty_label=None,
        help_text=_("The programme through which you use smecyber. Its coordinators see anonymised figures only, "
                    "unless you choose to share your results with them."),
    )

    class Meta:
        model = Company
        fields = ["name", "country", "sector", "size_band", "builds_software", "programme"]
        labels = {"name": _("Company name"), "size_band": _("Size"),
                  "builds_software": _("We build software or digital products")}

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = (
            Programme.objects.filter(open_for_signup=True).select_related("organisation").order_by("name")
        )
        self.fields["name"].widget.attrs["autocomplete"] = "organization"


class InviteForm(forms.Form):
    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("auto_id", "invite_%s")  # ids unique on the people page, which has several forms
        super().__init__(*args, **kwargs)

    email = forms.EmailField(label=_("Email address"), widget=forms.EmailInput(attrs={"autocomplete": "off"}))
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices, initial=Membership.Role.MEMBER)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)


class AdvisorGrantForm(forms.Form):
    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("auto_id", "advisor_%s")
        super().__init__(*args, **kwargs)

    email = forms.EmailField(label=_("The advisor's email address"),
                             widget=forms.EmailInput(attrs={"autocomplete": "off"}))


class CompanyDeleteForm(forms.Form):
    confirm_name = forms.CharField(label=_("Type the company's name to confirm"), max_length=200)

    def __init__(self, *args: object, company: Company, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.company = company
        self.fields["confirm_name"].widget.attrs["autocomplete"] = "off"

    def clean_confirm_name(self) -> str:
        typed = self.cleaned_data["confirm_name"].strip()
        if typed != self.company.name.strip():
            raise forms.ValidationError(_("That is not the company's name. Nothing was deleted."))
        return typed


class AccountSettingsForm(forms.ModelForm):
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=[("", _("Same as my browser")), *settings.LANGUAGES],
        help_text=_("Used for pages after you log in, and for the emails we send you."),
    )

    class Meta:
        model = User
        fields = ["language", "alerts_enabled"]
        labels = {"alerts_enabled": _("Email me when a scan finds new problems")}


class TokenCreateForm(forms.ModelForm):
    class Meta:
        model = ApiToken
        fields = ["name"]
        labels = {"name": _("Token name")}
        help_texts = {"name": _("What the token is for, e.g. “deployment pipeline”.")}


class AccountDeleteForm(forms.Form):
    password = forms.CharField(label=_("Your password"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))

    def __init__(self, *args: object, user: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("That is not your password."))
        return password
