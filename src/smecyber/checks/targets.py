"""Which names may be scanned and which addresses may be contacted.

Two rules keep the scanner from being turned against internal networks: a domain name must be a real
DNS hostname (IP literals in any spelling are refused, because ``127.1`` or ``2130706433`` is how SSRF
filters are usually bypassed), and every address a name resolves to is checked before a connection is
made; the connection then goes to that checked address, never through a second lookup.
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata

from .errors import InvalidDomainError, UnsafeAddressError

_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
# Every label numeric (or hex/octal-looking) is an IP literal in some parser's eyes: 127.1, 0x7f.1, 017700000001
_NUMERIC_LABEL = re.compile(r"^(0x[0-9a-f]*|[0-9]+)$")


def normalize_domain(raw: str) -> str:
    """Return the A-label (punycode) form of ``raw`` or raise :class:`InvalidDomainError`.

    Accepts Unicode (IDNA 2008 with UTS-46 mapping, as browsers do), a trailing dot and surrounding
    whitespace; refuses URLs, IP literals, wildcards and anything that is not a hostname.
    """
    name = raw.strip()
    if not name:
        raise InvalidDomainError(raw, "empty name")
    if "://" in name or "/" in name or "@" in name or " " in name:
        raise InvalidDomainError(raw, "give a domain name, not a URL or e-mail address")
    if name.startswith("[") or ":" in name:
        raise InvalidDomainError(raw, "IP addresses and ports are not accepted, give a domain name")
    if name.endswith("."):
        name = name[:-1]
    try:
        ascii_name = _to_ascii(name)
    except UnicodeError as exc:
        raise InvalidDomainError(raw, f"not a valid internationalised name ({exc})") from None
    ascii_name = ascii_name.lower()
    if len(ascii_name) > 253:
        raise InvalidDomainError(raw, "longer than 253 characters")
    labels = ascii_name.split(".")
    if len(labels) < 2:
        raise InvalidDomainError(raw, "a domain needs at least two labels, such as example.com")
    for label in labels:
        if not label:
            raise InvalidDomainError(raw, "empty label (two dots in a row)")
        if len(label) > 63:
            raise InvalidDomainError(raw, f"label {label[:20]!r}... is longer than 63 characters")
        if not _LABEL.match(label):
            raise InvalidDomainError(raw, f"label {label!r} has characters a hostname cannot have")
        if label.startswith("xn--") and not _valid_a_label(label):
            raise InvalidDomainError(raw, f"label {label!r} is not valid punycode")
    if all(_NUMERIC_LABEL.match(label) for label in labels) or _NUMERIC_LABEL.match(labels[-1]):
        # The top-level label is never numeric (RFC 3696 s2); a numeric one is an IP literal in disguise.
        raise InvalidDomainError(raw, "IP addresses are not accepted, give a domain name")
    return ascii_name


def _valid_a_label(label: str) -> bool:
    """An ``xn--`` label must decode to a real Unicode label (not garbage, controls or plain ASCII).

    Checked leniently (not full IDNA 2008) so that registered names such as emoji domains still pass.
    """
    try:
        decoded = label[4:].encode("ascii").decode("punycode")
    except (UnicodeError, ValueError):
        return False
    return (
        bool(decoded)
        and not decoded.isascii()
        and all(unicodedata.category(c) not in ("Cc", "Cf", "Cs", "Co", "Cn", "Zs", "Zl", "Zp") for c in decoded)
    )


def _to_ascii(name: str) -> str:
    if name.isascii():
        return name
    try:
        import idna  # installed with httpx; implements IDNA 2008 + UTS-46

        return idna.encode(name, uts46=True).decode("ascii")
    except ImportError:  # pragma: no cover - idna ships with httpx
        return name.encode("idna").decode("ascii")
    except idna.IDNAError as exc:
        raise UnicodeError(str(exc)) from None


def unicode_name(ascii_name: str) -> str:
    """The U-label form for display; falls back to the A-label form."""
    try:
        import idna

        return idna.decode(ascii_name)
    except Exception:
        return ascii_name


def address_problem(address: str, *, allow_loopback: bool) -> str | None:
    """Why ``address`` must not be contacted, or ``None`` when it may."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return "not an IP address"
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return "IPv4-mapped IPv6 address"
        if ip.sixtofour is not None or ip.teredo is not None:
            return "tunnelled IPv6 address (6to4 or Teredo)"
        if ip in _NAT64:
            return "NAT64 address"
        if ip.is_site_local:  # fec0::/10, deprecated but still routed inside some networks
            return "site-local address"
        if ip in _IPV6_DOCUMENTATION:  # 3fff::/20 (RFC 9637) is unknown to Python < 3.13
            return "reserved address"
    if ip.is_loopback:
        return None if allow_loopback else "loopback address"
    if ip.is_unspecified:
        return "unspecified address"
    if ip.is_link_local:
        return "link-local address"
    if ip.is_multicast:
        return "multicast address"
    if ip.is_private:
        return "private address"
    if ip.is_reserved:
        return "reserved address"
    if isinstance(ip, ipaddress.IPv4Address) and ip in _SHARED:
        return "shared (carrier-grade NAT) address"
    if not ip.is_global:
        return "not a globally routable address"
    return None


_SHARED = ipaddress.ip_network("100.64.0.0/10")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_IPV6_DOCUMENTATION = ipaddress.ip_network("3fff::/20")


def check_address(address: str, *, allow_loopback: bool) -> None:
    problem = address_problem(address, allow_loopback=allow_loopback)
    if problem:
        raise UnsafeAddressError(address, problem)
