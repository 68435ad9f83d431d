"""The registry of checks. A check is an async function of a :class:`DomainContext` that returns findings.

    @register("web.hsts", area=Area.WEB, sweep=True)
    async def check_hsts(ctx: DomainContext) -> list[Finding]: ...

``sweep=False`` marks checks that are left out in sweep depth (docs/architecture.md lists them).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from .context import DomainContext
from .model import Area, Finding

CheckFunc = Callable[[DomainContext], Awaitable[list[Finding]]]


@dataclass(frozen=True, slots=True)
class CheckSpec:
    id: str
    area: Area
    func: CheckFunc
    sweep: bool  # runs in sweep depth too
    description: str


_REGISTRY: dict[str, CheckSpec] = {}


def register(check_id: str, *, area: Area, sweep: bool = True) -> Callable[[CheckFunc], CheckFunc]:
    def decorator(func: CheckFunc) -> CheckFunc:
        if check_id in _REGISTRY and _REGISTRY[check_id].func is not func:
            raise ValueError(f"check {check_id!r} registered twice")
        doc = (func.__doc__ or "").strip().splitlines()
        _REGISTRY[check_id] = CheckSpec(check_id, area, func, sweep, doc[0] if doc else "")
        return func

    return decorator


def all_checks() -> list[CheckSpec]:
    from . import all_checks as _load  # noqa: F401  (imports every check module so they register)

    return sorted(_REGISTRY.values(), key=lambda c: c.id)


def selected_checks(areas: frozenset[Area], deep: bool) -> list[CheckSpec]:
    return [c for c in all_checks() if c.area in areas and (deep or c.sweep)]
