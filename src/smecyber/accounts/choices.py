"""Choices for the SME profile: countries of the EU/EEA (Baltic Sea countries first) and NACE sections."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

# The countries around the Baltic Sea come first: the programmes this platform serves are there.
BALTIC_SEA_COUNTRIES = [
    ("DK", _("Denmark")),
    ("EE", _("Estonia")),
    ("FI", _("Finland")),
    ("DE", _("Germany")),
    ("LV", _("Latvia")),
    ("LT", _("Lithuania")),
    ("PL", _("Poland")),
    ("SE", _("Sweden")),
]

OTHER_EU_EEA_COUNTRIES = [
    ("AT", _("Austria")),
    ("BE", _("Belgium")),
    ("BG", _("Bulgaria")),
    ("HR", _("Croatia")),
    ("CY", _("Cyprus")),
    ("CZ", _("Czechia")),
    ("FR", _("France")),
    ("GR", _("Greece")),
    ("HU", _("Hungary")),
    ("IS", _("Iceland")),
    ("IE", _("Ireland")),
    ("IT", _("Italy")),
    ("LI", _("Liechtenstein")),
    ("LU", _("Luxembourg")),
    ("MT", _("Malta")),
    ("NL", _("Netherlands")),
    ("NO", _("Norway")),
    ("PT", _("Portugal")),
    ("RO", _("Romania")),
    ("SK", _("Slovakia")),
    ("SI", _("Slovenia")),
    ("ES", _("Spain")),
]


def country_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Called per form, so the names are in the user's language and sorted in it."""
    # Grouped so a screen reader and a phone's picker both show where the short list ends.
    return [
        (str(_("Baltic Sea Region")), [(code, str(name)) for code, name in BALTIC_SEA_COUNTRIES]),
        (str(_("Other EU and EEA countries")),
         sorted(((code, str(name)) for code, name in OTHER_EU_EEA_COUNTRIES), key=lambda c: c[1])),
    ]


COUNTRY_CODES = frozenset(code for code, _name in BALTIC_SEA_COUNTRIES + OTHER_EU_EEA_COUNTRIES)


def country_name(code: str) -> str:
    for known, name in BALTIC_SEA_COUNTRIES + OTHER_EU_EEA_COUNTRIES:
        if known == code:
            return str(name)
    return code


# NACE Rev. 2 sections (Regulation (EC) No 1893/2006).
NACE_SECTIONS = [
    ("A", _("Agriculture, forestry and fishing")),
    ("B", _("Mining and quarrying")),
    ("C", _("Manufacturing")),
    ("D", _("Electricity, gas, steam and air conditioning supply")),
    ("E", _("Water supply; sewerage, waste management and remediation activities")),
    ("F", _("Construction")),
    ("G", _("Wholesale and retail trade; repair of motor vehicles and motorcycles")),
    ("H", _("Transportation and storage")),
    ("I", _("Accommodation and food service activities")),
    ("J", _("Information and communication")),
    ("K", _("Financial and insurance activities")),
    ("L", _("Real estate activities")),
    ("M", _("Professional, scientific and technical activities")),
    ("N", _("Administrative and support service activities")),
    ("O", _("Public administration and defence; compulsory social security")),
    ("P", _("Education")),
    ("Q", _("Human health and social work activities")),
    ("R", _("Arts, entertainment and recreation")),
    ("S", _("Other service activities")),
    ("T", _("Activities of households as employers; goods and services for own use")),
    ("U", _("Activities of extraterritorial organisations and bodies")),
]


def sector_choices() -> list[tuple[str, str]]:
    return [(code, f"{code} – {name}") for code, name in NACE_SECTIONS]


def sector_name(code: str) -> str:
    for known, name in NACE_SECTIONS:
        if known == code:
            return f"{code} – {name}"
    return code
