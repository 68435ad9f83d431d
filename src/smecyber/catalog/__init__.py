"""Data and loaders: the findings catalog (text, metadata, translations) and the UI strings.

    catalog = load_catalog()                 # validated once per process; CatalogError lists problems
    entry = catalog.entry("dns.caa.missing", "sv")   # title / why / how in Swedish + metadata
    ui_text("report.grade", "lv")
"""

from .findings import Catalog, CatalogError, Entry, Reference, Text, load_catalog
from .languages import SUPPORTED_LANGUAGES, normalize_language
from .ui import ui_keys, ui_text

__all__ = [
    "SUPPORTED_LANGUAGES",
    "Catalog",
    "CatalogError",
    "Entry",
    "Reference",
    "Text",
    "load_catalog",
    "normalize_language",
    "ui_keys",
    "ui_text",
]
