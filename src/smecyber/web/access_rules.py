"""Rules for the root URLs: the start page, the language switch and the Django admin."""

from smecyber.web.access import EVERYONE, NOBODY, Rule

RULES = {
    "home": Rule(EVERYONE),
    "set_language": Rule(EVERYONE, method="post"),
    # The admin is for platform admins (staff), none of the personas; every admin URL not named below
    # falls under this rule by its namespace.
    "admin:*": Rule(NOBODY, note="staff only: others are sent to the admin's login page"),
    "admin:login": Rule(EVERYONE, note="the admin's login form (says a non-staff user is not authorised)"),
    "admin:logout": Rule(EVERYONE, method="post", note="logging out is harmless; non-staff go to the admin index"),
}
