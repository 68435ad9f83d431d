"""A minimal SMTP responder: banner, EHLO/HELO, optional STARTTLS, QUIT. It never accepts mail."""

from __future__ import annotations

import asyncio
import contextlib
import ssl

IDLE_TIMEOUT = 30.0
MAX_COMMANDS = 50


class SmtpHost:
    def __init__(self, hostname: str, tls_context: ssl.SSLContext | None, latency_ms: int = 0) -> None:
        self.hostname = hostname
        self.tls_context = tls_context  # None: STARTTLS not offered
        self.latency = latency_ms / 1000

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        tls = False
        try:
            if self.latency:
                await asyncio.sleep(self.latency)
            await self._send(writer, f"220 {self.hostname} ESMTP smecyber-lab")
            for _ in range(MAX_COMMANDS):
                try:
                    line = await asyncio.wait_for(reader.readline(), IDLE_TIMEOUT)
                except (TimeoutError, ValueError):
                    await self._send(writer, "421 4.4.2 timeout or line too long")
                    return
                if not line:
                    return
                words = line.decode("latin-1").strip().split(" ", 1)
                verb = words[0].upper()
                if verb == "EHLO":
                    caps = [self.hostname, "PIPELINING", "SIZE 10240000"]
                    if self.tls_context is not None and not tls:
                        caps.append("STARTTLS")
                    caps += ["ENHANCEDSTATUSCODES", "8BITMIME"]
                    await self._send(writer, "\r\n".join(
                        f"250{'-' if i < len(caps) - 1 else ' '}{c}" for i, c in enumerate(caps)))
                elif verb == "HELO":
                    await self._send(writer, f"250 {self.hostname}")
                elif verb == "STARTTLS" and self.tls_context is not None and not tls:
                    await self._send(writer, "220 2.0.0 Ready to start TLS")
                    try:
                        await asyncio.wait_for(writer.start_tls(self.tls_context), IDLE_TIMEOUT)
                    except (ssl.SSLError, TimeoutError, ConnectionError, OSError):
                        return
                    tls = True
                elif verb == "QUIT":
                    await self._send(writer, "221 2.0.0 Bye")
                    return
                elif verb in ("NOOP", "RSET"):
                    await self._send(writer, "250 2.0.0 OK")
                elif verb == "MAIL":
                    await self._send(writer, "250 2.1.0 OK")
                elif verb == "RCPT":
                    await self._send(writer, "550 5.1.1 this lab host accepts no mail")
                elif verb == "VRFY":
                    await self._send(writer, "252 2.5.2 cannot verify")
                else:
                    await self._send(writer, "502 5.5.2 command not implemented")
        except (ConnectionError, OSError, ssl.SSLError):
            pass
        finally:
            with contextlib.suppress(Exception):
                writer.close()

    @staticmethod
    async def _send(writer: asyncio.StreamWriter, text: str) -> None:
        writer.write(text.encode() + b"\r\n")
        await writer.drain()
