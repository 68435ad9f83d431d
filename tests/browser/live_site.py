"""The running app as the browser tests see it (``Site``), and the people and SMEs they start from."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from allauth.account.models import EmailAddress
from django.test import Client

from smecyber.accounts.models import Company, Membership, Programme, User
from smecyber.lab.lab import Lab

PROGRAMME_NAME = "Baltic Secure SMEs"
CLOSED_PROGRAMME_NAME = "Closed programme"
PASSWORD = "correct-horse-battery-9"
VERIFICATION_FILE = ".well-known/smecyber-verification.txt"


@dataclass
class Site:
    """The live server's URL, the lab behind the app's scanner, and the programme SMEs sign up to."""

    url: str
    lab: Lab
    programme: Programme
    uploaded: list[Path] = field(default_factory=list)

    def upload_verification_file(self, domain: str, token: str) -> Path:
        """What an SME does at its web host: put the code into the file the domain page names."""
        path = self.lab.docroot(domain) / VERIFICATION_FILE
        path.write_text(token + "\n")
        self.uploaded.append(path)
        return path

    def session_cookie(self, user: User) -> dict[str, Any]:
        """A logged-in session for ``user``, for pages whose login is not what a test is about."""
        client = Client()
        client.force_login(user)
        return {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": self.url}


def make_user(email: str, *, password: str = PASSWORD) -> User:
    user = User.objects.create_user(email=email, password=password)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def make_company(owner: User, programme: Programme, name: str = "Ostkust Mjukvara AB") -> Company:
    company = Company.objects.create(programme=programme, name=name, country="SE", sector="J",
                                     builds_software=True)
    Membership.objects.create(user=owner, company=company, role=Membership.Role.OWNER)
    return company
