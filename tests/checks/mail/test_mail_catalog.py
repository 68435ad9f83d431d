"""Every key the mail checks can emit has a valid English catalog entry, and no entry is dead."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import yaml

import smecyber.checks.mail as mail_pkg
from smecyber.catalog.findings import FINDINGS_DIR, load_catalog
from smecyber.catalog.languages import SUPPORTED_LANGUAGES

SRC = Path(mail_pkg.__file__).parent
# keys whose outcome is chosen in a variable rather than spelled in the finding() call
DYNAMIC = {"mail.mx.domain_missing", "mail.dmarc.np_policy_weaker", "mail.dmarc.subdomain_policy_weaker",
           "mail.starttls.unsafe_address", "mail.starttls.unresolvable",
           "mail.dane.bogus", "mail.dane.lookup_failed"}


def emitted_keys() -> set[str]:
    found: set[str] = set()
    for path in SRC.glob("*.py"):
        text = path.read_text("utf-8")
        m = re.search(r'^CHECK = "(mail\.[a-z_]+)"', text, re.M)
        if not m:
            continue
        check = m.group(1)
        found |= {f"{check}.{o}" for o in re.findall(r'finding\(\s*CHECK,\s*"([a-z_]+)"', text)}
        if re.search(r"versioned_txt\(ctx, CHECK,", text):  # common.versioned_txt reports lookup_failed
            found.add(f"{check}.lookup_failed")
        for block in re.findall(r"_PERMERROR_OUTCOMES = \{(.*?)\}", text, re.S):
            found |= {f"{check}.{o}" for o in re.findall(r':\s*"([a-z_]+)"', block)}
    return found | DYNAMIC


def test_every_emitted_key_has_a_catalog_entry_and_none_is_dead(tmp_path: Path) -> None:
    shutil.copy(FINDINGS_DIR / "mail.yaml", tmp_path / "mail.yaml")
    english = yaml.safe_load((tmp_path / "mail.yaml").read_text("utf-8"))
    for lang in SUPPORTED_LANGUAGES[1:]:  # placeholders: translations are written separately
        stub = {k: dict(v["text"]) for k, v in english.items()}
        (tmp_path / f"mail.{lang}.yaml").write_text(yaml.safe_dump(stub, allow_unicode=True), "utf-8")
    catalog = load_catalog(tmp_path)  # validates severities, CSF ids, NIS2 letters, references
    assert catalog is not None
    keys = emitted_keys()
    assert len(keys) > 60
    assert sorted(keys - set(english)) == []
    assert sorted(set(english) - keys) == []
