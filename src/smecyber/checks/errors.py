"""Exceptions of the checks engine. Input errors carry a message fit to show a user as one line."""

from __future__ import annotations


class ScanInputError(ValueError):
    """Bad scan input (a name, a nameserver, a file): the CLI prints it and exits 2."""


class InvalidDomainError(ScanInputError):
    def __init__(self, name: str, reason: str) -> None:
        self.name = name
        self.reason = reason
        super().__init__(f"invalid domain name {name!r}: {reason}")


class UnsafeAddressError(Exception):
    """A name resolved to an address the scanner must not contact."""

    def __init__(self, address: str, reason: str) -> None:
        self.address = address
        self.reason = reason
        super().__init__(f"refused to connect to {address}: {reason}")


class LimitExceededError(Exception):
    """A server sent more than the scanner accepts (bytes, records, redirects)."""
