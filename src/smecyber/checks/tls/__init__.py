"""tls checks: protocol versions, cipher suites, key exchange and certificate of the web endpoint.

The endpoint scan (endpoint.py) and its verdicts are reused by the mail checks for STARTTLS.
"""

from . import certificate, ciphers, key_exchange, protocols  # noqa: F401  (register the checks)
