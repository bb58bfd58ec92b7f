"""Typed summaries: every number a chapter quotes, declared once with its name, unit and kind.

A chapter's ``summary.py`` declares its entries (``SUMMARY = Declaration(Entry(...), ...)``);
``summarise()`` returns a plain dict whose values have the declared kinds: a float or int, an
:class:`~neuron_utils.methods.bootstrap.Interval` (never two keys ``x_low``/``x_high``), a
:class:`~neuron_utils.methods.bootstrap.Comparison` (never its words), text, a flag, or a table
or curve (lists and dicts, for figures and tables). Glue, the findings rules, the contract test
and the golden test all read that one declaration:

- :meth:`Declaration.problems` names keys no entry declares and values of the wrong kind;
- :meth:`Declaration.glue_values` is what the prose quotes: a number as it is, an interval as
  ``name.low`` / ``name.high`` (and ``name`` as ``[low, high]``), a comparison in words against
  its entry's ``reference`` (``below its random sets``);
- :func:`encode` / :meth:`Declaration.decode` write and read the JSON on disk.

The JSON schema (``"schema": 2`` in every record): a number, text or flag is a JSON scalar
(NaN as ``NaN``, as Python's ``json`` writes it); an interval is ``{"low": x, "high": y}``; a
comparison is its value (``"below"``, ``"above"``, ``"not distinguishable from"``); a table is
a list of row objects; a curve a list or an object of lists.
"""

from __future__ import annotations

import fnmatch
import numbers
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

import numpy as np

from ..methods.bootstrap import Comparison, Interval

SCHEMA_VERSION = 2


class Kind(Enum):
    """What a summary entry holds."""

    NUMBER = "number"  # a float (a mean, a share, a difference)
    COUNT = "count"  # an int (neurons, pairs, a layer index)
    INTERVAL = "interval"  # an :class:`~neuron_utils.methods.bootstrap.Interval`
    COMPARISON = "comparison"  # a :class:`~neuron_utils.methods.bootstrap.Comparison`
    TEXT = "text"  # words the prose quotes (a name, a generated sentence)
    FLAG = "flag"  # a bool
    TABLE = "table"  # rows (a list of dicts) a table shows
    CURVE = "curve"  # values per layer / per condition a figure draws (lists, dicts of lists)


def _is_number(value: Any) -> bool:
    return isinstance(value, (numbers.Real, np.floating, np.integer)) and not isinstance(
        value, (bool, np.bool_)
    )


_CHECKS = {
    Kind.NUMBER: _is_number,
    Kind.COUNT: lambda v: isinstance(v, (int, np.integer)) and not isinstance(v, (bool, np.bool_)),
    Kind.INTERVAL: lambda v: isinstance(v, Interval),
    Kind.COMPARISON: lambda v: isinstance(v, Comparison),
    Kind.TEXT: lambda v: isinstance(v, str),
    Kind.FLAG: lambda v: isinstance(v, (bool, np.bool_)),
    Kind.TABLE: lambda v: isinstance(v, list),
    Kind.CURVE: lambda v: isinstance(v, (list, dict, np.ndarray)),
}


@dataclass(frozen=True)
class Entry:
    """One declared summary entry: a key, or a glob pattern of keys built the same way
    (``delta_*``), its kind and unit. A comparison's ``reference`` names what it compares
    against, for its words (``its random sets``)."""

    key: str
    kind: Kind
    unit: str
    reference: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.kind, Kind):
            raise ValueError(f"{self.key}: kind must be a Kind, got {self.kind!r}")
        if not self.unit.strip():
            raise ValueError(f"{self.key}: every entry states its unit")
        if (self.kind is Kind.COMPARISON) != bool(self.reference):
            raise ValueError(f"{self.key}: a comparison, and only a comparison, has a reference")

    def matches(self, key: str) -> bool:
        return key == self.key or fnmatch.fnmatchcase(key, self.key)


class Declaration:
    """A chapter's summary entries, declared once (see the module's docstring)."""

    def __init__(self, *entries: Entry) -> None:
        keys = [e.key for e in entries]
        repeated = sorted({k for k in keys if keys.count(k) > 1})
        if repeated:
            raise ValueError(f"summary entries declared twice: {', '.join(repeated)}")
        # exact keys before patterns, so that a specific entry wins over a broad one
        self.entries = tuple(sorted(entries, key=lambda e: any(c in e.key for c in "*?[")))

    def __iter__(self):
        return iter(self.entries)

    def entry(self, key: str) -> Entry | None:
        """The entry that declares ``key`` (None: undeclared)."""
        return next((e for e in self.entries if e.matches(key)), None)

    def kind(self, key: str) -> Kind:
        entry = self.entry(key)
        if entry is None:
            raise KeyError(f"{key!r} is not declared")
        return entry.kind

    def problems(self, summary: Mapping[str, Any]) -> list[str]:
        """Keys no entry declares, and values not of their entry's kind (NaN is a number)."""
        found = []
        for key, value in summary.items():
            entry = self.entry(key)
            if entry is None:
                found.append(f"{key}: not declared")
            elif not _CHECKS[entry.kind](value):
                found.append(f"{key}: {type(value).__name__} is not a {entry.kind.value}")
        return found

    def glue_values(self, summary: Mapping[str, Any]) -> dict[str, Any]:
        """What the prose can quote (``{glue:text}`name```): numbers, text and flags as they
        are; an interval as ``name.low``, ``name.high`` and ``name`` (``[low, high]``); a
        comparison as words (``below its random sets``). Tables and curves are not glued."""
        out: dict[str, Any] = {}
        for key, value in summary.items():
            entry = self.entry(key)
            kind = entry.kind if entry else None
            if isinstance(value, Interval):
                out[f"{key}.low"], out[f"{key}.high"] = value.low, value.high
                out[key] = value.text()
            elif isinstance(value, Comparison):
                out[key] = value.text(entry.reference if entry else "its baseline")
            elif kind in (Kind.TABLE, Kind.CURVE) or isinstance(value, (list, dict, np.ndarray)):
                continue
            else:
                out[key] = value.item() if isinstance(value, np.generic) else value
        return out

    def decode(self, stored: Mapping[str, Any]) -> dict[str, Any]:
        """A summary read from JSON (:func:`encode`) with its typed values back."""
        out = {}
        for key, value in stored.items():
            entry = self.entry(key)
            kind = entry.kind if entry else None
            if kind is Kind.INTERVAL and isinstance(value, dict):
                out[key] = Interval(value["low"], value["high"])
            elif kind is Kind.COMPARISON and isinstance(value, str):
                out[key] = Comparison(value)
            else:
                out[key] = value
        return out


def plain(value: Any) -> Any:
    """A summary value as JSON holds it (``SCHEMA_VERSION``'s schema)."""
    if isinstance(value, Interval):
        return value.as_json()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    return value


def encode(summary: Mapping[str, Any]) -> dict[str, Any]:
    """A typed summary as JSON-able values (the inverse of :meth:`Declaration.decode`)."""
    return {key: plain(value) for key, value in summary.items()}
