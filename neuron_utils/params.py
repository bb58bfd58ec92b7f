"""Validation of chapter parameters, run before any model loads.

Each known parameter name has one check; :func:`validate` runs the checks for the names a
chapter uses, so a wrong language code, an impossible size or an unknown model fails in a
second with a message that names the allowed values.
"""

from __future__ import annotations

from typing import Any

from . import data
from .activations import POOLINGS
from .anatomy import SITES
from .models import DEFAULT_MODEL, check_model, layer_count, resolve_dtype
from .similarity import FEATURES

PROFILES = ("quick", "paper")


def check_choice(name: str, value: Any, allowed: tuple) -> None:
    if value not in allowed:
        raise ValueError(f"{name}={value!r} is not allowed; choose one of: {', '.join(map(str, allowed))}")


def check_subset(name: str, values: Any, allowed: tuple) -> None:
    if not isinstance(values, (list, tuple)) or not values:
        raise ValueError(f"{name} must be a non-empty list, got {values!r}")
    for value in values:
        if value not in allowed:
            raise ValueError(f"{name} contains {value!r}, which is not allowed; choose one of: {', '.join(map(str, allowed))}")


def check_int(name: str, value: Any, low: int, high: int | None = None) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < low or (high is not None and value > high):
        span = f"{low}..{high}" if high is not None else f">= {low}"
        raise ValueError(f"{name}={value!r} must be an integer in {span}")


def validate(params: dict[str, Any]) -> None:
    """Check every known parameter in ``params`` (UPPERCASE names); raise ``ValueError`` on the first problem."""
    p = params
    if "PROFILE" in p:
        check_choice("PROFILE", p["PROFILE"], PROFILES)
    if "MODEL" in p:
        check_model(p["MODEL"])
    if "DTYPE" in p:
        resolve_dtype(p["DTYPE"])
    if "POOLING" in p:
        check_choice("POOLING", p["POOLING"], POOLINGS)
    if "SITE" in p:
        check_choice("SITE", p["SITE"], SITES)
    if "NEURON_SITE" in p:
        check_choice("NEURON_SITE", p["NEURON_SITE"], ("neurons", "gate"))
    if "TOP_FRACTION" in p:
        top = p["TOP_FRACTION"]
        if isinstance(top, bool) or not isinstance(top, (int, float)) or not 0 < top <= 0.5:
            raise ValueError(f"TOP_FRACTION={top!r} must be a number in (0, 0.5]")
    if "N_RANDOM_SEEDS" in p:
        check_int("N_RANDOM_SEEDS", p["N_RANDOM_SEEDS"], 1)
    if "FEATURES" in p:
        check_subset("FEATURES", p["FEATURES"], FEATURES)
    for name in ("SEED", "BATCH_SIZE", "CV_FOLDS"):
        if name in p:
            check_int(name, p[name], 2 if name == "CV_FOLDS" else (1 if name == "BATCH_SIZE" else 0))
    if "DATA_SOURCE" in p:
        check_choice("DATA_SOURCE", p["DATA_SOURCE"], data.SOURCES)
    if "L2_LANGUAGES" in p:
        _validate_pairs(p)
    if "LANGUAGES" in p:
        _validate_languages(p)
    for name in ("TOP_RATE", "FILTER", "ACTIVATION_BAR"):
        if name in p:
            check_fraction(name, p[name])
    if "STEER_SCALE" in p and (isinstance(p["STEER_SCALE"], bool) or not isinstance(p["STEER_SCALE"], (int, float))
                               or p["STEER_SCALE"] <= 0):
        raise ValueError(f"STEER_SCALE={p['STEER_SCALE']!r} must be a positive number")
    for name in ("N_PROMPTS", "MAX_NEW_TOKENS"):
        if name in p:
            check_int(name, p[name], 1)
    if "PAIR_SOURCES" in p:
        _validate_minimal_pairs(p)


def check_fraction(name: str, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value <= 1:
        raise ValueError(f"{name}={value!r} must be a number in (0, 1]")


def check_numbers(name: str, values: Any, low: float, high: float, integer: bool = False) -> None:
    kind = int if integer else (int, float)
    if (not isinstance(values, (list, tuple)) or not values
            or any(isinstance(v, bool) or not isinstance(v, kind) or not low <= v <= high for v in values)):
        raise ValueError(f"{name}={values!r} must be a non-empty list of {'integers' if integer else 'numbers'} "
                         f"in [{low}, {high}]")


def _validate_minimal_pairs(p: dict[str, Any]) -> None:
    """Grammar chapters: sources and paradigms of minimal pairs, split, probe sweeps."""
    check_subset("PAIR_SOURCES", p["PAIR_SOURCES"], data.PAIR_SOURCES)
    paradigms = p.get("PARADIGMS")
    if paradigms is not None:
        check_subset("PARADIGMS", paradigms, tuple(x for s in p["PAIR_SOURCES"] for x in data.available_paradigms(s)))
        if len(paradigms) < 2 and "GEN_LAYER" in p:
            raise ValueError("PARADIGMS: the generalisation matrix needs at least two paradigms")
    if "N_PAIRS_PER_PARADIGM" in p:
        check_int("N_PAIRS_PER_PARADIGM", p["N_PAIRS_PER_PARADIGM"], 10, data.generator.MAX_PAIRS)
    if "TEST_FRACTION" in p:
        value = p["TEST_FRACTION"]
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0.05 <= value <= 0.5:
            raise ValueError(f"TEST_FRACTION={value!r} must be a number in [0.05, 0.5]")
    if "LAMBDAS" in p:
        check_numbers("LAMBDAS", p["LAMBDAS"], 0.0, 1.0)
        if 1.0 not in p["LAMBDAS"]:
            raise ValueError(f"LAMBDAS={p['LAMBDAS']!r} must include 1.0 (the dense reference of the L0 probes)")
        if "GEN_LAMBDA" in p:
            check_choice("GEN_LAMBDA (one of LAMBDAS)", p["GEN_LAMBDA"], tuple(p["LAMBDAS"]))
    if "RANDOM_MULTIPLES" in p:
        check_numbers("RANDOM_MULTIPLES", p["RANDOM_MULTIPLES"], 1, 1000, integer=True)
        if list(p["RANDOM_MULTIPLES"]) != sorted(set(p["RANDOM_MULTIPLES"])):
            raise ValueError(f"RANDOM_MULTIPLES={p['RANDOM_MULTIPLES']!r} must be increasing")
    if "MIN_PAIRS" in p:
        check_int("MIN_PAIRS", p["MIN_PAIRS"], 4)
    if "L0_STEPS" in p:
        check_int("L0_STEPS", p["L0_STEPS"], 1)
    if "GEN_LAYER" in p:
        layers = layer_count(p.get("MODEL", DEFAULT_MODEL))
        check_int("GEN_LAYER", p["GEN_LAYER"], 0, layers - 1)


def _validate_languages(p: dict[str, Any]) -> None:
    """Per-language chapters: LANGUAGES from a multi-parallel source, sizes, steering languages."""
    source = p.get("DATA_SOURCE", "bundled")
    check_choice("DATA_SOURCE (per-language text)", source, ("bundled", "flores"))
    langs = p["LANGUAGES"]
    check_subset(f"LANGUAGES (of the {source} data)", langs, data.available_languages(source))
    if len(set(langs)) < 2:
        raise ValueError("LANGUAGES needs at least two different languages")
    sizes = [p.get(name, 0) for name in ("N_STATS_SENTENCES", "N_EVAL_SENTENCES")]
    for name, value in zip(("N_STATS_SENTENCES", "N_EVAL_SENTENCES"), sizes):
        if name in p:
            check_int(name, value, 1)
    available = len(data.texts(source, langs[0]))
    if sum(sizes) > available:
        raise ValueError(f"N_STATS_SENTENCES + N_EVAL_SENTENCES = {sum(sizes)} is more than the {source} data has "
                         f"per language ({available})")
    if "STEER_SOURCE" in p:
        check_choice("STEER_SOURCE", p["STEER_SOURCE"], tuple(langs))
    if "STEER_TARGETS" in p:
        check_subset("STEER_TARGETS", p["STEER_TARGETS"], tuple(langs))


def _validate_pairs(p: dict[str, Any]) -> None:
    source = p.get("DATA_SOURCE", "bundled")
    allowed = data.available_languages(source)
    l1 = p.get("L1", "en")
    check_choice("L1", l1, allowed)
    l2s = p.get("L2_LANGUAGES", [])
    check_subset(f"L2_LANGUAGES (of the {source} data)", l2s, tuple(lang for lang in allowed if lang != l1))
    sizes = {"N_PAIRS": "derangement", "N_PAIRS_DISJOINT": "disjoint"}
    for name, design in sizes.items():
        if name not in p:
            continue
        check_int(name, p[name], 2)
        for l2 in l2s:
            most = data.max_pairs(source, l1, l2, design)
            if p[name] > most:
                raise ValueError(
                    f"{name}={p[name]} is more than the {source} data has for {l1}-{l2}: "
                    f"the {design} design allows at most {most}"
                )
    if "CV_FOLDS" in p and "N_PAIRS_DISJOINT" in p and p["CV_FOLDS"] > p["N_PAIRS_DISJOINT"]:
        raise ValueError(f"CV_FOLDS={p['CV_FOLDS']} needs at least that many pairs per class")
