"""The languages every user-facing catalog text must exist in."""

from __future__ import annotations

SUPPORTED_LANGUAGES: tuple[str, ...] = ("en", "sv", "lv", "lt")
DEFAULT_LANGUAGE = "en"


def normalize_language(lang: str | None) -> str:
    """Map ``sv-SE``, ``SV`` or ``lt_LT`` to a supported code; anything unsupported falls back to English."""
    if not lang:
        return DEFAULT_LANGUAGE
    code = lang.strip().replace("_", "-").split("-")[0].lower()
    return code if code in SUPPORTED_LANGUAGES else DEFAULT_LANGUAGE
