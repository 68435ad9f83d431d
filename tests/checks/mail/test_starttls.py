"""mail.starttls against small SMTP servers on loopback (no TLS engine needed for the dialogue cases)."""

from __future__ import annotations

import asyncio
import contextlib
import random
from collections.abc import AsyncIterator

import pytest

from smecyber.checks.mail import starttls as starttls_mod
from smecyber.checks.mail.smtp import smtp_dialogue
from smecyber.checks.mail.starttls import check_starttls
from smecyber.checks.model import Status
from tests.checks.mail.dnsserver import by_key, keys, run_check

D = "st.test"


@contextlib.asynccontextmanager
async def smtp_server(lines: list[bytes], *, greeting: bytes = b"220 mx ESMTP\r\n",
                      stall: bool = False) -> AsyncIterator[str]:
    """An SMTP server on a random 127.x address, port 25 (the MX port is fixed by the standard)."""
    address = f"127.{random.randint(1, 250)}.{random.randint(1, 250)}.{random.randint(2, 250)}"

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            if stall:
                await asyncio.sleep(30)
            writer.write(greeting)
            await reader.readline()
            writer.writelines(lines)
            await writer.drain()
            await reader.readline()
            writer.write(b"221 bye\r\n")
            await writer.drain()
        except (OSError, asyncio.CancelledError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(handle, address, 25)
    try:
        yield address
    finally:
        server.close()


def zone(address: str) -> dict[str, list[tuple[str, str]]]:
    return {D: [("MX", "10 mail.st.test.")], "mail.st.test": [("A", address)]}


async def test_not_offered_fails() -> None:
    async with smtp_server([b"250-mx hello\r\n", b"250-PIPELINING\r\n", b"250 8BITMIME\r\n"]) as addr:
        f = await run_check(check_starttls, zone(addr), D)
    nf = by_key(f, "mail.starttls.not_offered")
    assert nf.status is Status.FAIL and nf.subject == "mail.st.test"
    assert nf.evidence["extensions"] == ["PIPELINING", "8BITMIME"]


async def test_offered_hands_over_to_the_tls_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[str, int, str]] = []

    class Report:
        error = None
        negotiated_version = "TLSv1.3"
        negotiated_cipher = "TLS_AES_128_GCM_SHA256"

    async def fake_report(ctx: object, host: str, port: int, *, starttls: str) -> Report:
        calls.append((host, port, starttls))
        return Report()

    monkeypatch.setattr(starttls_mod, "tls_endpoint_report", fake_report)
    monkeypatch.setattr(starttls_mod, "tls_findings", lambda *a, **k: [])
    async with smtp_server([b"250-mx hello\r\n", b"250 STARTTLS\r\n"]) as addr:
        f = await run_check(check_starttls, zone(addr), D)
    assert keys(f) == {"mail.starttls.ok"} and calls == [("mail.st.test", 25, "smtp")]


async def test_rejecting_greeting_and_no_listener_are_errors() -> None:
    async with smtp_server([], greeting=b"554 no service\r\n") as addr:
        f = await run_check(check_starttls, zone(addr), D)
    assert by_key(f, "mail.starttls.unreachable").evidence["error_kind"] == "rejected"
    f = await run_check(check_starttls, zone("127.0.0.254"), D, )
    assert by_key(f, "mail.starttls.unreachable").status is Status.ERROR


async def test_dialogue_is_bounded_in_time_and_size() -> None:
    async with smtp_server([], stall=True) as addr:
        d = await smtp_dialogue(addr, 25, connect_timeout=1, timeout=0.5)
    assert d.error_kind == "timeout"
    async with smtp_server([b"250-" + b"x" * 5000 + b"\r\n"]) as addr:
        d = await smtp_dialogue(addr, 25, connect_timeout=1, timeout=2)
    assert d.error_kind == "protocol"


async def test_null_mx_is_not_applicable() -> None:
    assert keys(await run_check(check_starttls, {D: [("MX", "0 .")]}, D)) == {"mail.starttls.not_applicable"}
