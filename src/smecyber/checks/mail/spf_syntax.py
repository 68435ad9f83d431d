"""RFC 7208 record syntax: split an SPF record into terms and validate each one (s4.6.1, s5, s6, s7.1).

Pure functions, no DNS. Any error here makes check_host() return permerror for the whole record (s4.6).
"""

from __future__ import annotations

import ipaddress
import re
import urllib.parse
from dataclasses import dataclass, field

DNS_MECHANISMS = frozenset({"include", "a", "mx", "ptr", "exists"})  # each costs a DNS query (s4.6.4)
MECHANISMS = DNS_MECHANISMS | {"all", "ip4", "ip6"}

_VERSION = re.compile(r"^v=spf1( |$)", re.IGNORECASE)
_MODIFIER = re.compile(r"^([A-Za-z][A-Za-z0-9\-_.]*)=(.*)$", re.DOTALL)
_MECH = re.compile(r"^([A-Za-z][A-Za-z0-9\-_.]*)(.*)$", re.DOTALL)
_MACRO = re.compile(r"^([A-Za-z])([0-9]*)([rR]?)([.\-+,/_=]*)$")
_TOPLABEL = re.compile(r"^([A-Za-z0-9]*[A-Za-z][A-Za-z0-9]*|[A-Za-z0-9]+-[A-Za-z0-9\-]*[A-Za-z0-9])$")
_QNUM = r"(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9][0-9]|[0-9])"
_IP4 = re.compile(rf"^{_QNUM}\.{_QNUM}\.{_QNUM}\.{_QNUM}$")
_CIDR = re.compile(r"^(0|[1-9][0-9]*)$")
_DUAL_CIDR = re.compile(r"^(.*?)(?:/([0-9]+))?(?://([0-9]+))?$", re.DOTALL)


def is_spf_record(txt: str) -> bool:
    """s4.5: the record starts with exactly "v=spf1" followed by a space or the end."""
    return bool(_VERSION.match(txt))


@dataclass(slots=True)
class Term:
    text: str
    kind: str  # "mechanism" | "modifier"
    name: str  # lower case
    qualifier: str = "+"
    domain_spec: str | None = None  # for include/a/mx/ptr/exists, redirect/exp
    value: str | None = None  # raw value (modifiers, ip4/ip6 network, a/mx ip4-cidr-length)

    @property
    def has_macro(self) -> bool:
        return self.domain_spec is not None and "%" in self.domain_spec


@dataclass(slots=True)
class ParsedRecord:
    text: str
    terms: list[Term] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (term, reason)

    @property
    def mechanisms(self) -> list[Term]:
        return [t for t in self.terms if t.kind == "mechanism"]

    def modifier(self, name: str) -> Term | None:
        return next((t for t in self.terms if t.kind == "modifier" and t.name == name), None)


def macro_string_error(s: str, *, exp_text: bool = False) -> str | None:
    """s7.1: ``macro-string = *( macro-expand / macro-literal )``; "c", "r", "t" only in explanations."""
    letters = "slodiphv" + ("crt" if exp_text else "")
    i = 0
    while i < len(s):
        ch = s[i]
        if ch == "%":
            nxt = s[i + 1 : i + 2]
            if nxt in ("%", "_", "-"):
                i += 2
                continue
            if nxt != "{":
                return f"invalid macro '%{nxt}'"
            end = s.find("}", i + 2)
            if end < 0:
                return "unterminated macro"
            m = _MACRO.match(s[i + 2 : end])
            if not m:
                return f"invalid macro '{s[i:end + 1]}'"
            if m.group(1).lower() not in letters:
                return f"macro letter '{m.group(1)}' not allowed here"
            # s7.3 says a DIGIT "MUST be nonzero", but the ABNF (s7.1) accepts "0" and no permerror is
            # prescribed: like the reference implementation we accept it; expand_macros() makes the name
            # invalid (no match), see there.
            i = end + 1
            continue
        if not 0x21 <= ord(ch) <= 0x7E:
            return f"invalid character {ch!r}"
        i += 1
    return None


def domain_spec_error(spec: str) -> str | None:
    """s7.1: ``domain-spec = macro-string domain-end``; domain-end is "." toplabel ["."] or a macro."""
    if not spec:
        return "empty domain"
    err = macro_string_error(spec)
    if err:
        return err
    if re.search(r"(%\{[^}]*\}|%[%_-])$", spec):
        return None
    body = spec[:-1] if spec.endswith(".") else spec
    if "." not in body:
        return "domain needs at least two labels"
    labels = body.split(".")
    if not _TOPLABEL.match(labels[-1]):
        return f"invalid top label '{labels[-1]}'"
    # An empty or over-long label elsewhere is valid domain-spec syntax (macro-literal allows "."): the
    # target is not a valid DNS name and is treated as non-existent when used, see dns_name() (s4.3, s4.8;
    # the RFC 7208 test suite's invalid-domain-empty-label / invalid-domain-long accept that result).
    return None


def dns_name(target: str) -> str | None:
    """``target`` (a domain-spec after macro expansion) as a DNS query name, or None if it cannot be one.

    s7.3: a name longer than 253 characters is truncated from the left, label by label. A name with an
    empty label or a label of more than 63 characters does not exist: the mechanism does not match
    (a/mx/exists) and include/redirect find no record (s4.3/1, by analogy; what the reference does).
    """
    name = target[:-1] if target.endswith(".") else target
    while len(name) > 253 and "." in name:
        name = name.split(".", 1)[1]
    labels = name.split(".")
    if not name or len(name) > 253 or any(not label or len(label) > 63 for label in labels):
        return None
    return name.lower()


@dataclass(frozen=True, slots=True)
class MacroSender:
    """The values the macros of s7.3 expand to for one check_host() call."""

    ip: str  # <ip>, IPv4 dotted quad
    sender: str  # <sender>: local-part@domain
    helo: str  # the HELO/EHLO name
    validated_ptr: str = "unknown"  # %{p}: no validated name


_MACRO_EXPAND = re.compile(r"%(?:\{([A-Za-z])([0-9]*)([rR]?)([.\-+,/_=]*)\}|%|_|-)")


def expand_macros(spec: str, who: MacroSender, domain: str) -> str | None:
    """s7.3 macro expansion of a (syntactically valid) domain-spec for sender ``who`` at ``domain`` (<domain>).

    Returns None when the expansion cannot be a domain name (a zero DIGIT transformer, which s7.3 forbids).
    """
    local, _, sender_domain = who.sender.rpartition("@")
    values = {
        "s": who.sender, "l": local or "postmaster", "o": sender_domain, "d": domain, "i": who.ip,
        "p": who.validated_ptr, "v": "ip6" if ":" in who.ip else "in-addr", "h": who.helo,
    }
    invalid = False

    def one(m: re.Match[str]) -> str:
        nonlocal invalid
        whole = m.group(0)
        if whole == "%%":
            return "%"
        if whole == "%_":
            return " "
        if whole == "%-":
            return "%20"
        letter, digits, reverse, delimiters = m.groups()
        parts = re.split("[" + re.escape(delimiters or ".") + "]", values[letter.lower()])
        if reverse:
            parts.reverse()
        if digits:
            if int(digits) == 0:
                invalid = True
                return ""
            parts = parts[-int(digits):]
        value = ".".join(parts)  # s7.3: rejoined with "." whatever the delimiters were
        if letter.isupper():  # s7.3: upper-case macro letters are URL-escaped
            value = urllib.parse.quote(value, safe="~")
        return value

    expanded = _MACRO_EXPAND.sub(one, spec)
    return None if invalid else expanded


def _cidr_error(text: str | None, maximum: int) -> str | None:
    if text is None:
        return None
    if not _CIDR.match(text) or int(text) > maximum:
        return f"invalid CIDR length /{text}"
    return None


def parse_term(text: str) -> tuple[Term | None, str | None]:
    """Parse one term; returns (term, None) or (None, reason)."""
    m = _MODIFIER.match(text)
    if m:
        name, value = m.group(1).lower(), m.group(2)
        term = Term(text, "modifier", name, value=value)
        if name in ("redirect", "exp"):
            term.domain_spec = value
            err = domain_spec_error(value)
            return (None, f"{name}: {err}") if err else (term, None)
        err = macro_string_error(value)
        return (None, err) if err else (term, None)
    qualifier = "+"
    rest = text
    if rest[:1] in "+-?~" and rest:
        qualifier, rest = rest[0], rest[1:]
    m = _MECH.match(rest)
    if not m:
        return None, "not a mechanism or modifier"
    name, arg = m.group(1).lower(), m.group(2)
    if name not in MECHANISMS:
        return None, f"unknown mechanism '{m.group(1)}'"
    term = Term(text, "mechanism", name, qualifier)
    if name == "all":
        return (term, None) if arg == "" else (None, "'all' takes no argument")
    if name in ("include", "exists"):
        if not arg.startswith(":"):
            return None, f"'{name}' needs ':domain'"
        term.domain_spec = arg[1:]
        err = domain_spec_error(term.domain_spec)
        return (None, err) if err else (term, None)
    if name == "ptr":
        if arg == "":
            return term, None
        if not arg.startswith(":"):
            return None, "invalid 'ptr' argument"
        term.domain_spec = arg[1:]
        err = domain_spec_error(term.domain_spec)
        return (None, err) if err else (term, None)
    if name in ("a", "mx"):
        dm = _DUAL_CIDR.match(arg)
        assert dm is not None
        spec, c4, c6 = dm.group(1), dm.group(2), dm.group(3)
        err = _cidr_error(c4, 32) or _cidr_error(c6, 128)
        if err:
            return None, err
        term.value = c4  # the ip4-cidr-length, None for /32
        if spec:
            if not spec.startswith(":"):
                return None, f"invalid '{name}' argument"
            term.domain_spec = spec[1:]
            err = domain_spec_error(term.domain_spec)
            if err:
                return None, err
        return term, None
    # ip4 / ip6
    if not arg.startswith(":"):
        return None, f"'{name}' needs ':network'"
    network, slash, length = arg[1:].partition("/")
    term.value = arg[1:]
    if name == "ip4":
        if not _IP4.match(network):
            return None, f"invalid IPv4 network '{network}'"
        return (None, _cidr_error(length, 32)) if slash and _cidr_error(length, 32) else (term, None)
    try:
        if "%" in network:
            raise ValueError
        ipaddress.IPv6Address(network)
    except ValueError:
        return None, f"invalid IPv6 network '{network}'"
    return (None, _cidr_error(length, 128)) if slash and _cidr_error(length, 128) else (term, None)


def parse_record(text: str) -> ParsedRecord:
    """Split on spaces only (s4.6.1: other whitespace is a syntax error) and parse every term."""
    record = ParsedRecord(text)
    parts = text.split(" ")
    for part in parts[1:]:
        if part == "":
            continue
        term, err = parse_term(part)
        if err:
            record.errors.append((part, err))
        elif term is not None:
            record.terms.append(term)
    for name in ("redirect", "exp"):
        if sum(1 for t in record.terms if t.kind == "modifier" and t.name == name) > 1:
            record.errors.append((name, f"'{name}' appears more than once"))
    return record
