"""What the Observatory analyser reads: the responses of one retrieval, independent of the network."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .headers import HeaderMap


@dataclass(slots=True)
class ObsResponse:
    """One final response as the Observatory sees it (headers folded the way Node.js folds them)."""

    url: str  # the URL that was requested for this response
    status: int
    headers: HeaderMap
    body: str = ""
    verified: bool = True  # False when the session had to retry without certificate verification


@dataclass(slots=True)
class Retrieval:
    """Everything the Observatory's tests read, gathered like its retriever gathers it."""

    hostname: str
    http: ObsResponse | None = None  # final response of the http:// session
    https: ObsResponse | None = None  # final response of the https:// session
    http_route: list[tuple[str, int]] = field(default_factory=list)  # (url, status) of every http hop
    auto: ObsResponse | None = None  # https if it answered at all, else http
    session_url: str | None = None  # start URL of the session ``auto`` came from
    cookie_sources: list[tuple[str, str]] = field(default_factory=list)  # (set-cookie value, request url)
    cors: ObsResponse | None = None  # the CORS preflight (OPTIONS) response
    preloaded: dict[str, dict[str, Any]] = field(default_factory=dict)  # HSTS preload list (host -> entry)


@dataclass(frozen=True, slots=True)
class TestResult:
    name: str  # Observatory test name, e.g. content-security-policy
    result: str  # Observatory result name, e.g. csp-implemented-with-unsafe-inline
    modifier: int
    passed: bool
    data: dict[str, Any] = field(default_factory=dict)  # what was read, for the finding's evidence
