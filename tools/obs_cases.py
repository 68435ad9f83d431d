"""Header combinations compared with the released Observatory by tools/observatory_compare.py."""
# ruff: noqa: E501

from __future__ import annotations

from tests.checks.web._webserver import Case

HSTS = {"Strict-Transport-Security": "max-age=63072000; includeSubDomains"}
BASIC = {**HSTS, "X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY", "Referrer-Policy": "no-referrer"}
STRICT_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; frame-ancestors 'none'"

CASES: list[Case] = [
    Case("bare"),
    Case("aplus", headers={**BASIC, "Content-Security-Policy": STRICT_CSP, "Cross-Origin-Resource-Policy": "same-origin"},
         cookies=["__Host-session=1; Path=/; Secure; HttpOnly; SameSite=Strict"]),
    Case("basic", headers=BASIC),
    Case("csp-self", headers={**BASIC, "Content-Security-Policy": "default-src 'self'"}),
    Case("csp-unsafe-inline", headers={**BASIC, "Content-Security-Policy": "default-src 'self' 'unsafe-inline'"}),
    Case("csp-unsafe-eval", headers={**BASIC, "Content-Security-Policy": "script-src 'self' 'unsafe-eval'; object-src 'none'"}),
    Case("csp-nonce-inline", headers={**BASIC, "Content-Security-Policy": "default-src 'nonce-abc' 'unsafe-inline'"}),
    Case("csp-strict-dynamic", headers={**BASIC, "Content-Security-Policy":
                                        "script-src 'nonce-abc' 'strict-dynamic' https: 'self'; object-src 'none'"}),
    Case("csp-sd-no-nonce", headers={**BASIC, "Content-Security-Policy": "script-src 'strict-dynamic'; object-src 'none'"}),
    Case("csp-style-inline", headers={**BASIC, "Content-Security-Policy": "default-src 'self'; style-src 'self' 'unsafe-inline'"}),
    Case("csp-passive-http", headers={**BASIC, "Content-Security-Policy": "default-src 'self'; img-src http://x.example"}),
    Case("csp-active-http", headers={**BASIC, "Content-Security-Policy": "default-src 'self' http://x.example"}),
    Case("csp-duplicate", headers={**BASIC, "Content-Security-Policy": "default-src 'self'; default-src 'none'"}),
    Case("csp-dup-report", headers={**BASIC, "Content-Security-Policy":
                                    "default-src 'none'; report-uri /a; report-uri /b"}),
    Case("csp-two-headers", headers={**BASIC, "Content-Security-Policy": ["default-src 'self'", "script-src 'none'"]}),
    Case("csp-short", headers={**BASIC, "Content-Security-Policy": "a b"}),
    Case("csp-report-only", headers={**BASIC, "Content-Security-Policy-Report-Only": "default-src 'none'"}),
    Case("csp-meta", headers=BASIC, body="<html><head><meta http-equiv=\"Content-Security-Policy\" "
         "content=\"default-src 'none'; frame-ancestors 'none'\"></head><body></body></html>"),
    Case("csp-meta-fa-only", headers={**HSTS, "X-Content-Type-Options": "nosniff"},
         body="<html><head><meta http-equiv=\"content-security-policy\" content=\"frame-ancestors 'none'\"></head></html>"),
    Case("csp-header-and-meta", headers={**BASIC, "Content-Security-Policy": "default-src 'self' https://a.example"},
         body="<html><head><meta http-equiv=\"Content-Security-Policy\" content=\"default-src https://a.example/x\">"
              "</head></html>"),
    Case("csp-fa-via-csp", headers={**HSTS, "Content-Security-Policy": "default-src 'self'; frame-ancestors 'self'"}),
    Case("csp-wildcard-object", headers={**BASIC, "Content-Security-Policy": "script-src 'self'; object-src *"}),
    Case("csp-empty-src", headers={**BASIC, "Content-Security-Policy": "default-src; script-src 'self'"}),
    Case("cookies-bad", headers=BASIC, cookies=["sessionid=1; Path=/", "csrftoken=2; Secure"]),
    Case("cookies-nohsts", headers={"X-Frame-Options": "DENY"}, cookies=["tracking=1"]),
    Case("cookies-session-nohttponly", headers=BASIC, cookies=["PHPSESSID=1; Secure; SameSite=Lax"]),
    Case("cookies-samesite-invalid", headers=BASIC, cookies=["a=1; Secure; HttpOnly; SameSite=Bogus"]),
    Case("cookies-samesite-none-insecure", headers=BASIC, cookies=["a=1; HttpOnly; SameSite=None"]),
    Case("cookies-all-good", headers=BASIC, cookies=["a=1; Secure; HttpOnly; SameSite=Lax", "b=2; Secure; SameSite=Strict"]),
    Case("cookies-no-samesite", headers=BASIC, cookies=["a=1; Secure; HttpOnly"]),
    Case("cookies-on-redirect", headers=BASIC, redirect_cookies=["loginid=1"]),
    Case("cookies-host-prefix-bad", headers=BASIC, cookies=["__Host-x=1; Secure; Domain=obs.test; Path=/"]),
    Case("cookies-foreign-domain", headers=BASIC, cookies=["sess=1; Domain=example.com"]),
    Case("xfo-twice", headers={**HSTS, "X-Frame-Options": ["DENY", "DENY"]}),
    Case("xfo-allow-from", headers={**HSTS, "X-Frame-Options": "ALLOW-FROM https://a.example"}),
    Case("xfo-bogus", headers={**HSTS, "X-Frame-Options": "maybe"}),
    Case("xcto-bogus", headers={**HSTS, "X-Content-Type-Options": "sniff"}),
    Case("xcto-twice", headers={**HSTS, "X-Content-Type-Options": ["nosniff", "nosniff"]}),
    Case("referrer-unsafe", headers={**BASIC, "Referrer-Policy": "unsafe-url"}),
    Case("referrer-list", headers={**BASIC, "Referrer-Policy": "no-referrer, unsafe-url, bogus"}),
    Case("referrer-invalid", headers={**BASIC, "Referrer-Policy": "bogus"}),
    Case("referrer-meta", headers={**HSTS, "X-Content-Type-Options": "nosniff"},
         body="<html><head><meta name=\"referrer\" content=\"origin\"></head></html>"),
    Case("hsts-short", headers={**BASIC, "Strict-Transport-Security": "max-age=3600"}),
    Case("hsts-nan", headers={**BASIC, "Strict-Transport-Security": "max-age=\"31536000\""}),
    Case("hsts-no-max-age", headers={**BASIC, "Strict-Transport-Security": "includeSubDomains"}),
    Case("hsts-twice", headers={**BASIC, "Strict-Transport-Security": ["max-age=31536000", "max-age=31536000"]}),
    Case("hsts-six-months", headers={**BASIC, "Strict-Transport-Security": "max-age=15552000"}),
    Case("no-redirect", http="serve", headers=BASIC),
    Case("redirect-other-host", http="redirect_other", headers=BASIC),
    Case("redirect-http-first", http="redirect_http_first", headers=BASIC),
    Case("http-only", https=False, http="serve", headers={"X-Frame-Options": "DENY"}),
    Case("no-http", http="close", headers=BASIC),
    Case("cors-star", headers=BASIC, cors={"Access-Control-Allow-Origin": "*"}),
    Case("cors-echo-credentials", headers=BASIC, cors={
        "Access-Control-Allow-Origin": "https://http-observatory.security.mozilla.org",
        "Access-Control-Allow-Credentials": "true"}),
    Case("corp-same-site", headers={**BASIC, "Content-Security-Policy": STRICT_CSP,
                                    "Cross-Origin-Resource-Policy": "same-site"}),
    Case("corp-bogus", headers={**BASIC, "Cross-Origin-Resource-Policy": "whatever"}),
    Case("sri-external-no-integrity", headers=BASIC,
         body="<html><head><script src=\"https://cdn.example.com/a.js\"></script></head></html>"),
    Case("sri-external-http", headers=BASIC,
         body="<html><head><script src=\"http://cdn.example.com/a.js\"></script></head></html>"),
    Case("sri-external-integrity", headers={**BASIC, "Content-Security-Policy": STRICT_CSP},
         body="<html><head><script src=\"https://cdn.example.com/a.js\" integrity=\"sha384-x\"></script></head></html>"),
    Case("sri-relative", headers=BASIC, body="<html><script src=\"/a.js\"></script><script>1</script></html>"),
    Case("sri-protocol-relative", headers=BASIC,
         body="<html><script src=\"//cdn.example.com/a.js\" integrity=\"sha384-x\"></script></html>"),
    Case("sri-same-site", headers=BASIC, body="<html><script src=\"https://static.obs.test/a.js\"></script></html>"),
    Case("sri-inline-only", headers=BASIC, body="<html><script>var a=1</script></html>"),
    Case("not-html", headers=BASIC, content_type="application/json", body="{\"a\": 1}"),
    Case("status-404", headers=BASIC, status=404),
    Case("status-500", headers=BASIC, status=500),
    Case("redirect-loop", headers=BASIC, loop=True),
    Case("untrusted-cert", zone="elsewhere.test", headers=BASIC, cookies=["sess=1; Secure; HttpOnly"]),
    Case("untrusted-cert-http-serve", zone="elsewhere.test", http="serve", headers=BASIC),
    Case("status-403", headers=BASIC, status=403),
]

# Mirrors of the web-*.test lab domains (src/smecyber/lab/domains), to confirm their expected grades.
LAB_HEADERS = {"Strict-Transport-Security": "max-age=63072000; includeSubDomains", "X-Content-Type-Options": "nosniff",
               "X-Frame-Options": "DENY", "Referrer-Policy": "no-referrer"}
LAB_NO_HSTS = {k: v for k, v in LAB_HEADERS.items() if k != "Strict-Transport-Security"}
CASES += [
    Case("lab-web-aplus", headers={**LAB_HEADERS, "Content-Security-Policy": STRICT_CSP,
                                   "Cross-Origin-Resource-Policy": "same-origin"},
         cookies=["__Host-session=1; Path=/; Secure; HttpOnly; SameSite=Strict"]),
    Case("lab-web-no-hsts", headers=LAB_NO_HSTS),
    Case("lab-web-hsts-short", headers={**LAB_HEADERS, "Strict-Transport-Security": "max-age=3600"}),
    Case("lab-web-no-redirect", http="serve", headers=LAB_HEADERS),
    Case("lab-web-redirect-other-host", http="redirect_other", headers=LAB_HEADERS),
    Case("lab-web-csp-unsafe-inline", headers={**LAB_HEADERS, "Content-Security-Policy": "default-src 'self' 'unsafe-inline'"}),
    Case("lab-web-bad-cookies", headers=LAB_HEADERS, cookies=["sessionid=1; Path=/", "csrftoken=2; Secure"]),
    Case("lab-web-no-securitytxt", headers=LAB_HEADERS),
    Case("lab-web-untrusted-cert", zone="elsewhere.test", headers=LAB_HEADERS),
]
CASES += [
    Case("lab-good", headers={
        "Strict-Transport-Security": "max-age=63072000; includeSubDomains; preload",
        "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; object-src 'none'",
        "X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY", "Referrer-Policy": "no-referrer",
        "Permissions-Policy": "camera=(), microphone=(), geolocation=()", "Cross-Origin-Opener-Policy": "same-origin",
        "Cross-Origin-Resource-Policy": "same-origin"},
        cookies=["__Host-session=7f3a9c; Path=/; Secure; HttpOnly; SameSite=Strict"],
        body='<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Good Ltd</title></head><body><h1>Good Ltd</h1></body></html>'),
]
