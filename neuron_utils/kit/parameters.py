"""Typed chapter parameters, validated before any model loads.

Each chapter defines ``Parameters``, a frozen dataclass derived from
:class:`ChapterParameters`: its fields are the chapter's UPPERCASE parameters with the
``quick`` profile's values as defaults, ``PAPER`` holds the ``paper`` profile's values and
``PAPER_LITE`` what ``paper-lite`` changes in them (the paper's data at a smaller size). The
harness's settings (smoke and golden sizes, figures) are on the chapter's
:class:`~neuron_utils.kit.spec.ChapterSpec`, not here. The
notebook keeps a literal ``parameters`` cell for papermill (a test checks that it agrees with
the defaults). Building an instance checks everything: types, allowed values (the message names
them), duplicates, finite numbers and ranges, sizes against the data; and it fetches and
checksums every data file the chapter will read, so a bad value or a missing file fails in
seconds, not after the model has loaded.
"""

from __future__ import annotations

import copy
import math
import os
import re
import types
import typing
import warnings
from collections.abc import Sequence
from dataclasses import MISSING, dataclass, field, fields, replace
from pathlib import Path
from typing import Any, ClassVar

from ..data.downloads import fetch
from ..core.models import (
    DEFAULT_MODEL,
    check_model,
    layer_count,
    resolve_device,
    resolve_dtype,
)
from ..data.quality import DataQualityWarning, language_warnings

PROFILES = ("quick", "paper-lite", "paper")
# numpy's legacy RandomState and scikit-learn take seeds below 2**32
MAX_SEED = 2**32 - 1
# parameters that change how a run executes, not what it computes (the batch-size and device
# invariance of every result is tested): a run that differs only in these is not a custom run
EXECUTION_ONLY = ("DEVICE", "BATCH_SIZE")


@dataclass(frozen=True)
class Limits:
    """What a parameter may hold, declared beside its field (:func:`param`) and checked when the
    parameters are built: a number in ``[low, high]`` (``low_open``: ``(low, high]``), one of
    ``choices``, or a list of distinct ``choices`` / numbers in range with ``min_items`` or more.
    Limits that depend on the data or on another parameter stay in ``check``/``check_data``."""

    low: float | None = None
    high: float | None = None
    low_open: bool = False
    choices: tuple[Any, ...] | None = None
    min_items: int = 1

    def check(self, name: str, value: Any) -> None:
        if value is None:  # an optional size left to the data
            return
        if isinstance(value, list):
            self._check_list(name, value)
        elif self.choices is not None:
            check_choice(name, value, self.choices)
        elif isinstance(value, int) and not isinstance(value, bool) and self._whole:
            check_int(name, value, int(self.low) if self.low is not None else -(2**63), self.high)
        elif isinstance(value, (int, float)):
            low = self.low if self.low is not None else -math.inf
            check_number(name, value, low, self.high if self.high is not None else math.inf,
                         self.low_open)  # fmt: skip

    @property
    def _whole(self) -> bool:
        """Limits of an integer parameter: closed, and whole numbers at both ends."""
        ends = [b for b in (self.low, self.high) if b is not None]
        return not self.low_open and all(float(b).is_integer() for b in ends)

    def _check_list(self, name: str, values: list) -> None:
        if self.choices is not None:
            check_subset(name, values, self.choices, self.min_items)
        elif self.low is not None or self.high is not None:
            low = self.low if self.low is not None else -math.inf
            check_numbers(name, values, low, self.high if self.high is not None else math.inf)
        else:
            check_subset(name, values, values, self.min_items)


def param(
    default: Any,
    *,
    low: float | None = None,
    high: float | None = None,
    low_open: bool = False,
    choices: Sequence[Any] | None = None,
    min_items: int = 1,
) -> Any:
    """A parameter field with its default and its limits (:class:`Limits`) in one place:
    ``N_PAIRS: int = param(100, low=2)``, ``POOLING: str = param("last", choices=POOLINGS)``.
    A list or dict default is copied for every instance."""
    limits = Limits(low, high, low_open, tuple(choices) if choices is not None else None, min_items)
    metadata = {"limits": limits}
    if isinstance(default, (list, dict)):
        return field(default_factory=lambda: copy.deepcopy(default), metadata=metadata)
    return field(default=default, metadata=metadata)


def limits_of(cls: type, name: str) -> Limits | None:
    """The limits declared beside parameter ``name`` of ``cls`` (None: none declared)."""
    found = {f.name: f for f in fields(cls)}.get(name)
    return found.metadata.get("limits") if found is not None else None


@dataclass(frozen=True)
class ChapterParameters:
    """Parameters every chapter has; subclasses add theirs and override :meth:`check`."""

    PROFILE: str = param("quick", choices=PROFILES)
    MODEL: str = DEFAULT_MODEL
    DTYPE: str = "auto"  # auto: bf16 on CPUs with native bf16 (and on CUDA), else fp32
    DEVICE: str = "auto"  # auto: CUDA if there is a GPU, else cpu; or cuda, cuda:N, map
    SEED: int = param(0, low=0, high=MAX_SEED)
    BATCH_SIZE: int = param(32, low=1)

    # the chapter's number: its folder's (chNN_<name>), set for every subclass defined there
    CHAPTER: ClassVar[str] = ""
    PAPER: ClassVar[dict[str, Any]] = {}  # the paper profile's values (the rest: quick defaults)
    # paper-lite: the paper's data at a smaller size, where the paper size cannot run on two
    # cores in about an hour (values on top of PAPER; empty: paper-lite is the paper profile)
    PAPER_LITE: ClassVar[dict[str, Any]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        folder = re.match(r"neuron_utils\.chapters\.ch(\d\d)_", cls.__module__)
        if folder and "CHAPTER" not in vars(cls):
            cls.CHAPTER = folder.group(1)

    def __post_init__(self) -> None:
        hints = typing.get_type_hints(type(self))
        for f in fields(self):
            check_type(f.name, getattr(self, f.name), hints[f.name])
        for f in fields(self):  # the limits declared beside each field (param())
            if "limits" in f.metadata:
                f.metadata["limits"].check(f.name, getattr(self, f.name))
        check_model(self.MODEL)
        resolve_dtype(self.DTYPE, resolve_device(self.DEVICE))
        self.check()

    def run_dtype(self) -> str:
        """The dtype this run computes in here (``DTYPE`` resolved on this machine and device):
        ``"bfloat16"``, ``"float32"`` or ``"float16"``."""
        return str(resolve_dtype(self.DTYPE, resolve_device(self.DEVICE))).removeprefix("torch.")

    def check(self) -> None:
        """Chapter-specific checks that read no data (raise ``ValueError`` naming the allowed
        values): building parameters never reads or downloads a data set."""

    def check_data(self) -> None:
        """Chapter-specific checks against the data (languages, sizes, paradigms of the chosen
        sources): they read the data, downloading it where it is not at hand. Run by
        :meth:`~neuron_utils.kit.parameters.ChapterParameters.validate`."""

    def validate(self) -> ChapterParameters:
        """These parameters checked against their data, every file the chapter reads fetched
        and checksummed (before any model loads); returns ``self``. :meth:`resolve`,
        :meth:`from_namespace` and :meth:`replace` validate; a bare constructor does not."""
        self.check_data()
        for dataset, relpath in self.data_files():
            fetch(dataset, relpath)
        for message in language_warnings(self.describe_data()):  # another language in a column
            warnings.warn(message, DataQualityWarning, stacklevel=2)
        return self

    def data_files(self) -> list[tuple[str, str]]:
        """The manifest files (data set, path) the chapter reads with these parameters."""
        return []

    def describe_data(self) -> list[dict[str, Any]]:
        """Provenance entries of the chapter's data (name, upstream, license, file checksums)."""
        return []

    def replace(self, **changes: Any) -> ChapterParameters:
        """A copy with ``changes``, checked like any instance: ``params.replace(POOLING="mean")``
        (what ``-p POOLING '"mean"'`` does for a whole run)."""
        return replace(self, **changes).validate()

    @classmethod
    def names(cls) -> list[str]:
        return [f.name for f in fields(cls)]

    @classmethod
    def resolve(
        cls, profile: str = "quick", overrides: dict[str, Any] | None = None
    ) -> ChapterParameters:
        """Defaults <- the profile's values <- ``overrides``, checked against the data
        (:meth:`validate`)."""
        values = cls.profile_changes(profile)
        for name, value in (overrides or {}).items():
            if name not in cls.names():
                raise ValueError(
                    f"chapter {cls.CHAPTER} has no parameter {name!r}; its parameters: "
                    f"{', '.join(cls.names())}"
                )
            values[name] = value
        return cls(**values).validate()

    @classmethod
    def profile_changes(cls, profile: str) -> dict[str, Any]:
        """What ``profile`` sets on top of the defaults (the quick profile's values), with
        ``PROFILE`` itself."""
        check_choice("profile", profile, PROFILES)
        values: dict[str, Any] = dict(cls.PAPER) if profile != "quick" else {}
        if profile == "paper-lite":
            values.update(cls.PAPER_LITE)
        values["PROFILE"] = profile
        return values

    @classmethod
    def profile_values(cls, profile: str) -> dict[str, Any]:
        """Every parameter's value under ``profile`` (defaults <- the profile's values)."""
        defaults = {
            f.name: f.default_factory() if f.default_factory is not MISSING else f.default
            for f in fields(cls)
        }
        return {**defaults, **cls.profile_changes(profile)}

    def differences(self) -> dict[str, Any]:
        """The parameters whose value differs from this run's profile (name -> this run's
        value), leaving out those that change how a run executes, not what it computes
        (``EXECUTION_ONLY``): empty for a run of the profile as the book defines it."""
        profile = self.profile_values(self.PROFILE)
        return {
            name: value
            for name, value in self.as_dict().items()
            if name not in EXECUTION_ONLY and value != profile[name]
        }

    @property
    def is_default_run(self) -> bool:
        """The quick profile as the book defines it: the run the book's prose was written for."""
        return self.PROFILE == "quick" and not self.differences()

    def differences_text(self) -> str:
        """The differences as ``N_PAIRS=20, L2_LANGUAGES=['ja']`` (empty when there are none)."""
        return differences_text(self.differences())

    @classmethod
    def from_namespace(cls, namespace: dict[str, Any]) -> ChapterParameters:
        """The parameters a notebook holds (its ``parameters`` cell, as papermill overrode it)."""
        return cls(
            **{name: namespace[name] for name in cls.names() if name in namespace}
        ).validate()

    def as_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.names()}


# --------------------------------------------------------------------------- checks


_NAMES = {
    str: ("a string", "strings"),
    int: ("an integer", "integers"),
    float: ("a number", "numbers"),
    bool: ("true or false", "booleans"),
    type(None): ("None", "None"),
}


def _type_name(hint: Any, plural: bool = False) -> str:
    origin = typing.get_origin(hint)
    if origin in (types.UnionType, typing.Union):
        return " or ".join(_type_name(h, plural) for h in typing.get_args(hint))
    if origin is list:
        return f"a list of {_type_name(typing.get_args(hint)[0], plural=True)}"
    if origin is dict:
        key, value = typing.get_args(hint)
        return f"a mapping of {_type_name(key, plural=True)} to {_type_name(value, plural=True)}"
    return _NAMES.get(hint, (str(hint), str(hint)))[plural]


def _is_instance(value: Any, hint: Any) -> bool:
    origin = typing.get_origin(hint)
    if origin in (types.UnionType, typing.Union):
        return any(_is_instance(value, h) for h in typing.get_args(hint))
    if origin is list:
        (item,) = typing.get_args(hint)
        return isinstance(value, list) and all(_is_instance(v, item) for v in value)
    if origin is dict:
        key, item = typing.get_args(hint)
        return isinstance(value, dict) and all(
            _is_instance(k, key) and _is_instance(v, item) for k, v in value.items()
        )
    if hint is type(None):
        return value is None
    if hint is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, hint)


def check_type(name: str, value: Any, hint: Any) -> None:
    if not _is_instance(value, hint):
        raise ValueError(f"{name} must be {_type_name(hint)}, got {value!r}")
    numbers = list(value.values()) if isinstance(value, dict) else value
    numbers = numbers if isinstance(numbers, list) else [numbers]
    if any(isinstance(v, float) and not math.isfinite(v) for v in numbers):
        raise ValueError(f"{name}={value!r} must be finite")


def check_choice(name: str, value: Any, allowed: Sequence) -> None:
    if value not in allowed:
        raise ValueError(
            f"{name}={value!r} is not allowed; choose one of: {', '.join(map(str, allowed))}"
        )


def check_subset(name: str, values: Sequence, allowed: Sequence, minimum: int = 1) -> None:
    """A list of distinct allowed values, at least ``minimum`` of them."""
    for value in values:
        if value not in allowed:
            raise ValueError(
                f"{name} contains {value!r}, which is not allowed; choose one of: "
                f"{', '.join(map(str, allowed))}"
            )
    repeated = sorted({str(v) for v in values if list(values).count(v) > 1})
    if repeated:
        raise ValueError(f"{name} lists {', '.join(repeated)} more than once")
    if len(values) < minimum:
        raise ValueError(f"{name} needs at least {minimum} value(s), got {list(values)!r}")


def check_int(name: str, value: int, low: int, high: int | None = None) -> None:
    if value < low or (high is not None and value > high):
        span = f"{low}..{high}" if high is not None else f">= {low}"
        raise ValueError(f"{name}={value!r} must be an integer in {span}")


def check_number(name: str, value: float, low: float, high: float, low_open: bool = False) -> None:
    """``low <= value <= high`` (``low < value`` when ``low_open``)."""
    if value < low or value > high or (low_open and value == low):
        raise ValueError(
            f"{name}={value!r} must be a number in {'(' if low_open else '['}{low}, {high}]"
        )


def check_numbers(name: str, values: Sequence[float], low: float, high: float) -> None:
    if not values or any(not low <= v <= high for v in values):
        raise ValueError(
            f"{name}={list(values)!r} must be a non-empty list of numbers in [{low}, {high}]"
        )
    check_subset(name, values, values)  # no duplicates


def check_layer(name: str, value: int, model: str) -> None:
    check_int(name, value, 0, layer_count(model) - 1)


def shown_value(value: Any) -> Any:
    """A parameter value as a page shows it: an own file or model folder by its name (its
    folder is the reader's machine's, not the book's)."""
    if isinstance(value, list):
        return [shown_value(v) for v in value]
    if isinstance(value, str) and os.sep in value and Path(value.removeprefix("hf:")).exists():
        return Path(value).name
    return value


def differences_text(differences: dict[str, Any]) -> str:
    """Parameter differences (:meth:`ChapterParameters.differences`) as ``N_PAIRS=20,
    L2_LANGUAGES=['ja']``, values as a papermill parameter would hold them (an own file by its
    name, :func:`shown_value`)."""
    return ", ".join(
        f"{name} unset" if value is None else f"{name}={shown_value(value)!r}"
        for name, value in differences.items()
    )


def glue_name(name: str) -> str:
    """A name (a design, a set, a condition) as part of a summary key: lower case, every run of
    other characters one ``_`` (``same (cross-corpus)`` -> ``same_cross_corpus``)."""
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")
