"""Proving that an SME controls a domain: a DNS TXT record or a file on its web server.

What verification unlocks: passive checks (public DNS records, one HTTPS request, as any visitor makes) run
on every domain an SME adds, verified or not. ``Domain.verified`` gates *intrusive* checks (port scans and
the like, DESIGN.md), which must only ever run on domains whose owner proved control here. No intrusive
check exists yet; when one is added, its scan config must be built only for verified domains.

The lookups use the scanner's own clients (``checks.context.ScanContext``: the configured resolvers, the
address safety rules, timeouts and size limits), so verification cannot be used to reach an internal
address either.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
from collections.abc import Coroutine
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import urlsplit

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from smecyber.accounts.audit import record
from smecyber.accounts.models import AuditEvent, User
from smecyber.checks.context import ScanContext
from smecyber.checks.errors import ScanInputError
from smecyber.checks.net import FetchResult, HttpResponse, describe_error

from .models import VERIFICATION_PATH, VERIFICATION_TXT_PREFIX, Domain

MAX_FILE_BYTES = 4096
MAX_REDIRECTS = 5
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class VerificationResult:
    ok: bool
    method: str | None  # Domain.Method value when ok
    detail: str  # what was found, translated, fit to show the user


def verify_domain(domain: Domain, *, actor: User | None = None,
                  request: HttpRequest | None = None) -> VerificationResult:
    """Look for the domain's token in DNS and on its web server; on success mark the domain verified."""
    from smecyber.scans.services import scan_config  # the platform's scanner settings

    try:
        config = scan_config([domain.name], depth="sweep")
    except ScanInputError as exc:  # the platform's scanner settings are wrong, not the user's domain
        return VerificationResult(False, None, _("The checker cannot run: %(error)s") % {"error": exc})
    dns_found, dns_detail, file_found, file_detail = run_sync(_look(config, domain))
    if dns_found or file_found:
        method = Domain.Method.DNS if dns_found else Domain.Method.FILE
        with transaction.atomic():
            domain.verified_at = timezone.now()
            domain.verified_method = method
            domain.save(update_fields=["verified_at", "verified_method"])
            record(AuditEvent.Action.DOMAIN_VERIFIED, actor=actor, company=domain.company, target=domain.name,
                   detail={"method": str(method)}, request=request)
        return VerificationResult(True, str(method), dns_detail if dns_found else file_detail)
    return VerificationResult(False, None, f"{dns_detail} {file_detail}")


async def _look(config: Any, domain: Domain) -> tuple[bool, str, bool, str]:
    async with ScanContext(config) as sctx:
        (dns_found, dns_detail), (file_found, file_detail) = await asyncio.gather(
            _look_dns(sctx, domain), _look_file(sctx, domain))
    return dns_found, dns_detail, file_found, file_detail


async def _look_dns(sctx: ScanContext, domain: Domain) -> tuple[bool, str]:
    answer = await sctx.dns.txt(domain.name)
    name = domain.display_name or domain.name
    if answer.failed:
        return False, _("DNS: the TXT lookup for %(name)s failed (%(rcode)s).") % {
            "name": name, "rcode": answer.rcode}
    if answer.nxdomain:
        return False, _("DNS: %(name)s does not exist.") % {"name": name}
    records = [r.strip() for r in answer.records]
    if domain.txt_record in records:
        return True, _("Found the TXT record %(record)s on %(name)s.") % {"record": domain.txt_record, "name": name}
    ours = [r for r in records if r.startswith(VERIFICATION_TXT_PREFIX)]
    if ours:
        return False, _("DNS: %(name)s has a smecyber-verification TXT record, but with another code "
                        "(%(found)s).") % {"name": name, "found": ours[0][:100]}
    return False, _("DNS: no TXT record %(record)s on %(name)s (TXT records found: %(count)s).") % {
        "record": domain.txt_record, "name": name, "count": len(records)}


async def _look_file(sctx: ScanContext, domain: Domain) -> tuple[bool, str]:
    """https:// first; http:// when https gives no usable answer (the file proves control either way)."""
    https = await _fetch_same_site(sctx, f"https://{domain.name}{VERIFICATION_PATH}", domain.name)
    found, detail = _judge_file(https, domain)
    if found or (https.final is not None and https.final.status == 200):
        return found, detail
    http = await _fetch_same_site(sctx, f"http://{domain.name}{VERIFICATION_PATH}", domain.name)
    found_http, detail_http = _judge_file(http, domain)
    if found_http:
        return True, detail_http
    return False, detail


async def _fetch_same_site(sctx: ScanContext, url: str, site: str) -> FetchResult:
    """GET ``url``, following redirects only within the domain (e.g. to www.): a file elsewhere proves nothing."""
    result = FetchResult(url)
    current = url
    for _hop in range(MAX_REDIRECTS + 1):
        host = (urlsplit(current).hostname or "").lower().rstrip(".")
        if urlsplit(current).scheme not in ("http", "https") or not (host == site or host.endswith("." + site)):
            result.error, result.error_kind = current[:200], "offsite"
            return result
        try:
            resp = await sctx.http.request("GET", current, max_body=MAX_FILE_BYTES)
        except Exception as exc:  # every failure is an answer to show, never a crash
            result.error, result.error_kind = describe_error(exc)
            return result
        result.chain.append(resp)
        if not resp.is_redirect:
            return result
        current = resp.location or current
    result.error, result.error_kind = "too many redirects", "loop"
    return result


def _judge_file(result: FetchResult, domain: Domain) -> tuple[bool, str]:
    url = result.url
    if result.error_kind == "offsite":
        return False, _("File: %(url)s redirects to another site (%(where)s); put the file on %(name)s itself.") % {
            "url": url, "where": result.error or "", "name": domain.display_name or domain.name}
    final: HttpResponse | None = result.final
    if final is None:
        return False, _("File: could not fetch %(url)s (%(error)s).") % {"url": url, "error": result.error or "?"}
    if final.status != 200:
        return False, _("File: %(url)s answered with HTTP status %(status)s.") % {"url": url, "status": final.status}
    body = final.body.decode("utf-8", "replace").strip()
    if body in (domain.verification_token, domain.txt_record):
        return True, _("Found the verification file at %(url)s.") % {"url": final.url}
    return False, _("File: %(url)s does not contain the verification code.") % {"url": final.url}


def run_sync(coro: Coroutine[Any, Any, T]) -> T:
    """Run ``coro`` to completion from sync code, also when the calling thread already runs an event loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()
