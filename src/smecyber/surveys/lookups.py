"""``hasbit``: ``field__hasbit=value`` is true when the integer column shares a set bit with ``value``.

Written as ``(column & value) <> 0``, which SQLite and PostgreSQL both understand. ``value`` may be one bit (one
option of a question) or a mask (any of several options). Registered on ``BigIntegerField`` when the surveys app
is ready (apps.py), so ``Count("pk", filter=Q(bits0__hasbit=1 << 5))`` counts the responses that chose option 5.
"""

from __future__ import annotations

from typing import Any

from django.db.models import BigIntegerField, Lookup


class HasBit(Lookup):  # type: ignore[type-arg]
    lookup_name = "hasbit"

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"({lhs} & {rhs}) <> 0", [*lhs_params, *rhs_params]


def register() -> None:
    if "hasbit" not in BigIntegerField.get_class_lookups():
        BigIntegerField.register_lookup(HasBit)


register()
