"""Deep depth: enumerate protocol versions and cipher suites with sslyze 6 (blocking; run in a thread).

Only the six cipher-suite scan commands run: they give accepted versions, suites and each suite's ephemeral
key (DHE size, ECDHE curve). Certificate facts come from our own handshake (certinfo.py), which is cheaper
than sslyze's CERTIFICATE_INFO and keeps hostname, dates and trust as separate verdicts (sslyze's path
validation fails a wrong-name certificate as untrusted). ELLIPTIC_CURVES is left out: it adds ~30 handshakes
and ~0.2 s per endpoint on loopback for curves that modern servers never offer.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sslyze import (
    ProtocolWithOpportunisticTlsEnum,
    ScanCommand,
    Scanner,
    ServerNetworkConfiguration,
    ServerNetworkLocation,
    ServerScanRequest,
    ServerScanStatusEnum,
)

from .handshake import EHLO_NAME

COMMANDS: dict[str, ScanCommand] = {
    "SSLv2": ScanCommand.SSL_2_0_CIPHER_SUITES,
    "SSLv3": ScanCommand.SSL_3_0_CIPHER_SUITES,
    "TLSv1.0": ScanCommand.TLS_1_0_CIPHER_SUITES,
    "TLSv1.1": ScanCommand.TLS_1_1_CIPHER_SUITES,
    "TLSv1.2": ScanCommand.TLS_1_2_CIPHER_SUITES,
    "TLSv1.3": ScanCommand.TLS_1_3_CIPHER_SUITES,
}
_ATTRS = {
    "SSLv2": "ssl_2_0_cipher_suites", "SSLv3": "ssl_3_0_cipher_suites", "TLSv1.0": "tls_1_0_cipher_suites",
    "TLSv1.1": "tls_1_1_cipher_suites", "TLSv1.2": "tls_1_2_cipher_suites", "TLSv1.3": "tls_1_3_cipher_suites",
}


@dataclass(slots=True)
class DeepResult:
    protocols: dict[str, bool] = field(default_factory=dict)
    ciphers: dict[str, list[str]] = field(default_factory=dict)
    curves: list[str] = field(default_factory=list)  # ECDHE groups seen in accepted suites
    dh_bits: list[int] = field(default_factory=list)  # DHE group sizes seen in accepted suites
    handshakes: int = 0  # cipher suites tried (one connection each) + sslyze's connectivity test (~4)
    errors: dict[str, str] = field(default_factory=dict)  # version -> why it could not be enumerated
    error: str | None = None


def sslyze_scan(
    host: str, address: str, port: int, *, starttls: str | None, network_timeout: float, concurrency: int = 5,
) -> DeepResult:
    """Blocking. ``address`` is the already checked address: sslyze never resolves ``host`` itself."""
    result = DeepResult()
    config = ServerNetworkConfiguration(
        tls_server_name_indication=host,
        tls_opportunistic_encryption=ProtocolWithOpportunisticTlsEnum.SMTP if starttls == "smtp" else None,
        smtp_ehlo_hostname=EHLO_NAME if starttls == "smtp" else None,
        network_timeout=max(1, int(network_timeout)),
        network_max_retries=1,
    )
    request = ServerScanRequest(
        server_location=ServerNetworkLocation(host, port, ip_address=address),
        network_configuration=config,
        scan_commands=set(COMMANDS.values()),
    )
    scanner = Scanner(per_server_concurrent_connections_limit=concurrency, concurrent_server_scans_limit=1)
    scanner.queue_scans([request])
    for server_result in scanner.get_results():
        result.handshakes += 4  # connectivity test: one probe per TLS version until one works, roughly
        if server_result.scan_status != ServerScanStatusEnum.COMPLETED or server_result.scan_result is None:
            error = server_result.connectivity_error_trace
            result.error = f"sslyze could not connect: {error.exc_type.__name__}: {error}" if error else (
                f"sslyze could not connect ({server_result.connectivity_status})"
            )
            result.error = result.error.splitlines()[0][:300]
            continue
        scans = server_result.scan_result
        for version, attr in _ATTRS.items():
            attempt = getattr(scans, attr)
            if attempt.result is None:
                result.errors[version] = str(attempt.error_reason)
                continue
            accepted = attempt.result.accepted_cipher_suites
            result.handshakes += len(accepted) + len(attempt.result.rejected_cipher_suites)
            result.protocols[version] = bool(accepted)
            result.ciphers[version] = [a.cipher_suite.name for a in accepted]
            for a in accepted:
                key = a.ephemeral_key
                if key is None:
                    continue
                curve = getattr(key, "curve_name", None)
                if curve:
                    if curve not in result.curves:
                        result.curves.append(curve)
                elif key.type_name == "DH" and key.size not in result.dh_bits:
                    result.dh_bits.append(key.size)
    return result
