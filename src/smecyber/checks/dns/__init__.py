"""DNS checks: DNSSEC, CAA and nameservers. Importing the package registers them."""

from . import caa, dnssec, nameservers  # noqa: F401
