"""Data quality at the door: the share of a language column's sentences that py3langid
identifies as another language, for the provenance table and a warning before any model loads.

What is counted. Each sentence of a column (a language of the bundled corpus, FLORES, one side
of a Tatoeba pair, a column of an own table) is identified among :data:`REFERENCE_LANGUAGES`
(the 16 languages of the book's sources) and the table's own languages that py3langid knows;
it counts as *other* when that language is not the column's. Over all of py3langid's languages
(140 in 0.4.0) close varieties take clean sentences from their neighbours: 5.9 % of FLORES
Chinese is "Wu Chinese", 5.0 % of FLORES Indonesian "Malay", 2.5 % of Tatoeba's Dutch
"Afrikaans", short English sentences "Nigerian Pidgin". Among the candidates the clean data stay
at or below 1.1 % (the bundled corpus 0 %, FLORES at most 0.1 %, Tatoeba 0.03-1.1 %). The price
of the restriction: a sentence in a language outside the candidates (Malay in an Indonesian
column) is counted as the nearest candidate, or as the column's own language, and a close
candidate (Spanish for Italian, German for Dutch) still takes a few short sentences.
A column whose code py3langid does not know is reported "not checked".

:data:`OTHER_LANGUAGE_WARN` (5 %) is a share of *all* the sentences of a column, short ones
included, so that a short planted line still counts: above it the column very likely holds
sentences of another language (untranslated lines, a shifted or swapped column). The noise it
sits above: identification errs on up to 1.1 % of a clean column, on 0.3 % or less of the
sentences of 20 characters or more, but on up to 4.9 % of those under 20 characters (Tatoeba's
one- and two-word commands and exclamations): a column of very short sentences only can come
near the threshold without any wrong line. Planted lines are found one for one (20 % English lines in FLORES French
read 20.0 %, 10 % read 10.0 %). On a table of 20 rows one stray line is 5 %, not above the
threshold; two are.

Results are cached per process on the content (sha256 of the file, or a hub dataset's
fingerprint) and column, not on a file's time: the provenance cell repeats the check of
``validate()`` for free.
"""

from __future__ import annotations

import copy
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

# above this share of a column's sentences identified as another language, a warning
OTHER_LANGUAGE_WARN = 0.05
FIELD = "other-language share"  # the provenance entry's field
# the languages of the book's sources (parallel.LANGUAGE_NAMES): the candidates of every check
REFERENCE_LANGUAGES = (
    "en", "ja", "nl", "ko", "it", "zh", "fr", "es", "de", "ru", "ar", "vi", "id", "th", "tr", "pt",
)  # fmt: skip
# ISO 639-3 (and FLORES) codes of the reference languages, for own columns named so
ISO_639_3 = {
    "eng": "en", "jpn": "ja", "nld": "nl", "kor": "ko", "ita": "it", "zho": "zh", "cmn": "zh",
    "fra": "fr", "spa": "es", "deu": "de", "rus": "ru", "ara": "ar", "arb": "ar", "vie": "vi",
    "ind": "id", "tha": "th", "tur": "tr", "por": "pt",
}  # fmt: skip


class DataQualityWarning(UserWarning):
    """A column of a chapter's data holds many sentences of another language."""


@dataclass(frozen=True)
class LanguageShare:
    """One column's check: ``checked`` sentences identified, ``other`` of them as another
    language than ``lang``, ``most_often`` the most common of those (``""`` when none);
    ``checked == 0``: not checked (py3langid does not know ``lang``)."""

    lang: str
    checked: int
    other: int = 0
    most_often: str = ""

    @property
    def share(self) -> float:
        return self.other / self.checked if self.checked else 0.0

    @property
    def above(self) -> bool:
        return self.checked > 0 and self.share > OTHER_LANGUAGE_WARN


@lru_cache(maxsize=1)
def _model():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


@lru_cache(maxsize=8)
def _identifier(candidates: tuple[str, ...]):
    """py3langid restricted to ``candidates`` (a copy of the one loaded model: the same
    decisions as :func:`neuron_utils.methods.langid.identify`, which this layer may not import)."""
    identifier = copy.copy(_model())
    identifier.set_languages(list(candidates))
    return identifier


@lru_cache(maxsize=1)
def known_languages() -> frozenset[str]:
    """The codes py3langid tells apart."""
    return frozenset(_model().nb_classes)


def langid_code(lang: str) -> str:
    """py3langid's code of a column's language (``pt-BR`` -> ``pt``, ``jpn`` -> ``ja``), or
    ``""`` where it does not know the language."""
    base = re.split(r"[-_]", lang.strip())[0].lower()
    code = base if base in known_languages() else ISO_639_3.get(base, "")
    return code if code in known_languages() else ""


def candidates_for(langs: Iterable[str]) -> tuple[str, ...]:
    """What a table's columns are identified among: the reference languages and the table's
    own languages that py3langid knows."""
    extra = {langid_code(lang) for lang in langs} - {""}
    return tuple(sorted(set(REFERENCE_LANGUAGES) | extra))


_CHECKED: dict[tuple[str, str, tuple[str, ...]], LanguageShare] = {}


def language_share(
    lang: str,
    digest: str,
    read: Callable[[], Sequence[str]],
    candidates: Sequence[str] = REFERENCE_LANGUAGES,
) -> LanguageShare:
    """The check of one column: ``read()`` gives its sentences (called only when the result
    is not cached), ``digest`` identifies them (the sha256 of the file, with the column where
    a file has several), ``candidates`` the languages they are identified among (the column's
    language is added). Cached per process on ``(digest, lang, candidates)``."""
    code = langid_code(lang)
    if not code:
        return LanguageShare(lang, 0)
    pool = tuple(sorted({*candidates, code}))
    key = (digest, lang, pool)
    if key not in _CHECKED:
        identifier = _identifier(pool)
        found = [identifier.classify(text)[0] for text in read() if text.strip()]
        others = Counter(code_ for code_ in found if code_ != code)
        most = others.most_common(1)[0][0] if others else ""
        _CHECKED[key] = LanguageShare(lang, len(found), sum(others.values()), most)
    return _CHECKED[key]


# --------------------------------------------------------------------------- report


def _percent(value: float) -> str:
    return f"{100 * value:.1f} %"


def _threshold() -> str:
    return f"{100 * OTHER_LANGUAGE_WARN:g} %"


def summary(shares: Sequence[LanguageShare], table: str = "") -> str:
    """The provenance field, one short line: ``en 0.0 %; fr 20.0 % (6 of 30, most often en,
    above the threshold); xx not checked (threshold 5 %)``; ``table`` names the files checked
    where a data set has several entries (a Tatoeba pair)."""
    parts = []
    for s in shares:
        if not s.checked:
            parts.append(f"{s.lang} not checked")
            continue
        detail = f"{s.other} of {s.checked}, most often {s.most_often}" if s.other else ""
        if s.above:
            detail += ", above the threshold"
        parts.append(f"{s.lang} {_percent(s.share)}" + (f" ({detail})" if detail else ""))
    prefix = f"{table}: " if table else ""
    return f"{prefix}{'; '.join(parts)} (threshold {_threshold()})"


_PART = re.compile(
    r"(?:^|; |: )(?P<lang>[^\s;:]+) \d+\.\d % \((?P<other>\d+) of (?P<checked>\d+), "
    r"most often (?P<most>[^\s,)]+)"
)


def language_warnings(entries: Sequence[Mapping[str, Any]]) -> list[str]:
    """One line for each language above :data:`OTHER_LANGUAGE_WARN` in the provenance entries
    of a chapter's data (``describe_data()``): the data set, the language, its share, the most
    common other language and the threshold. It reads the counts back from each entry's field
    as :func:`summary` writes it, so entries kept as JSON give the same lines."""
    messages = []
    for entry in entries:
        field = entry.get(FIELD)
        if not field:
            continue
        table = field.split(": ", 1)[0] if re.match(r"^[^\s;]+: ", field) else ""
        name = entry.get("dataset", "data") + (f", {table}" if table else "")
        for found in _PART.finditer(field):
            share = LanguageShare(
                found["lang"], int(found["checked"]), int(found["other"]), found["most"]
            )
            if share.above:
                messages.append(
                    f"{name}: {_percent(share.share)} of the {share.lang} sentences "
                    f"({share.other} of {share.checked}) are identified as another language "
                    f"(most often {share.most_often}), above the "
                    f"{_threshold()} threshold: check that column"
                )
    return messages
