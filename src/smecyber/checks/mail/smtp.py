"""A bounded SMTP dialogue (RFC 5321): greeting, EHLO, extensions, QUIT. No mail is ever sent.

Connects only to an address the scan's SafeResolver checked; every read is bounded in size and the whole
dialogue in time, so a hostile or tar-pitting server costs at most one operation timeout.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field

MAX_LINE = 2048  # RFC 5321 s4.5.3.1.5 allows 512 per reply line; leave room for sloppy servers
MAX_LINES = 100
EHLO_NAME = "smecyber.invalid"  # RFC 2606 name: we claim no real host


class SmtpProtocolError(Exception):
    pass


@dataclass(slots=True)
class SmtpDialogue:
    address: str
    port: int
    greeting_code: int | None = None
    greeting: str = ""
    ehlo_code: int | None = None
    extensions: list[str] = field(default_factory=list)  # upper-cased keywords with parameters
    error: str | None = None
    error_kind: str | None = None  # connect | timeout | protocol | rejected

    @property
    def starttls(self) -> bool:
        return any(e.split(" ", 1)[0] == "STARTTLS" for e in self.extensions)


async def _reply(reader: asyncio.StreamReader) -> tuple[int, list[str]]:
    lines: list[str] = []
    for _ in range(MAX_LINES):
        raw = await reader.readuntil(b"\n")
        if len(raw) > MAX_LINE:
            raise SmtpProtocolError("reply line too long")
        line = raw.decode("utf-8", "replace").rstrip("\r\n")
        if len(line) < 3 or not line[:3].isdigit():
            raise SmtpProtocolError(f"malformed reply {line[:80]!r}")
        lines.append(line[4:])
        if line[3:4] != "-":
            return int(line[:3]), lines
    raise SmtpProtocolError("reply has too many lines")


async def smtp_dialogue(address: str, port: int, *, connect_timeout: float, timeout: float) -> SmtpDialogue:
    result = SmtpDialogue(address, port)
    writer: asyncio.StreamWriter | None = None
    try:
        async with asyncio.timeout(timeout):
            reader, writer = await asyncio.wait_for(
                asyncio.open_connection(address, port, limit=MAX_LINE), connect_timeout
            )
            code, lines = await _reply(reader)
            result.greeting_code, result.greeting = code, (lines[0] if lines else "")[:200]
            if code != 220:  # RFC 5321 s3.1: 554 means "no SMTP service here"
                result.error, result.error_kind = f"greeting {code}", "rejected"
                return result
            writer.write(f"EHLO {EHLO_NAME}\r\n".encode())
            await writer.drain()
            code, lines = await _reply(reader)
            result.ehlo_code = code
            if code == 250:
                result.extensions = [ln.strip().upper() for ln in lines[1:]]
            else:
                result.error, result.error_kind = f"EHLO answered {code}", "rejected"
            writer.write(b"QUIT\r\n")
            with contextlib.suppress(OSError):
                await writer.drain()
    except TimeoutError:
        result.error, result.error_kind = "timed out", "timeout"
    except (asyncio.LimitOverrunError, asyncio.IncompleteReadError, ValueError) as exc:
        result.error, result.error_kind = f"protocol error: {type(exc).__name__}", "protocol"
    except SmtpProtocolError as exc:
        result.error, result.error_kind = f"protocol error: {exc}", "protocol"
    except OSError as exc:
        result.error, result.error_kind = f"connection failed: {exc.strerror or exc}", "connect"
    finally:
        if writer is not None:
            writer.close()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(writer.wait_closed(), 1.0)
    return result
