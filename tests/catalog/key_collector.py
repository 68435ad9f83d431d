"""Find the finding keys that check code can emit, by reading the source (no scan needed).

Three ways of writing a key are recognised, because the check authors use all three:

* a literal: ``"dns.caa.missing"``;
* an f-string on a module constant: ``f"{CHECK}.not_scored"`` with ``CHECK = "web.headers"``;
* a finding-builder call (``finding``, ``_finding``, ``make_finding``) with a check id followed by a
  literal outcome: ``finding(CHECK, "missing", ...)``;
* an outcome table: ``Outcomes(CHECK, GROUP, {"ok": ..., "missing": ...})`` (checks/outcomes.py) emits
  ``CHECK.ok`` and ``CHECK.missing``.

A construction that cannot be resolved (a helper called with a *variable* outcome, an f-string with a
variable part) is reported as unresolved, so the test can fail on it instead of silently skipping it.
"""

from __future__ import annotations

import ast
import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path

AREA = r"(web|tls|mail|dns)"
CHECK_ID = re.compile(rf"^{AREA}\.[a-z0-9_]+$")
KEY = re.compile(rf"^({AREA}\.[a-z0-9_]+(\.[a-z0-9_]+)+|engine\.[a-z0-9_]+)$")
OUTCOME = re.compile(r"^[a-z0-9_]+(\.[a-z0-9_]+)*$")
# Helpers that build one finding from (check id, outcome, ...): finding(), _finding(), make_finding()
BUILDER = re.compile(r"^_?(make_|new_)?finding$")


@dataclass
class Collected:
    keys: dict[str, set[str]] = field(default_factory=dict)  # key -> "file:line" where it is written
    unresolved: dict[str, str] = field(default_factory=dict)  # "file:name" -> what could not be resolved

    def add(self, key: str, where: str) -> None:
        self.keys.setdefault(key, set()).add(where)


def collect(root: Path, check_ids: set[str]) -> Collected:
    """Keys written in ``root``'s Python files; ``check_ids`` are the registered checks (to tell a check
    id from a look-alike string such as a memo key)."""
    result = Collected()
    for path in sorted(root.rglob("*.py")):
        _collect_file(path, path.relative_to(root).as_posix(), check_ids, result)
    return result


def _collect_file(path: Path, rel: str, check_ids: set[str], result: Collected) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    constants = {
        node.targets[0].id: node.value.value
        for node in tree.body
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
        and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)
    }

    def resolve(node: ast.AST) -> str | None:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        if isinstance(node, ast.Name):
            return constants.get(node.id)
        return None

    for node in ast.walk(tree):
        where = f"{rel}:{getattr(node, 'lineno', 0)}"
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and KEY.match(node.value) \
                and node.value not in check_ids:
            result.add(node.value, where)
        elif isinstance(node, ast.JoinedStr):
            _joined(node, resolve, rel, where, result)
        elif isinstance(node, ast.Call):
            _call(node, resolve, check_ids, rel, where, result)


def _joined(node: ast.JoinedStr, resolve, rel: str, where: str, result: Collected) -> None:  # type: ignore[no-untyped-def]
    parts: list[str | None] = []
    for value in node.values:
        if isinstance(value, ast.Constant):
            parts.append(str(value.value))
        elif isinstance(value, ast.FormattedValue) and value.format_spec is None:
            parts.append(resolve(value.value))
        else:
            parts.append(None)
    first = parts[0] if parts else None
    starts_like_key = first is not None and (CHECK_ID.match(first) or re.match(rf"^{AREA}\.", first))
    if not starts_like_key:
        return
    if all(p is not None for p in parts):
        text = "".join(p for p in parts if p is not None)
        if KEY.match(text):
            result.add(text, where)
            return
    result.unresolved[f"{rel}:f-string"] = f"{where}: f-string key with a variable part"


def _call(node: ast.Call, resolve, check_ids: set[str], rel: str, where: str, result: Collected) -> None:  # type: ignore[no-untyped-def]
    func = node.func
    name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
    if name == "Outcomes" and len(node.args) == 3 and isinstance(node.args[2], ast.Dict):
        check = resolve(node.args[0])
        if check is None or check not in check_ids:
            result.unresolved[f"{rel}:Outcomes"] = f"{where}: Outcomes table of an unknown check"
            return
        for k in node.args[2].keys:
            if isinstance(k, ast.Constant) and isinstance(k.value, str) and OUTCOME.match(k.value):
                result.add(f"{check}.{k.value}", where)
            else:
                result.unresolved[f"{rel}:Outcomes"] = f"{where}: Outcomes table with a non-literal outcome"
        return
    if not BUILDER.match(name):  # e.g. web_findings(ctx, "tls.certificate", "certificate") is no key
        return
    args = node.args
    for first, second in itertools.pairwise(args):
        check = resolve(first)
        if check is None or check not in check_ids:
            continue
        if isinstance(second, ast.Constant) and isinstance(second.value, str):
            if OUTCOME.match(second.value) and KEY.match(f"{check}.{second.value}"):
                result.add(f"{check}.{second.value}", where)
        else:
            name = second.id if isinstance(second, ast.Name) else type(second).__name__
            result.unresolved[f"{rel}:{name}"] = f"{where}: outcome of {check} given as {name}"
