"""Reading a coordinator's list of domains: a CSV file or pasted text, one domain per line or in the first column.

Lists come from spreadsheets, so a header row is allowed (a first line whose first cell has no dot, such as
"domain" or "Website"), web addresses are reduced to their host name, and every line that still is not a
domain name is reported with its line number — nothing is started until the list is clean.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.utils.translation import gettext as _

from smecyber.assets.services import DomainInputError, clean_domain_name

from .services import MAX_BATCH_NAMES

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
MAX_ERRORS_SHOWN = 50


@dataclass(frozen=True, slots=True)
class LineError:
    line: int
    text: str
    message: str


@dataclass(slots=True)
class ParsedList:
    names: list[str] = field(default_factory=list)  # A-labels, duplicates folded, in input order
    errors: list[LineError] = field(default_factory=list)
    duplicates: int = 0
    too_many: bool = False


def decode_upload(data: bytes) -> str:
    """CSV files from spreadsheets are UTF-8 (often with a BOM) or, from older Excel, Windows-1252."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", "replace")


def parse_domain_list(text: str) -> ParsedList:
    result = ParsedList()
    seen: set[str] = set()
    first_content_line = True
    for number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        cell = (row[0] if row else "").strip().strip('"').strip()
        if not cell or cell.startswith("#"):
            continue
        header_candidate = first_content_line and "." not in cell
        first_content_line = False
        try:
            name = clean_domain_name(_host_of(cell))
        except DomainInputError as exc:
            if header_candidate:
                continue
            result.errors.append(LineError(number, cell[:120], exc.message))
            continue
        if name in seen:
            result.duplicates += 1
            continue
        seen.add(name)
        result.names.append(name)
    if len(result.names) > MAX_BATCH_NAMES:
        result.too_many = True
    return result


def too_many_message(count: int) -> str:
    return _("A batch can hold at most %(max)s domains; this list has %(count)s.") % {
        "max": f"{MAX_BATCH_NAMES:,}", "count": f"{count:,}"}


def _host_of(cell: str) -> str:
    """``https://www.example.com/about`` → ``www.example.com``; anything else unchanged."""
    if "://" in cell:
        try:
            return urlsplit(cell).hostname or cell
        except ValueError:
            return cell
    return cell
