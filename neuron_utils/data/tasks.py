"""Multilingual choice tasks: the same items in several languages, each answered by log-prob.

- **translation** (offline, from a multi-parallel corpus): a sentence in language L and
  ``choices`` sentences in the target language, one its translation and the others
  translations of other items; the answer is the choice the model finds likeliest after
  ``"<L name>: <sentence>\\n<target name>:"``.
- **xcopa** (Ponti et al. 2020, the same 500 test items in 11 languages): premise + the
  language's "because"/"therefore" connector, two choices, scored as evaluation harnesses do
  (the premise's final period dropped, the choice's first letter lowered, one space between).

A :class:`ChoiceTask` holds ``prompts [items, languages]`` and ``choices [items, languages,
k]``; the correct choice has the same index in every language of an item.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from .downloads import dataset_provenance, fetch, read_jsonl
from .parallel import LANGUAGE_NAMES, available_languages, texts

TASKS = ("translation", "xcopa")
XCOPA_LANGUAGES = ("et", "ht", "id", "it", "qu", "sw", "ta", "th", "tr", "vi", "zh")
XCOPA_ITEMS = 500
# the connector that joins premise and choice, per language and question (the harnesses' words)
XCOPA_CONNECTORS = {
    "et": ("sest", "seetõttu"),
    "ht": ("poukisa", "donk sa"),
    "id": ("karena", "maka"),
    "it": ("perché", "quindi"),
    "qu": ("imataq", "chaymi"),
    "sw": ("kwa sababu", "kwa hiyo"),
    "ta": ("காரணமாக", "எனவே"),
    "th": ("เพราะ", "ดังนั้น"),
    "tr": ("çünkü", "bu yüzden"),
    "vi": ("bởi vì", "vì vậy"),
    "zh": ("因为", "所以"),
}


@dataclass(frozen=True)
class ChoiceTask:
    """One multiple-choice task over the same items in several languages."""

    name: str
    languages: tuple[str, ...]
    prompts: np.ndarray  # [items, languages] str
    choices: np.ndarray  # [items, languages, k] str (each begins with its separating space)
    answer: np.ndarray  # [items] index of the correct choice
    item_ids: np.ndarray  # [items] the items' ids in their source

    @property
    def n_items(self) -> int:
        return len(self.answer)

    @property
    def n_choices(self) -> int:
        return self.choices.shape[2]

    @property
    def chance(self) -> float:
        return 1 / self.n_choices

    def flat(self) -> tuple[list[str], list[str]]:
        """Every (prompt, choice) as two lists, items then languages then choices."""
        k = self.n_choices
        prompts = np.repeat(self.prompts[..., None], k, axis=2)
        return prompts.ravel().tolist(), self.choices.ravel().tolist()


def xcopa_files(langs: list[str]) -> list[str]:
    return [f"data/{lang}/test.{lang}.jsonl" for lang in langs]


def check_xcopa_languages(langs: list[str]) -> None:
    bad = [lang for lang in langs if lang not in XCOPA_LANGUAGES]
    if bad:
        raise ValueError(f"language(s) {bad} not in XCOPA; allowed: {', '.join(XCOPA_LANGUAGES)}")


def xcopa_rows(lang: str) -> list[dict]:
    """The 500 XCOPA test items of ``lang`` (fetched per the manifest), in ``idx`` order."""
    check_xcopa_languages([lang])
    rows = read_jsonl(fetch("xcopa", xcopa_files([lang])[0]))
    return sorted(rows, key=lambda row: row["idx"])


def xcopa_prompt(row: dict, lang: str) -> tuple[str, list[str]]:
    """The harnesses' rendering of one item: prompt and the two continuations."""
    cause, effect = XCOPA_CONNECTORS[lang]
    connector = cause if row["question"] == "cause" else effect
    premise = row["premise"].strip()
    prompt = f"{premise[:-1] if premise[-1:] in '.。' else premise} {connector}"
    choices = [" " + c[:1].lower() + c[1:] for c in (row["choice1"], row["choice2"])]
    return prompt, choices


def xcopa_task(langs: list[str], n_items: int, seed: int = 0) -> ChoiceTask:
    """``n_items`` XCOPA test items (a seeded sample, kept in ``idx`` order) in ``langs``."""
    check_xcopa_languages(langs)
    by_lang = {lang: xcopa_rows(lang) for lang in langs}
    total = min(len(rows) for rows in by_lang.values())
    if not 1 <= n_items <= total:
        raise ValueError(f"n_items={n_items} must be in 1..{total} (XCOPA test items)")
    picked = np.sort(np.random.default_rng(seed).choice(total, n_items, replace=False))
    prompts = np.empty((n_items, len(langs)), dtype=object)
    choices = np.empty((n_items, len(langs), 2), dtype=object)
    answer = np.empty(n_items, dtype=np.int64)
    for j, lang in enumerate(langs):
        for i, k in enumerate(picked):
            row = by_lang[lang][k]
            prompts[i, j], choices[i, j] = xcopa_prompt(row, lang)
            if j == 0:
                answer[i] = row["label"]
            elif row["label"] != answer[i]:
                raise ValueError(f"XCOPA item {row['idx']} has different labels across languages")
    return ChoiceTask("xcopa", tuple(langs), prompts, choices, answer, picked)


def translation_prompt(sentence: str, lang: str, target: str) -> str:
    # an own table may hold languages the book has no name for: their code stands in
    return f"{LANGUAGE_NAMES.get(lang, lang)}: {sentence}\n{LANGUAGE_NAMES.get(target, target)}:"


def translation_task(
    source: str,
    langs: list[str],
    target: str,
    n_items: int,
    choices: int,
    seed: int = 0,
    columns: Mapping[str, str] | None = None,
) -> ChoiceTask:
    """Translation choice from a multi-parallel ``source`` (bundled, flores, own table): ``n_items``
    sentences (a seeded sample), each in every language of ``langs``, with ``choices``
    candidates in ``target`` (its translation and translations of other sampled sentences,
    the same candidates in every language; the answer's position is drawn per item)."""
    if target in langs:
        raise ValueError(f"the target language {target!r} cannot also be an input language")
    allowed = available_languages(source, columns)
    bad = [lang for lang in [*langs, target] if lang not in allowed]
    if bad:
        raise ValueError(
            f"language(s) {bad} not in the {source} data; allowed: {', '.join(allowed)}"
        )
    by_lang = {lang: texts(source, lang, columns) for lang in [*langs, target]}
    total = len(by_lang[target])
    if not 2 <= choices <= n_items <= total:
        raise ValueError(
            f"need 2 <= choices ({choices}) <= n_items ({n_items}) <= {total} sentences"
        )
    rng = np.random.default_rng(seed)
    picked = np.sort(rng.choice(total, n_items, replace=False))
    prompts = np.empty((n_items, len(langs)), dtype=object)
    options = np.empty((n_items, len(langs), choices), dtype=object)
    answer = rng.integers(0, choices, n_items)
    for i, k in enumerate(picked):
        others = rng.choice(np.delete(picked, i), choices - 1, replace=False)
        candidates = np.insert(others, answer[i], k)
        for j, lang in enumerate(langs):
            prompts[i, j] = translation_prompt(by_lang[lang][k], lang, target)
            options[i, j] = [" " + by_lang[target][c] for c in candidates]
    return ChoiceTask("translation", tuple(langs), prompts, options, answer, picked)


def task_files(task: str, langs: list[str]) -> list[tuple[str, str]]:
    """Manifest files (data set, path) a task reads beyond its parallel source."""
    return [("xcopa", path) for path in xcopa_files(langs)] if task == "xcopa" else []


def describe_task(task: str, langs: list[str]) -> list[dict]:
    return [dataset_provenance("xcopa", xcopa_files(langs))] if task == "xcopa" else []
