"""What the methodology needs to know about an SME to decide which questions apply and how risks weigh."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Profile:
    country: str = ""  # ISO 3166-1 alpha-2, upper case
    sector: str = ""  # NACE Rev. 2 section letter A-U, "" when unknown
    size_band: str = "micro"  # micro | small | medium | large (questionnaire_model.SIZE_BANDS)
    employees: int | None = None  # staff headcount (annual work units), for the NIS2 size-cap rule
    turnover_meur: float | None = None  # annual turnover in million euro
    balance_sheet_meur: float | None = None  # annual balance sheet total in million euro
    builds_software: bool = False  # develops software or digital products (own or for customers)
    places_products: bool = False  # makes software or connected products available on the EU market (CRA)
    personal_data: frozenset[str] = field(default_factory=frozenset)  # of PERSONAL_DATA_KINDS
    nis2_sector: str = ""  # an id of nis2_sectors.yaml, "" = none of them

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["personal_data"] = sorted(self.personal_data)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Profile:
        """From ``to_dict`` output (stored JSON); unknown keys are ignored. Validation: profile_problems."""
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        if "personal_data" in known:
            known["personal_data"] = frozenset(known["personal_data"] or ())
        return cls(**known)
