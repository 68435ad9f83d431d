"""Walking up the DNS tree from a domain, as CAA (RFC 8659 s3) and zone-apex lookups do."""

from __future__ import annotations


def climb(domain: str) -> list[str]:
    """``domain`` and its ancestors, nearest first, stopping before the TLD (never the TLD or root).

    >>> climb("a.b.example.com")
    ['a.b.example.com', 'b.example.com', 'example.com']
    """
    labels = domain.rstrip(".").split(".")
    return [".".join(labels[i:]) for i in range(len(labels) - 1)]
