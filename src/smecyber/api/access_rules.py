"""Who may call which API operation (URL names in the ``api`` namespace), enforced by the access matrix test.

The API follows the UI's permissions: objects a caller may not see answer 404, no credentials answer 401.
``PAYLOADS`` holds the JSON body the matrix sends with an operation that needs one (a denied caller must get
its 404 from the permission check, not a 422 for a missing body).
"""

from smecyber.web.access import COORDINATOR, EVERYONE, NOBODY, SIGNED_IN, SME_PEOPLE, VIEWERS, Rule

RULES = {
    "api:openapi-json": Rule(EVERYONE, note="the schema describes the API, not anyone's data"),
    "api:api-root": Rule(NOBODY, note="ninja's root URL always answers 404"),
    "api:company_list": Rule(SIGNED_IN, note="everyone gets the SMEs they may see, maybe none"),
    "api:company_detail": Rule(VIEWERS),
    "api:company_domain_list": Rule(VIEWERS),
    "api:company_domain_add": Rule(SME_PEOPLE, method="post"),
    "api:domain_detail": Rule(VIEWERS),
    "api:domain_verify": Rule(SME_PEOPLE, method="post"),
    "api:domain_scan_list": Rule(VIEWERS),
    "api:domain_scan_request": Rule(SME_PEOPLE, method="post"),
    "api:scan_detail": Rule(VIEWERS),
    "api:scan_finding_list": Rule(VIEWERS),
    "api:programme_list": Rule(SIGNED_IN, note="everyone gets the programmes they coordinate, maybe none"),
    "api:programme_batch_list": Rule(COORDINATOR),
    "api:programme_batch_submit": Rule(COORDINATOR, method="post"),
    "api:batch_detail": Rule(COORDINATOR),
    "api:company_assessment": Rule(VIEWERS, note="the latest submitted one; the matrix world has one"),
    "api:company_action_plan": Rule(VIEWERS),
    "api:action_item_update_api": Rule(SME_PEOPLE, method="post"),
    "api:programme_campaign_list": Rule(COORDINATOR),
    "api:campaign_statistics": Rule(COORDINATOR, note="409 while the campaign is open (the matrix world's is)"),
}

PAYLOADS = {
    "api:company_domain_add": {"name": "matrix-new.example"},
    "api:programme_batch_submit": {"name": "Matrix sweep", "domains": ["matrix-1.example", "matrix-2.example"]},
    "api:action_item_update_api": {"status": "doing"},
}
