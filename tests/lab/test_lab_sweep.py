"""The sweep set: names in sweep.test copy a lab domain and are served with a certificate for their name."""

from __future__ import annotations

import socket

import dns.message
import dns.query

from smecyber.lab.lab import Lab

from .helpers import tls_context


def test_sweep_names_copy_their_source() -> None:
    with Lab(sweep_names=30) as lab:
        assert len(lab.sweep_names) == 30
        name = next(n for n in lab.sweep_names if lab.sweep_source(n) == "good.test")
        host = lab.nameserver.rsplit(":", 1)[0]
        mx = dns.query.udp(dns.message.make_query(name, "MX"), host, timeout=5)
        assert mx.answer[0][0].to_text() == f"10 mail.{name}."
        spf = dns.query.udp(dns.message.make_query(name, "TXT"), host, timeout=5)
        assert b"v=spf1 mx -all" in b"".join(spf.answer[0][0].strings)
        with socket.create_connection((lab.address_of("good.test"), 443), timeout=5) as raw, \
                tls_context(lab).wrap_socket(raw, server_hostname=f"www.{name}") as tls:
            tls.sendall(f"GET / HTTP/1.1\r\nHost: www.{name}\r\nConnection: close\r\n\r\n".encode())
            assert tls.recv(100).startswith(b"HTTP/1.1 200")
        assert all(not lab.spec(lab.sweep_source(n)).hostile for n in lab.sweep_names)
