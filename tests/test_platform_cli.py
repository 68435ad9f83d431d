"""`smecyber check-deploy`, `manage`, `worker`, the demo data and the child-process handling of `smecyber run`.

The commands run as subprocesses: the settings are read from the environment at start, as in production.
"""

from __future__ import annotations

import io
import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core import serializers

from smecyber.demo_data import (
    ADVISOR_EMAIL,
    COMPANIES,
    COORDINATOR_EMAIL,
    OWNER_EMAIL,
    PEERS,
    PROGRAMME,
    create_demo_data,
)
from smecyber.platform_run import Child, group_members, platform_queues, print_banner, site_url_for

SMECYBER = [sys.executable, "-m", "smecyber.cli"]
# Everything `smecyber check-deploy` needs to pass (README: production mode). Nothing is contacted.
PRODUCTION_ENV = {
    "SMECYBER_SECRET_KEY": secrets.token_urlsafe(64),
    "SMECYBER_HTTPS": "true",
    "SMECYBER_ALLOWED_HOSTS": "smecyber.example.org",
    "SMECYBER_SITE_URL": "https://smecyber.example.org",
    "DATABASE_URL": "postgresql://smecyber:secret@db.example.org:5432/smecyber",
    "CELERY_BROKER_URL": "redis://redis.example.org:6379/0",
    "SMECYBER_CACHE_URL": "redis://redis.example.org:6379/1",
    "SMECYBER_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "SMECYBER_EMAIL_HOST": "smtp.example.org",
}


def clean_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """The environment of a fresh shell: no settings from the test run leak into the command."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("SMECYBER_", "DJANGO_", "DATABASE_URL", "CELERY_"))}
    return {**env, "SMECYBER_DATA_DIR": str(tmp_path / "var"), **extra}


def run_cli(args: list[str], env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*SMECYBER, *args], env=env, capture_output=True, text=True, timeout=timeout)


def test_check_deploy_fails_with_the_embedded_defaults(tmp_path: Path) -> None:
    result = run_cli(["check-deploy"], clean_env(tmp_path))
    assert result.returncode == 1, result.stdout + result.stderr
    out = result.stdout + result.stderr
    for code in ("security.W004", "security.W012", "smecyber.W001", "smecyber.W002", "smecyber.W003",
                 "smecyber.W005"):
        assert code in out


def test_check_deploy_passes_with_the_documented_production_environment(tmp_path: Path) -> None:
    result = run_cli(["check-deploy"], clean_env(tmp_path, **PRODUCTION_ENV))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("missing", ["SMECYBER_HTTPS", "DATABASE_URL", "CELERY_BROKER_URL", "SMECYBER_CACHE_URL"])
def test_check_deploy_fails_when_one_production_variable_is_missing(tmp_path: Path, missing: str) -> None:
    env = clean_env(tmp_path, **PRODUCTION_ENV)
    del env[missing]
    assert run_cli(["check-deploy"], env).returncode == 1


def test_check_deploy_fails_on_a_short_secret_key(tmp_path: Path) -> None:
    env = clean_env(tmp_path, **{**PRODUCTION_ENV, "SMECYBER_SECRET_KEY": "short"})
    result = run_cli(["check-deploy"], env)
    assert result.returncode == 1
    assert "security.W009" in result.stdout + result.stderr


def test_manage_passes_arguments_to_django(tmp_path: Path) -> None:
    env = clean_env(tmp_path)
    result = run_cli(["manage", "migrate", "--plan"], env)
    assert result.returncode == 0, result.stderr
    assert "accounts.0001_initial" in result.stdout
    bad = run_cli(["manage", "no-such-command"], env)
    assert bad.returncode == 1
    assert "Unknown command" in bad.stderr


def test_worker_passes_arguments_to_celery(tmp_path: Path) -> None:
    result = run_cli(["worker", "--help"], clean_env(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "--concurrency" in result.stdout


def test_the_worker_consumes_every_queue_a_task_is_routed_to() -> None:
    from smecyber.web.celery import app

    queues = platform_queues()
    assert queues[0] == (app.conf.task_default_queue or "celery")
    routes = app.conf.task_routes or {}
    routed = {r["queue"] for r in routes.values() if isinstance(r, dict) and "queue" in r} if isinstance(
        routes, dict) else set()
    assert routed <= set(queues)
    assert len(queues) == len(set(queues))


def test_site_url_follows_the_bind_address() -> None:
    assert site_url_for("127.0.0.1:8000") == "http://127.0.0.1:8000"
    assert site_url_for("0.0.0.0:9000") == "http://127.0.0.1:9000"


@pytest.mark.django_db
def test_demo_data_is_created_once_and_passwords_are_not_kept() -> None:
    from allauth.account.models import EmailAddress
    from django.apps import apps

    from smecyber.accounts.models import AdvisorConsent, Company, Membership, ProgrammeRole, User
    from smecyber.accounts.permissions import can_manage_company, can_view_company, visible_companies

    logins = create_demo_data()
    assert logins is not None
    assert set(logins.passwords) == {OWNER_EMAIL, ADVISOR_EMAIL, COORDINATOR_EMAIL}
    for email, password in logins.passwords.items():
        user = User.objects.get(email=email)
        assert user.check_password(password)
        assert EmailAddress.objects.get(user=user).verified  # can log in without a confirmation mail
    companies = Company.objects.filter(programme__name=PROGRAMME).order_by("created_at")
    assert companies.count() == len(COMPANIES) == 14
    assert len({c.country for c in companies}) == 8
    assert len({c.size_band for c in companies}) >= 3
    assert all(1 <= c.domains.count() <= 2 for c in companies)
    shop = Company.objects.get(name="Demo Shop")
    owner = User.objects.get(email=OWNER_EMAIL)
    advisor = User.objects.get(email=ADVISOR_EMAIL)
    assert can_manage_company(owner, shop)
    assert Membership.objects.filter(company=shop).count() == 1
    assert can_view_company(advisor, shop)
    assert list(visible_companies(advisor)) == [shop]
    assert AdvisorConsent.objects.filter(company=shop, advisor=advisor, revoked_at__isnull=True).exists()
    assert ProgrammeRole.objects.filter(user__email=COORDINATOR_EMAIL, role="coordinator").exists()

    # nothing in the database holds a password in clear
    dump = serializers.serialize("json", [obj for model in apps.get_models() for obj in model.objects.all()])
    for password in logins.passwords.values():
        assert password not in dump

    assert create_demo_data() is None
    assert Company.objects.count() == 14 + len(PEERS)  # the peers: tests/test_demo_assessments.py
    assert User.objects.count() == 3


def test_child_stop_leaves_no_process_of_its_group(tmp_path: Path) -> None:
    # a leader that ignores SIGTERM and has a grandchild: both must be gone after stop()
    script = "trap '' TERM; sleep 300 & sleep 300; wait"
    child = Child.start("test", ["bash", "-c", script], env=dict(os.environ), log_path=tmp_path / "c.log")
    deadline = time.monotonic() + 10
    while len(group_members(child.pid)) < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(group_members(child.pid)) == 3  # bash and two sleeps
    child.stop(signal.SIGTERM, grace=0.5)
    assert group_members(child.pid) == []
    assert not child.alive()


def test_banner_prints_passwords_once_and_then_how_to_reset_them(tmp_path: Path) -> None:
    from smecyber.demo_data import DemoLogins

    first, again = io.StringIO(), io.StringIO()
    logins = DemoLogins({OWNER_EMAIL: "s3cret-once"}, {OWNER_EMAIL: "owner of Demo Shop"})
    print_banner(first, url="http://127.0.0.1:8000", data_dir=tmp_path, logins=logins, lab=None, queued=10,
                 mailbox="var/mail/")
    print_banner(again, url="http://127.0.0.1:8000", data_dir=tmp_path, logins=None, lab=None, queued=0,
                 mailbox="var/mail/")
    assert "s3cret-once" in first.getvalue() and "http://127.0.0.1:8000/" in first.getvalue()
    assert "var/mail/" in first.getvalue()
    assert "s3cret-once" not in again.getvalue()
    assert "smecyber manage changepassword EMAIL" in again.getvalue()
