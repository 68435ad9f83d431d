"""Response headers folded the way Node.js folds them, because the Observatory reads Node's folded view.

Node keeps only the first of some headers, joins repeated ``Set-Cookie`` into a list and joins every other
repeated header with ", ". This matters for scores: two ``X-Frame-Options: DENY`` headers are read as
"DENY, DENY", which the Observatory rejects as invalid.
"""

from __future__ import annotations

from collections.abc import Iterable

HeaderMap = dict[str, str | list[str]]

# node: lib/_http_incoming.js matchKnownFields — duplicates of these are dropped
_FIRST_ONLY = frozenset({
    "age", "authorization", "content-length", "content-type", "etag", "expires", "from", "host",
    "if-modified-since", "if-unmodified-since", "last-modified", "location", "max-forwards",
    "proxy-authorization", "referer", "retry-after", "server", "user-agent",
})
_C0_EXCEPT_TAB = "".join(chr(c) for c in range(0x20) if c != 0x09) + "\x7f"
_STRIP_TABLE = str.maketrans("", "", _C0_EXCEPT_TAB)


def _clean(value: str) -> str:
    # axios drops control characters and trims spaces and tabs
    return value.translate(_STRIP_TABLE).strip(" \t")


def fold_headers(pairs: Iterable[tuple[str, str]]) -> HeaderMap:
    folded: HeaderMap = {}
    for raw_name, raw_value in pairs:
        name = raw_name.lower()
        value = _clean(raw_value)
        if name == "set-cookie":
            existing = folded.setdefault(name, [])
            assert isinstance(existing, list)
            existing.append(value)
        elif name not in folded:
            folded[name] = value
        elif name in _FIRST_ONLY:
            continue
        else:
            sep = "; " if name == "cookie" else ", "
            folded[name] = f"{folded[name]}{sep}{value}"
    return folded


def all_values(headers: HeaderMap | None, name: str) -> list[str]:
    """Every value of a header: a list for Set-Cookie, else a one-element list (like getHttpHeaders)."""
    if not headers:
        return []
    value = headers.get(name.lower())
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def first_value(headers: HeaderMap | None, name: str) -> str | None:
    values = all_values(headers, name)
    return values[0] if values else None
