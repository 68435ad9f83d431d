"""The lab's SMTP servers: banner, EHLO with STARTTLS where configured, and a TLS upgrade with the lab CA."""

from __future__ import annotations

import socket

from smecyber.lab.lab import Lab

from .helpers import smtp_dialog, tls_context


def test_smtp_offers_starttls(lab: Lab) -> None:
    replies = smtp_dialog(lab, "good.test", ["EHLO scanner.test", "QUIT"])
    assert replies[0].startswith("220 mail.good.test")
    assert "STARTTLS" in replies[1]
    assert replies[2].startswith("221")


def test_starttls_upgrades_with_a_trusted_certificate(lab: Lab) -> None:
    with socket.create_connection((lab.address_of("good.test"), 25), timeout=5) as sock:
        f = sock.makefile("rb")
        assert f.readline().startswith(b"220")
        sock.sendall(b"EHLO scanner.test\r\n")
        while not f.readline().startswith(b"250 "):
            pass
        sock.sendall(b"STARTTLS\r\n")
        assert f.readline().startswith(b"220")
        with tls_context(lab).wrap_socket(sock, server_hostname="mail.good.test") as tls:
            assert tls.version() in ("TLSv1.2", "TLSv1.3")
            tls.sendall(b"EHLO scanner.test\r\n")
            reply = tls.recv(4096)
            assert reply.startswith(b"250") and b"STARTTLS" not in reply
