"""A reader's own data, as the tests write it: parallel sentences in English, French and German,
and agreement minimal pairs in each (sentences written for these tests from small templates)."""

from __future__ import annotations

import csv
import itertools
from pathlib import Path

# (English, French, German) pieces of "<subject> <verb> <place>."
SUBJECTS = [
    ("The cat", "Le chat", "Die Katze"),
    ("My brother", "Mon frère", "Mein Bruder"),
    ("The teacher", "Le professeur", "Der Lehrer"),
    ("Our neighbour", "Notre voisin", "Unser Nachbar"),
    ("The child", "L'enfant", "Das Kind"),
]
VERBS = [
    ("sleeps", "dort", "schläft"),
    ("reads", "lit", "liest"),
    ("waits", "attend", "wartet"),
    ("sings", "chante", "singt"),
]
PLACES = [
    ("in the kitchen", "dans la cuisine", "in der Küche"),
    ("at the station", "à la gare", "am Bahnhof"),
]
LANGS = ("en", "fr", "de")


def parallel_rows() -> list[dict[str, str]]:
    """40 parallel sentences, one column per language."""
    return [
        {lang: f"{s[k]} {v[k]} {p[k]}." for k, lang in enumerate(LANGS)}
        for s, v, p in itertools.product(SUBJECTS, VERBS, PLACES)
    ]


def write_parallel(path: Path, langs: tuple[str, ...] = LANGS) -> Path:
    """A TSV of :func:`parallel_rows` with the columns ``langs``."""
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(langs), delimiter="\t", extrasaction="ignore")
        writer.writeheader()
        writer.writerows(parallel_rows())
    return path


# subject-verb agreement: (singular subject, plural subject), (singular verb, plural verb)
AGREEMENT = {
    "en": (
        [("The dog", "The dogs"), ("My sister", "My sisters"), ("The pupil", "The pupils"),
         ("That farmer", "Those farmers"), ("The driver", "The drivers")],
        [("waits", "wait"), ("laughs", "laugh"), ("works", "work"), ("sleeps", "sleep"),
         ("sings", "sing")],
    ),
    "fr": (
        [("Le chien", "Les chiens"), ("Ma sœur", "Mes sœurs"), ("L'élève", "Les élèves"),
         ("Ce fermier", "Ces fermiers"), ("Le chauffeur", "Les chauffeurs")],
        [("attend", "attendent"), ("rit", "rient"), ("travaille", "travaillent"),
         ("dort", "dorment"), ("chante", "chantent")],
    ),
    "de": (
        [("Der Hund", "Die Hunde"), ("Meine Schwester", "Meine Schwestern"),
         ("Der Schüler", "Die Schüler"), ("Dieser Bauer", "Diese Bauern"),
         ("Der Fahrer", "Die Fahrer")],
        [("wartet", "warten"), ("lacht", "lachen"), ("arbeitet", "arbeiten"),
         ("schläft", "schlafen"), ("singt", "singen")],
    ),
}  # fmt: skip
# a time phrase, so that the second paradigm's sentences differ from the first's
LATER = {"en": "today", "fr": "aujourd'hui", "de": "heute"}


def agreement_rows(lang: str) -> list[dict[str, str]]:
    """Two paradigms of 25 pairs: a singular subject with a singular / plural verb
    (``<lang>_singular``) and a plural subject with a plural / singular verb
    (``<lang>_plural``)."""
    subjects, verbs = AGREEMENT[lang]
    rows = []
    for (sg, pl), (v_sg, v_pl) in itertools.product(subjects, verbs):
        rows.append(
            {"paradigm": f"{lang}_singular", "good": f"{sg} {v_sg}.", "bad": f"{sg} {v_pl}."}
        )
        later = LATER[lang]
        rows.append(
            {
                "paradigm": f"{lang}_plural",
                "good": f"{pl} {v_pl} {later}.",
                "bad": f"{pl} {v_sg} {later}.",
            }
        )
    return [{**row, "language": lang} for row in rows]


def write_pairs(path: Path, langs: tuple[str, ...], language_column: bool = True) -> Path:
    """A TSV of the agreement pairs of ``langs`` (with their ``language`` column, or without)."""
    fields = ["paradigm", "good", "bad"] + (["language"] if language_column else [])
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=fields, delimiter="\t", extrasaction="ignore")
        writer.writeheader()
        for lang in langs:
            writer.writerows(agreement_rows(lang))
    return path
