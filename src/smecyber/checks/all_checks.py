"""Imports every check package so its checks register themselves (see registry.py)."""

from . import dns, mail, tls, web  # noqa: F401
