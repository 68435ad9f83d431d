"""web checks: HTTPS, the http->https redirect, HSTS, the Observatory header grade and security.txt.

They share the Observatory-style fetches of ``retrieval`` (memoised per domain), so a deep scan makes
two page sessions, one CORS preflight and one security.txt request per domain.
"""

from . import headers, hsts, https, redirect, security_txt  # noqa: F401
