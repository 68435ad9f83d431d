"""mail checks: MX, SPF, DMARC, DKIM, STARTTLS, MTA-STS, TLS-RPT, DANE. Importing registers them."""

from . import dane, dkim, dmarc, mta_sts, mx, spf, starttls, tlsrpt  # noqa: F401
