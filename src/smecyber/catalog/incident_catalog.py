"""The incident log's catalog data (``catalog/incidents/``): what kinds of incident there are, what can be
affected, impact levels, cost bands, and whom to report to in each country.

    c = load_incident_catalog()                    # packaged, validated once per process (all 4 languages)
    c = load_incident_catalog(tmp_dir)             # a test copy; translations optional, English fallback
    c.label("kinds", "phishing", "sv")
    c.choices("impacts", "lv")                     # [(id, label), ...] in file order, for a form
    guide = authorities_for("SE")                  # CountryAuthorities | None (a country without data)
    guide.csirt, guide.data_protection, guide.police

Every problem of the files is reported at once (``IncidentCatalogError.problems``, one line each).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from ._textfiles import Collector, DataError, Localized, text_of

INCIDENTS_DIR = Path(__file__).parent / "incidents"
TAXONOMY_FILE, AUTHORITIES_FILE = "taxonomy.yaml", "authorities.yaml"

GROUPS = ("kinds", "affected", "impacts", "cost_bands")
ROLES = ("csirt", "data_protection")  # the national CSIRT (IT incidents, NIS2) and the GDPR Art. 33 authority

# what the packaged catalog must hold (issue 5); a test catalog only has to be well formed
REQUIRED_IDS: dict[str, tuple[str, ...]] = {
    "kinds": ("phishing", "malware", "ransomware", "invoice_fraud", "account_takeover", "data_breach", "ddos",
              "website_defacement", "lost_or_stolen_device", "insider_misuse", "supplier_incident", "other"),
    "affected": ("email", "website", "customer_data", "employee_data", "payment", "computers", "phones",
                 "cloud_services", "production_systems", "other"),
    "impacts": ("none", "minor", "significant", "severe"),
    "cost_bands": ("none", "lt_1k", "1k_10k", "10k_50k", "50k_250k", "gt_250k", "unknown"),
}
REQUIRED_COUNTRIES = ("SE", "LV", "LT", "EE", "FI", "PL", "DE", "DK")

_ID = re.compile(r"^[a-z0-9][a-z0-9_]*$")  # cost bands start with a digit (1k_10k)
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_URL = re.compile(r"^https://[^\s/]+\.[^\s/]+(/\S*)?$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$")
_PHONE = re.compile(r"^\+?[0-9][0-9 ()-]{1,20}[0-9]$")


class IncidentCatalogError(DataError):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("the incident catalog", problems)


@dataclass(frozen=True, slots=True)
class ItemText:
    label: str
    help: str | None = None


@dataclass(frozen=True, slots=True)
class TaxonomyItem:
    id: str
    texts: Localized[ItemText]
    personal_data: bool = False  # affected: this is personal data (GDPR Art. 33 may apply)
    from_eur: int | None = None  # cost bands: lower bound (inclusive)
    to_eur: int | None = None  # cost bands: upper bound (exclusive); None = open or not a range

    def label(self, lang: str | None = None) -> str:
        return self.texts.get(lang).label

    def help(self, lang: str | None = None) -> str | None:
        return self.texts.get(lang).help


@dataclass(frozen=True, slots=True)
class AuthorityText:
    what: str  # what this authority does for an SME and when to contact it


@dataclass(frozen=True, slots=True)
class Authority:
    id: str
    role: str  # csirt | data_protection
    name: str  # the official name (not translated)
    url: str
    email: str | None
    phone: str | None
    texts: Localized[AuthorityText]

    def what(self, lang: str | None = None) -> str:
        return self.texts.get(lang).what


@dataclass(frozen=True, slots=True)
class Police:
    name: str
    url: str
    phone: str | None
    texts: Localized[AuthorityText]

    def what(self, lang: str | None = None) -> str:
        return self.texts.get(lang).what


@dataclass(frozen=True, slots=True)
class CountryAuthorities:
    country: str
    authorities: tuple[Authority, ...]
    police: Police | None

    def by_role(self, role: str) -> tuple[Authority, ...]:
        return tuple(a for a in self.authorities if a.role == role)

    @property
    def csirt(self) -> Authority:
        return self.by_role("csirt")[0]

    @property
    def data_protection(self) -> Authority:
        return self.by_role("data_protection")[0]


@dataclass(frozen=True, slots=True)
class IncidentCatalog:
    kinds: Mapping[str, TaxonomyItem]
    affected: Mapping[str, TaxonomyItem]
    impacts: Mapping[str, TaxonomyItem]
    cost_bands: Mapping[str, TaxonomyItem]
    authorities: Mapping[str, CountryAuthorities]  # country code -> whom to report to

    def group(self, name: str) -> Mapping[str, TaxonomyItem]:
        if name not in GROUPS:
            raise KeyError(name)
        return getattr(self, name)  # type: ignore[no-any-return]

    def label(self, group: str, item: str, lang: str | None = None) -> str:
        return self.group(group)[item].label(lang)

    def choices(self, group: str, lang: str | None = None) -> list[tuple[str, str]]:
        return [(i.id, i.label(lang)) for i in self.group(group).values()]

    def authorities_for(self, country: str | None) -> CountryAuthorities | None:
        return self.authorities.get((country or "").upper())

    def personal_data_affected(self, affected: list[str] | tuple[str, ...]) -> bool:
        return any(self.affected[a].personal_data for a in affected if a in self.affected)

    def as_dict(self) -> dict[str, Any]:
        """Everything as JSON-ready data (lists keep the order; every text in every language)."""
        doc: dict[str, Any] = {}
        for group in GROUPS:
            doc[group] = [{"id": i.id, "label": i.texts.field("label"), "help": i.texts.field("help"),
                           **({"personal_data": True} if i.personal_data else {}),
                           **({"from_eur": i.from_eur, "to_eur": i.to_eur} if i.from_eur is not None else {})}
                          for i in self.group(group).values()]
        doc["authorities"] = {
            code: {
                "authorities": [{"id": a.id, "role": a.role, "name": a.name, "url": a.url, "email": a.email,
                                 "phone": a.phone, "what": a.texts.field("what")} for a in ca.authorities],
                "police": None if ca.police is None else {
                    "name": ca.police.name, "url": ca.police.url, "phone": ca.police.phone,
                    "what": ca.police.texts.field("what")},
            }
            for code, ca in self.authorities.items()
        }
        return doc

    def text_rows(self) -> list[dict[str, str | None]]:
        """One row per text field ({kind, id, field, en, sv, lv, lt}) for ``smecyber catalog export --format csv``."""
        rows: list[dict[str, str | None]] = []
        for group in GROUPS:
            for i in self.group(group).values():
                rows.append({"kind": f"incident_{group}", "id": i.id, "field": "label", **i.texts.field("label")})
                if i.texts.get("en").help is not None:
                    rows.append({"kind": f"incident_{group}", "id": i.id, "field": "help", **i.texts.field("help")})
        for code, ca in self.authorities.items():
            for a in ca.authorities:
                rows.append({"kind": "incident_authority", "id": f"{code}.{a.id}", "field": "what",
                             **a.texts.field("what")})
            if ca.police is not None:
                rows.append({"kind": "incident_authority", "id": f"{code}.police", "field": "what",
                             **ca.police.texts.field("what")})
        return rows


def load_incident_catalog(directory: Path | str | None = None, *, strict: bool | None = None) -> IncidentCatalog:
    """Load and validate taxonomy.yaml and authorities.yaml (+ translations). The packaged catalog is loaded
    once per process, must have every language and the ids and countries of issue 5; a directory given is
    checked for form only and may lack translations, unless ``strict=True``."""
    if directory is None:
        return _packaged()
    return _Loader(Path(directory), strict=bool(strict)).load()


def authorities_for(country: str | None) -> CountryAuthorities | None:
    """Whom an SME in ``country`` reports to (packaged data); None for a country without data."""
    return load_incident_catalog().authorities_for(country)


@cache
def _packaged() -> IncidentCatalog:
    return _Loader(INCIDENTS_DIR, strict=True).load()


class _Loader:
    def __init__(self, directory: Path, *, strict: bool) -> None:
        self.c = Collector(directory)
        self.strict = strict

    def problem(self, message: str) -> None:
        self.c.problem(message)

    def load(self) -> IncidentCatalog:
        if not self.c.dir.is_dir():
            raise IncidentCatalogError([f"{self.c.dir}: not a directory"])
        self.c.unexpected_files(("taxonomy", "authorities"))
        groups: dict[str, dict[str, TaxonomyItem]] = {g: {} for g in GROUPS}
        raw = self.c.read(TAXONOMY_FILE)
        if raw is not None and self.c.fields(TAXONOMY_FILE, raw, GROUPS):
            for group in GROUPS:
                groups[group] = self._group(group, raw[group])
            self._cost_ranges(groups["cost_bands"], raw["cost_bands"])
        authorities: dict[str, CountryAuthorities] = {}
        raw_auth = self.c.read(AUTHORITIES_FILE)
        if raw_auth is not None:
            authorities = self._authorities(raw_auth)
        self.c.translations("taxonomy", self.strict)
        self.c.translations("authorities", self.strict)
        if self.strict and not self.c.problems:
            for group, ids in REQUIRED_IDS.items():
                if tuple(groups[group]) != ids:
                    self.problem(f"coverage: {TAXONOMY_FILE}: {group} must be {', '.join(ids)} in this order")
            absent = [c for c in REQUIRED_COUNTRIES if c not in authorities]
            if absent:
                self.problem(f"coverage: {AUTHORITIES_FILE}: no authorities for {', '.join(absent)}")
        if self.c.problems:
            raise IncidentCatalogError(self.c.problems)
        return IncidentCatalog(authorities=authorities, **groups)

    # ---- taxonomy -----------------------------------------------------------------------------------------

    def _group(self, group: str, raw: Any) -> dict[str, TaxonomyItem]:
        if not isinstance(raw, dict) or not raw:
            self.problem(f"{TAXONOMY_FILE}: {group} must be a non-empty mapping of ids")
            return {}
        optional = {"affected": ("personal_data",), "cost_bands": ("from_eur", "to_eur")}.get(group, ())
        items: dict[str, TaxonomyItem] = {}
        for item_id, item in raw.items():
            if not self.c.ident(f"{TAXONOMY_FILE}: {group}", item_id, _ID, "phishing (lower case, digits, _)"):
                continue
            where = f"{TAXONOMY_FILE}: {group}.{item_id}"
            texts = self.c.text("taxonomy", (group, item_id), where, text_of(item), ItemText)
            if not self.c.fields(where, item, ("text",), optional):
                continue
            before = len(self.c.problems)
            english = texts.languages()
            if group == "impacts" and english and texts.get("en").help is None:
                self.problem(f"{where}: an impact needs a help text that defines it")
            personal = item.get("personal_data", False)
            if not isinstance(personal, bool):
                self.problem(f"{where}: personal_data must be true or false, not {personal!r}")
            bounds = {}
            for name in ("from_eur", "to_eur"):
                value = item.get(name)
                if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
                    self.problem(f"{where}: {name} must be a whole number of euros (0 or more), not {value!r}")
                bounds[name] = value
            if len(self.c.problems) == before:
                items[item_id] = TaxonomyItem(item_id, texts, personal_data=personal, **bounds)
        return items

    def _cost_ranges(self, bands: dict[str, TaxonomyItem], raw: Any) -> None:
        """Bands with amounts must follow each other without a gap: each starts where the one before ends."""
        ranged = [b for b in bands.values() if b.from_eur is not None or b.to_eur is not None]
        previous: TaxonomyItem | None = None
        for band in ranged:
            where = f"{TAXONOMY_FILE}: cost_bands.{band.id}"
            if band.from_eur is None:
                self.problem(f"{where}: a band with to_eur needs from_eur")
            elif band.to_eur is not None and band.to_eur <= band.from_eur:
                self.problem(f"{where}: to_eur {band.to_eur} must be more than from_eur {band.from_eur}")
            if previous is not None:
                if previous.to_eur is None:
                    self.problem(f"{where}: comes after the open-ended band {previous.id}")
                elif band.from_eur is not None and band.from_eur != previous.to_eur:
                    self.problem(f"{where}: from_eur {band.from_eur} must be {previous.to_eur}, where "
                                 f"{previous.id} ends (no gap, no overlap)")
            previous = band

    # ---- authorities --------------------------------------------------------------------------------------

    def _authorities(self, raw: dict[Any, Any]) -> dict[str, CountryAuthorities]:
        if not raw:
            self.problem(f"{AUTHORITIES_FILE}: must name at least one country")
        result: dict[str, CountryAuthorities] = {}
        for country, entry in raw.items():
            if not self.c.ident(AUTHORITIES_FILE, country, _COUNTRY, "SE (a two-letter ISO country code)"):
                continue
            where = f"{AUTHORITIES_FILE}: {country}"
            police = self._police(country, entry.get("police")) if isinstance(entry, dict) else None
            items = self._country(country, entry.get("authorities")) if isinstance(entry, dict) else None
            if not self.c.fields(where, entry, ("authorities",), ("police",)) or items is None:
                continue
            if isinstance(entry.get("police"), dict) and police is None:
                continue
            roles = {a.role for a in items}
            missing = [r for r in ROLES if r not in roles]
            if missing:
                self.problem(f"{where}: no authority with role {', '.join(missing)} (every country needs "
                             f"{' and '.join(ROLES)})")
                continue
            result[country] = CountryAuthorities(country, items, police)
        return result

    def _country(self, country: str, raw: Any) -> tuple[Authority, ...] | None:
        where = f"{AUTHORITIES_FILE}: {country}.authorities"
        if not isinstance(raw, list) or not raw:
            self.problem(f"{where}: must be a non-empty list of authorities")
            return None
        items: list[Authority] = []
        ids: set[str] = set()
        ok = True
        for i, item in enumerate(raw, start=1):
            item_id = item.get("id") if isinstance(item, dict) else None
            if not isinstance(item_id, str) or not _ID.match(item_id):
                self.problem(f"{where} {i}: id must be like cert_se (lower case, digits, _), not {item_id!r}")
                ok = False
                continue
            at = f"{where}.{item_id}"
            if item_id in ids:
                self.problem(f"{at}: id is listed twice")
                ok = False
                continue
            ids.add(item_id)
            texts = self.c.text("authorities", (country, "authorities", item_id), at, text_of(item), AuthorityText)
            if not self.c.fields(at, item, ("id", "role", "name", "url", "text"), ("email", "phone")):
                ok = False
                continue
            before = len(self.c.problems)
            if item["role"] not in ROLES:
                self.problem(f"{at}: role {item['role']!r} is not one of {', '.join(ROLES)}")
            self._contact(at, item)
            if len(self.c.problems) == before:
                items.append(Authority(item_id, item["role"], item["name"].strip(), item["url"], item.get("email"),
                                       item.get("phone"), texts))
            else:
                ok = False
        return tuple(items) if ok else None

    def _police(self, country: str, raw: Any) -> Police | None:
        if raw is None:
            return None
        at = f"{AUTHORITIES_FILE}: {country}.police"
        texts = self.c.text("authorities", (country, "police"), at, text_of(raw), AuthorityText)
        if not self.c.fields(at, raw, ("name", "url", "text"), ("phone",)):
            return None
        before = len(self.c.problems)
        self._contact(at, raw)
        if len(self.c.problems) != before:
            return None
        return Police(raw["name"].strip(), raw["url"], raw.get("phone"), texts)

    def _contact(self, at: str, item: dict[Any, Any]) -> None:
        self.c.string(at, "name", item["name"])
        self.c.string(at, "url", item["url"], pattern=_URL, shape="https://host/path")
        if item.get("email") is not None:
            self.c.string(at, "email", item["email"], pattern=_EMAIL, shape="name@example.org")
        if item.get("phone") is not None:
            self.c.string(at, "phone", item["phone"], pattern=_PHONE, shape="+46 10 240 40 40 (a quoted string)")
