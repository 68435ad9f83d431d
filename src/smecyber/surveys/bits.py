"""Options as bits: every option of every question of a campaign gets a position, and a response stores the
options it chose as set bits in the four integer columns of ``Response`` (models.BIT_COLUMNS).

Position p lives in column ``BIT_COLUMNS[p // BITS_PER_COLUMN]`` with value ``1 << (p % BITS_PER_COLUMN)``.
The positions are assigned once, when a campaign is created, in the order of its frozen definition, and then
stored with the campaign (``Campaign.bits``): decoding never depends on the template in use today.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from .models import BIT_COLUMNS, BITS_PER_COLUMN, MAX_OPTIONS


class TooManyOptions(ValueError):
    pass


def iter_questions(definition: Mapping[str, Any]) -> Iterator[tuple[str, list[str]]]:
    """(question id, option ids) in the definition's order (``SurveyTemplate.as_definition()``: a list of
    questions, each with a list of options ``{"id", "label"}``)."""
    for question in definition.get("questions") or ():
        options = [str(o["id"]) if isinstance(o, Mapping) else str(o) for o in question.get("options", ())]
        yield str(question["id"]), options


def key(qid: str, oid: str) -> str:
    return f"{qid}.{oid}"


def assign_bits(definition: Mapping[str, Any]) -> dict[str, int]:
    """"question.option" -> position 0.., every option of every question (the profile's too), in order."""
    bits: dict[str, int] = {}
    for qid, options in iter_questions(definition):
        for oid in options:
            bits[key(qid, oid)] = len(bits)
    if len(bits) > MAX_OPTIONS:
        raise TooManyOptions(f"{len(bits)} options, a campaign can store at most {MAX_OPTIONS}")
    return bits


def column_and_value(position: int) -> tuple[str, int]:
    return BIT_COLUMNS[position // BITS_PER_COLUMN], 1 << (position % BITS_PER_COLUMN)


def encode(bits: Mapping[str, int], answers: Mapping[str, list[str]]) -> dict[str, int]:
    """The column values for ``answers`` (question id -> chosen option ids); every column is present.
    An option without a position is a programming error (answers are validated before): KeyError."""
    row = dict.fromkeys(BIT_COLUMNS, 0)
    for qid, options in answers.items():
        for oid in options:
            column, value = column_and_value(bits[key(qid, oid)])
            row[column] |= value
    return row


def decode(bits: Mapping[str, int], row: Mapping[str, int] | Any) -> dict[str, list[str]]:
    """question id -> chosen option ids (in the campaign's option order) from a row (a mapping of the columns or
    a ``Response``); questions without a chosen option are left out."""
    values = {c: int(row[c] if isinstance(row, Mapping) else getattr(row, c)) for c in BIT_COLUMNS}
    answers: dict[str, list[str]] = {}
    for name, position in sorted(bits.items(), key=lambda item: item[1]):
        column, value = column_and_value(position)
        if values[column] & value:
            qid, _, oid = name.rpartition(".")
            answers.setdefault(qid, []).append(oid)
    return answers
