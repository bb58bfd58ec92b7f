"""Data quality at the door: the share of each language column's sentences identified as another
language, in the provenance entries and as a warning of ``validate()`` above the threshold.

The tables are written here, with sentences written for this test (not taken from any corpus)."""

from __future__ import annotations

import csv
import os
import warnings
from pathlib import Path

import pytest

from neuron_utils import data
from neuron_utils.kit.provenance import provenance_table
from neuron_utils.chapters import ch01_cross_lingual_similarity as ch01
from neuron_utils.data import own, parallel, quality
from neuron_utils.data.quality import DataQualityWarning, LanguageShare

# 30 rows: an English sentence and its French translation
SENTENCES = [
    (
        "The baker opens his shop before the sun comes up.",
        "Le boulanger ouvre sa boutique avant le lever du soleil.",
    ),
    (
        "My neighbour waters her tomatoes every evening.",
        "Ma voisine arrose ses tomates tous les soirs.",
    ),
    (
        "We missed the last train and walked home in the rain.",
        "Nous avons raté le dernier train et sommes rentrés à pied sous la pluie.",
    ),
    (
        "The children built a castle of sand near the water.",
        "Les enfants ont construit un château de sable près de l'eau.",
    ),
    (
        "Could you lend me your umbrella until tomorrow?",
        "Pourrais-tu me prêter ton parapluie jusqu'à demain ?",
    ),
    (
        "The museum is closed on Mondays during the winter.",
        "Le musée est fermé le lundi pendant l'hiver.",
    ),
    (
        "Her grandfather repairs old clocks in his garage.",
        "Son grand-père répare de vieilles horloges dans son garage.",
    ),
    (
        "The soup needs a little more salt and some pepper.",
        "La soupe a besoin d'un peu plus de sel et de poivre.",
    ),
    (
        "They painted the kitchen a pale shade of green.",
        "Ils ont peint la cuisine d'un vert très pâle.",
    ),
    (
        "I forgot my keys at the office yesterday afternoon.",
        "J'ai oublié mes clés au bureau hier après-midi.",
    ),
    (
        "The library lends books, films and even board games.",
        "La bibliothèque prête des livres, des films et même des jeux de société.",
    ),
    (
        "A small dog was sleeping under the kitchen table.",
        "Un petit chien dormait sous la table de la cuisine.",
    ),
    (
        "The concert starts at eight, so we should leave soon.",
        "Le concert commence à huit heures, alors nous devrions partir bientôt.",
    ),
    (
        "My sister is learning to play the violin this year.",
        "Ma sœur apprend à jouer du violon cette année.",
    ),
    (
        "The farmer sells fresh eggs at the market on Saturdays.",
        "Le fermier vend des œufs frais au marché le samedi.",
    ),
    (
        "We need to buy new tyres before the long journey.",
        "Nous devons acheter des pneus neufs avant le long voyage.",
    ),
    (
        "The teacher asked the pupils to read the first chapter.",
        "L'institutrice a demandé aux élèves de lire le premier chapitre.",
    ),
    (
        "Snow covered the mountain roads for three whole days.",
        "La neige a recouvert les routes de montagne pendant trois jours entiers.",
    ),
    (
        "He always drinks his coffee without sugar or milk.",
        "Il boit toujours son café sans sucre ni lait.",
    ),
    (
        "The old bridge will be rebuilt next spring.",
        "Le vieux pont sera reconstruit au printemps prochain.",
    ),
    (
        "Please close the window, the wind is getting cold.",
        "Ferme la fenêtre, s'il te plaît, le vent devient froid.",
    ),
    (
        "The doctor told him to rest for at least a week.",
        "Le médecin lui a dit de se reposer pendant au moins une semaine.",
    ),
    (
        "Our team lost the match but played very well.",
        "Notre équipe a perdu le match mais a très bien joué.",
    ),
    (
        "The bakery on the corner sells the best croissants in town.",
        "La boulangerie du coin vend les meilleurs croissants de la ville.",
    ),
    (
        "She wrote a long letter to her friend in Canada.",
        "Elle a écrit une longue lettre à son amie au Canada.",
    ),
    (
        "The cat jumped onto the roof and refused to come down.",
        "Le chat a sauté sur le toit et a refusé de descendre.",
    ),
    (
        "We are planning a picnic by the lake on Sunday.",
        "Nous prévoyons un pique-nique au bord du lac dimanche.",
    ),
    (
        "The printer on the second floor is out of paper again.",
        "L'imprimante du deuxième étage n'a encore plus de papier.",
    ),
    (
        "My uncle grows apples, pears and plums in his orchard.",
        "Mon oncle cultive des pommes, des poires et des prunes dans son verger.",
    ),
    (
        "The film was so long that half of the audience fell asleep.",
        "Le film était si long que la moitié du public s'est endormie.",
    ),
]
# English lines planted in the French column: rows 3, 8, 13, 18, 23 and 28 (1-based), 6 of 30
PLANTED = {
    2: "The weather forecast promises sunshine for the whole weekend.",
    7: "Nobody remembered to feed the goldfish while we were away.",
    12: "The train to the coast leaves from platform four every hour.",
    17: "Our landlord finally agreed to fix the broken heating.",
    22: "I would rather stay at home and read a good novel tonight.",
    27: "The supermarket near the station is open until midnight.",
}
N_PLANTED, N_ROWS = len(PLANTED), len(SENTENCES)  # 6 of 30: 20.0 %


def write_tsv(path: Path, rows: list[dict[str, str]]) -> str:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, list(rows[0]), delimiter="\t")
        writer.writeheader()
        writer.writerows(rows)
    return str(path)


def clean_rows() -> list[dict[str, str]]:
    return [{"en": en, "fr": fr} for en, fr in SENTENCES]


def planted_rows() -> list[dict[str, str]]:
    return [{"en": en, "fr": PLANTED.get(i, fr)} for i, (en, fr) in enumerate(SENTENCES)]


def chapter_parameters(path: str) -> ch01.Parameters:
    """Chapter 1's parameters on an own en-fr table (not yet validated)."""
    return ch01.Parameters(DATA_SOURCE=path, L2_LANGUAGES=["fr"], N_PAIRS=10, CV_FOLDS=2)


def test_planted_english_lines_are_counted_exactly_and_warned(tmp_path):
    path = write_tsv(tmp_path / "planted.tsv", planted_rows())
    ((table, (en, fr)),) = parallel.language_shares(path, ["en", "fr"])
    assert table == ""
    assert en == LanguageShare("en", N_ROWS, 0, "")
    assert fr == LanguageShare("fr", N_ROWS, N_PLANTED, "en")  # every planted line, no other
    assert fr.share == pytest.approx(0.2) and fr.above and not en.above

    (entry,) = data.describe_source(path, ["en", "fr"])
    assert entry[quality.FIELD] == (
        "en 0.0 %; fr 20.0 % (6 of 30, most often en, above the threshold) (threshold 5 %)"
    )
    (message,) = quality.language_warnings([entry])
    assert message == (
        "own file planted.tsv (read with datasets' csv builder): 20.0 % of the fr sentences "
        "(6 of 30) are identified as another language (most often en), above the 5 % "
        "threshold: check that column"
    )
    with pytest.warns(DataQualityWarning) as caught:
        chapter_parameters(path).validate()
    assert [str(w.message) for w in caught if w.category is DataQualityWarning] == [message]


def test_a_clean_table_gives_no_warning(tmp_path):
    path = write_tsv(tmp_path / "clean.tsv", clean_rows())
    (entry,) = data.describe_source(path, ["en", "fr"])
    assert entry[quality.FIELD] == "en 0.0 %; fr 0.0 % (threshold 5 %)"
    assert quality.language_warnings([entry]) == []
    with warnings.catch_warnings():
        warnings.simplefilter("error", DataQualityWarning)
        chapter_parameters(path).validate()


def test_a_language_py3langid_does_not_know_is_not_checked(tmp_path):
    assert "haw" not in quality.known_languages()
    # a Hawaiian column (the code is what matters: its sentences are not identified)
    rows = [{**row, "haw": f"Aloha, helu {i + 1}"} for i, row in enumerate(clean_rows())]
    path = write_tsv(tmp_path / "three.tsv", rows)
    ((_, shares),) = parallel.language_shares(path, ["en", "haw", "fr"])
    assert shares[1] == LanguageShare("haw", 0) and not shares[1].above
    (entry,) = data.describe_source(path, ["en", "haw", "fr"])
    assert entry[quality.FIELD] == "en 0.0 %; haw not checked; fr 0.0 % (threshold 5 %)"
    assert quality.language_warnings([entry]) == []


def test_the_provenance_table_shows_the_field(tmp_path):
    path = write_tsv(tmp_path / "planted.tsv", planted_rows())
    entries = chapter_parameters(path).describe_data()
    assert quality.FIELD in entries[0]
    table = provenance_table({}, entries, {})["value"]
    assert table["data other-language share"] == entries[0][quality.FIELD]
    # a built-in source carries it too
    (bundled,) = data.describe_source("bundled", ["en", "ja"])
    assert bundled[quality.FIELD] == "en 0.0 %; ja 0.0 % (threshold 5 %)"


def test_a_mapped_column_and_a_three_letter_code(tmp_path):
    rows = [{"english": en, "fra": PLANTED.get(i, fr)} for i, (en, fr) in enumerate(SENTENCES)]
    path = write_tsv(tmp_path / "named.tsv", rows)
    ((_, shares),) = parallel.language_shares(path, ["en", "fra"], {"en": "english"})
    assert [(s.lang, s.checked, s.other, s.most_often) for s in shares] == [
        ("en", 30, 0, ""),
        ("fra", 30, 6, "en"),
    ]
    # every language of the book's sources is a candidate, and py3langid knows it
    assert quality.REFERENCE_LANGUAGES == tuple(data.LANGUAGE_NAMES)
    assert set(quality.REFERENCE_LANGUAGES) <= quality.known_languages()
    assert [quality.langid_code(c) for c in ("pt-BR", "zh_Hant", "jpn", "haw")] == [
        "pt",
        "zh",
        "ja",
        "",
    ]


def test_the_threshold_is_exact_and_one_stray_line_in_twenty_is_not_above():
    one, two = LanguageShare("fr", 20, 1, "en"), LanguageShare("fr", 20, 2, "en")
    assert quality.OTHER_LANGUAGE_WARN == 0.05
    assert not one.above and two.above
    entries = [{"dataset": "a table", quality.FIELD: quality.summary([one, two])}]
    (message,) = quality.language_warnings(entries)
    assert message.startswith("a table: 10.0 % of the fr sentences (2 of 20)")
    # a Tatoeba entry names its pair
    entries = [{"dataset": "Tatoeba", quality.FIELD: quality.summary([two], "eng-fra")}]
    assert quality.language_warnings(entries)[0].startswith("Tatoeba, eng-fra: 10.0 %")


def test_results_are_cached_on_the_content_not_the_file_time(tmp_path, monkeypatch):
    monkeypatch.setattr(quality, "_CHECKED", {})  # other tests checked the same content
    path = tmp_path / "cached.tsv"
    write_tsv(path, clean_rows())
    calls = []
    read = own.texts
    monkeypatch.setattr(own, "texts", lambda *args: calls.append(args) or read(*args))
    first = own.language_shares(str(path), {"en": "en", "fr": "fr"})
    assert len(calls) == 2
    write_tsv(path, clean_rows())  # the same content again: a new file time
    os.utime(path, (1, 1))
    assert own.language_shares(str(path), {"en": "en", "fr": "fr"}) == first
    assert len(calls) == 2  # read from the cache
    write_tsv(path, planted_rows())  # changed content: checked again
    assert own.language_shares(str(path), {"en": "en", "fr": "fr"})[1].other == N_PLANTED
    assert len(calls) == 4


def test_the_decisions_are_those_of_the_methods_wrapper():
    """quality.py (data layer) holds its own restricted py3langid: the same decisions as
    :func:`neuron_utils.methods.langid.identify` among the same languages."""
    from neuron_utils.methods.langid import identify

    texts = [s for pair in SENTENCES[:10] for s in pair] + list(PLANTED.values())
    pool = quality.candidates_for(["en", "fr"])
    assert [quality._identifier(pool).classify(t)[0] for t in texts] == identify(texts, pool)


def test_the_real_data_are_below_the_threshold(mirror):
    """The bundled corpus, FLORES devtest (every language) and one Tatoeba pair (both sides)
    are clean: none above the threshold, FLORES and the bundled corpus at most 0.5 %."""
    checked = [
        *parallel.language_shares("bundled", list(data.BUNDLED_LANGUAGES)),
        *parallel.language_shares("flores", list(parallel.FLORES_CODES)),
    ]
    shares = [s for _, group in checked for s in group]
    assert len(shares) == 8 + 16 and all(s.checked for s in shares)
    assert max(s.share for s in shares) <= 0.005
    ((table, tatoeba),) = parallel.language_shares("tatoeba", ["en", "ko"])
    assert table == "eng-kor" and [s.lang for s in tatoeba] == ["en", "ko"]
    assert not any(s.above for s in tatoeba)
