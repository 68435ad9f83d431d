"""Who may open the accounts app's URLs, and allauth's (login, sign-up, email, password, two-factor).

Vocabulary in smecyber/web/access.py. A persona outside ``allow`` gets 404 for an SME's pages (or is sent to
log in when anonymous); allauth's entrance pages send a signed-in visitor on to the start page.
"""

from __future__ import annotations

from smecyber.web.access import EVERYONE, NOBODY, OWNER, SIGNED_IN, SME_PEOPLE, Rule

RULES = {
    # --- accounts ----------------------------------------------------------------------------------------
    "onboarding": Rule(SIGNED_IN, note="anyone signed in may register an SME and become its owner"),
    "account_settings": Rule(SIGNED_IN, note="one's own settings and API tokens"),
    "token_create": Rule(SIGNED_IN, method="post", note="a token for oneself; shown once on the answer page"),
    "token_revoke": Rule(OWNER, method="post",
                         note="the world's token belongs to the owner persona; anyone else's token answers 404"),
    "account_delete": Rule(SIGNED_IN, note="GET is the confirmation page; POST needs the password"),
    "advisor_home": Rule(SIGNED_IN, note="lists only SMEs that currently grant the caller consent"),
    "company_people": Rule(SME_PEOPLE, note="members see it read-only"),
    "member_invite": Rule(OWNER, method="post"),
    "member_remove": Rule(OWNER, method="post", note="never removes the last owner"),
    "member_role": Rule(OWNER, method="post", note="never demotes the last owner"),
    "advisor_grant": Rule(OWNER, method="post", note="only to an advisor of the SME's programme"),
    "consent_revoke": Rule(OWNER, method="post"),
    "company_sharing": Rule(OWNER, method="post"),
    "invitation_accept": Rule(EVERYONE, note="GET shows the invitation to whoever holds the link (the token is "
                                            "the secret); accepting (POST) needs a login with the invited address"),
    "audit_log": Rule(SME_PEOPLE),
    "company_export_json": Rule(OWNER, note="GDPR export, audited"),
    "company_export_pdf": Rule(OWNER, note="GDPR export, audited"),
    "company_delete": Rule(OWNER, note="GET is the confirmation page; POST needs the company's name typed"),
    # --- allauth: entrance (public) ------------------------------------------------------------------------
    "account_login": Rule(EVERYONE, note="a signed-in visitor is sent on to the start page"),
    "account_signup": Rule(EVERYONE, note="a signed-in visitor is sent on to the start page"),
    "account_logout": Rule(EVERYONE, note="GET asks for confirmation; logging out is a POST"),
    "account_inactive": Rule(EVERYONE),
    "account_email_verification_sent": Rule(EVERYONE),
    "account_confirm_email": Rule(EVERYONE, note="needs the key from the email"),
    "account_reset_password": Rule(EVERYONE),
    "account_reset_password_done": Rule(EVERYONE),
    "account_reset_password_from_key": Rule(EVERYONE, note="needs the key from the email"),
    "account_reset_password_from_key_done": Rule(EVERYONE),
    "account_confirm_login_code": Rule(SIGNED_IN, note="login by code is off"),
    "mfa_authenticate": Rule(SIGNED_IN, note="second login step; none in progress here"),
    # --- allauth: managing one's own account (signed in) ----------------------------------------------------
    "account_email": Rule(SIGNED_IN),
    "account_change_password": Rule(SIGNED_IN),
    "account_set_password": Rule(SIGNED_IN, note="redirects to change password when one is set"),
    "account_reauthenticate": Rule(SIGNED_IN),
    "account_request_reauthentication_code": Rule(SIGNED_IN, note="login by code is off"),
    "account_confirm_reauthentication_code": Rule(SIGNED_IN, note="login by code is off"),
    "mfa_index": Rule(SIGNED_IN),
    "mfa_reauthenticate": Rule(SIGNED_IN),
    "mfa_activate_totp": Rule(SIGNED_IN, note="asks for the password again first"),
    "mfa_deactivate_totp": Rule(NOBODY, note="exists only once TOTP is on; no persona has it (404; anonymous: login)"),
    "mfa_view_recovery_codes": Rule(NOBODY, note="exists only once two-factor is on (404; anonymous: login)"),
    "mfa_generate_recovery_codes": Rule(SIGNED_IN),
    "mfa_download_recovery_codes": Rule(NOBODY, note="exists only once two-factor is on (404; anonymous: login)"),
}
