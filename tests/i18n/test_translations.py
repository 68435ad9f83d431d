"""Every UI message is translated in Swedish, Latvian and Lithuanian, and the catalogs match the code.

English is the source language (msgids). The test fails when a .po file has an empty or fuzzy entry, when
msgfmt rejects it (placeholders, plural forms), or when the code holds a message the .po files do not have
(someone added text and did not run makemessages + translate).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "smecyber"
LOCALE = PACKAGE / "locale"
LANGUAGES = ("sv", "lv", "lt")


def parse_po(path: Path) -> list[dict[str, object]]:
    """Entries of a .po file: msgid, msgid_plural, msgstr list, flags (enough for completeness checks)."""
    entries: list[dict[str, object]] = []
    current: dict[str, object] = {}
    field = None

    def flush() -> None:
        if "msgid" in current:
            entries.append(dict(current))
        current.clear()

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            flush()
            field = None
            continue
        if line.startswith("#,"):
            current.setdefault("flags", set()).update(f.strip() for f in line[2:].split(","))  # type: ignore[union-attr]
            continue
        if line.startswith("#"):
            continue
        match = re.match(r'^(msgid|msgid_plural|msgstr(?:\[\d+\])?|msgctxt)\s+"(.*)"$', line)
        if match:
            field = match.group(1)
            current[field] = match.group(2)
        elif line.startswith('"') and field:
            current[field] = str(current[field]) + line[1:-1]
    flush()
    return entries


def _translations(entry: dict[str, object]) -> list[str]:
    return [str(v) for k, v in entry.items() if k.startswith("msgstr")]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_message_is_translated(lang: str) -> None:
    po = LOCALE / lang / "LC_MESSAGES" / "django.po"
    assert po.exists(), f"{po} is missing: run makemessages -l {lang}"
    entries = parse_po(po)
    assert len(entries) > 100
    untranslated = [e["msgid"] for e in entries[1:] if any(t == "" for t in _translations(e))]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e.get("flags", set())]  # type: ignore[operator]
    assert not untranslated, f"{lang}: {len(untranslated)} untranslated, e.g. {untranslated[:5]}"
    assert not fuzzy, f"{lang}: {len(fuzzy)} fuzzy entries, e.g. {fuzzy[:5]}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_msgfmt_accepts_the_catalog(lang: str) -> None:
    """msgfmt --check verifies placeholders (python-format) and plural forms against the header."""
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        if os.environ.get("CI") == "true":
            pytest.fail("msgfmt (Debian package gettext) is missing; scripts/setup.sh installs it")
        pytest.skip("msgfmt (gettext) not installed")
    po = LOCALE / lang / "LC_MESSAGES" / "django.po"
    result = subprocess.run([msgfmt, "--check", "--statistics", "-o", os.devnull, str(po)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, result.stderr


def test_catalogs_hold_every_message_of_the_code(tmp_path: Path) -> None:
    """Re-extract the messages from the code into a scratch copy and compare with the committed catalogs."""
    if shutil.which("xgettext") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("xgettext (Debian package gettext) is missing; scripts/setup.sh installs it")
        pytest.skip("xgettext (gettext) not installed")
    # makemessages writes into the locale directory nearest each source file, so extract from a copy of the
    # package that has its own empty locale directory (never from the real one: it would rewrite the catalogs).
    copy = tmp_path / "smecyber"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("locale", "__pycache__", "lab", "checks", "*.pyc"))
    scratch = copy / "locale"
    scratch.mkdir()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.i18n.makemessages_settings",
           "SMECYBER_SCRATCH_LOCALE": str(scratch), "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "django", "makemessages", "-l", "sv", "--no-location", "--no-obsolete"]
    result = subprocess.run(cmd, cwd=copy, env=env, capture_output=True, text=True, check=False, timeout=300)
    assert result.returncode == 0, result.stderr
    in_code = {(e.get("msgctxt"), e["msgid"]) for e in parse_po(scratch / "sv" / "LC_MESSAGES" / "django.po")}
    for lang in LANGUAGES:
        committed = {(e.get("msgctxt"), e["msgid"]) for e in parse_po(LOCALE / lang / "LC_MESSAGES" / "django.po")}
        missing = sorted(str(m) for _c, m in in_code - committed)
        assert not missing, (f"{lang}: {len(missing)} messages in the code are not in the catalog "
                             f"(run makemessages and translate), e.g. {missing[:5]}")


@pytest.mark.django_db
@pytest.mark.parametrize("lang", LANGUAGES)
def test_pages_render_in_the_language(client, settings, lang: str) -> None:
    """The compiled catalogs are used: the public start page and the login page are not in English."""
    settings.ALLOWED_HOSTS = ["testserver"]
    english = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE=lang).content.decode()
    assert f'<html lang="{lang}"' in page
    assert page != english
