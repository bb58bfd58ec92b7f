"""The book's own minimal-pair generator.

BLiMP was generated from templates and a lexicon; this module does the same on a small
scale so that chapter 4 runs offline: 14 English and 5 Japanese paradigms, each a template
whose good and bad sentence differ in exactly one word (English) or one morpheme
(Japanese). Lexicon and templates were written for this book (data card:
``data/bundled/minimal_pairs.md``). Generation is seeded and deterministic; within a
paradigm no good and no bad sentence occurs twice, so a train/test split by pair never puts
the same sentence on both sides.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from .pairset import MinimalPairSet


# --------------------------------------------------------------------------- lexicon

Pick = Callable[[Sequence], object]

FEMALE = (
    "Anna",
    "Maria",
    "Sarah",
    "Emma",
    "Laura",
    "Julia",
    "Nina",
    "Clara",
    "Rosa",
    "Helen",
    "Alice",
    "Grace",
)
MALE = (
    "Tom",
    "David",
    "Peter",
    "James",
    "Mark",
    "Paul",
    "Daniel",
    "Ben",
    "Oscar",
    "Henry",
    "Victor",
    "Leo",
)
NAMES = FEMALE + MALE
PEOPLE = (
    ("teacher", "teachers"),
    ("doctor", "doctors"),
    ("student", "students"),
    ("driver", "drivers"),
    ("farmer", "farmers"),
    ("nurse", "nurses"),
    ("singer", "singers"),
    ("lawyer", "lawyers"),
    ("child", "children"),
    ("woman", "women"),
    ("man", "men"),
    ("neighbor", "neighbors"),
    ("pilot", "pilots"),
    ("painter", "painters"),
)
THINGS = (
    ("chair", "chairs"),
    ("book", "books"),
    ("car", "cars"),
    ("window", "windows"),
    ("lamp", "lamps"),
    ("box", "boxes"),
    ("cup", "cups"),
    ("door", "doors"),
    ("bike", "bikes"),
    ("table", "tables"),
    ("picture", "pictures"),
    ("glass", "glasses"),
    ("key", "keys"),
    ("shirt", "shirts"),
    ("bottle", "bottles"),
    ("knife", "knives"),
    ("dish", "dishes"),
    ("photo", "photos"),
)
ING_VERBS = (
    "cleaning",
    "moving",
    "painting",
    "fixing",
    "selling",
    "buying",
    "carrying",
    "washing",
    "checking",
    "hiding",
)
ADJECTIVES = ("old", "new", "red", "small", "heavy", "broken", "cheap", "blue")
STATE_ADJECTIVES = ("tired", "happy", "late", "busy", "angry", "friendly", "nervous", "hungry")
THING_STATES = ("old", "broken", "clean", "dirty", "new", "expensive", "heavy", "empty")
PREPOSITIONS = ("near", "behind", "under", "beside", "above")
PERSON_VERBS = ("met", "saw", "helped", "called", "visited", "thanked", "followed", "interviewed")
REFLEXIVE_VERBS = (
    "hurt",
    "blamed",
    "praised",
    "saw",
    "introduced",
    "described",
    "helped",
    "trusted",
    "photographed",
    "questioned",
)
TIMES = ("yesterday", "last week", "again", "on Monday", "this morning", "at work")
# (simple past, past participle, objects)
IRREGULAR = (
    ("broke", "broken", ("window", "cup", "vase", "lamp")),
    ("wrote", "written", ("letter", "report", "song", "poem")),
    ("took", "taken", ("bus", "train", "medicine", "money")),
    ("ate", "eaten", ("cake", "soup", "apple", "bread")),
    ("drove", "driven", ("car", "truck", "bus", "van")),
    ("stole", "stolen", ("money", "bike", "car", "wallet")),
    ("forgot", "forgotten", ("key", "password", "answer", "umbrella")),
    ("chose", "chosen", ("color", "winner", "dress", "book")),
    ("hid", "hidden", ("key", "money", "letter", "box")),
    ("drew", "drawn", ("map", "picture", "line", "plan")),
    ("threw", "thrown", ("ball", "stone", "bag", "key")),
    ("wore", "worn", ("coat", "dress", "hat", "ring")),
    ("tore", "torn", ("page", "shirt", "map", "letter")),
    ("sang", "sung", ("song", "anthem", "hymn", "chorus")),
    ("drank", "drunk", ("coffee", "tea", "water", "milk")),
    ("froze", "frozen", ("soup", "bread", "meat", "fish")),
    ("shook", "shaken", ("bottle", "box", "tree", "rug")),
    ("began", "begun", ("lesson", "meeting", "race", "game")),
    ("saw", "seen", ("film", "sea", "doctor", "castle")),
)
EXPERIENCES = (
    "visited Rome",
    "seen a whale",
    "won a prize",
    "climbed that hill",
    "met the mayor",
    "read this book",
    "cooked a meal here",
    "lost a game",
    "failed the test",
    "called the police",
    "broken a record",
    "sailed a boat",
    "driven a truck",
    "eaten this fruit",
    "played chess here",
    "forgotten a name",
    "sung in public",
    "written a novel",
    "owned a horse",
    "ridden a camel",
)
TRANSITIVE = (
    "fixed",
    "opened",
    "bought",
    "cleaned",
    "found",
    "sold",
    "moved",
    "carried",
    "painted",
    "washed",
)
# Verbs with no transitive use (not "fell", "waited", "departed": "fell a tree", "wait tables"), and verbs with
# no intransitive use (not "painted", "cleaned", "wrote": "Ben painted." is fine), so that every bad sentence is bad.
INTRANSITIVE = (
    "arrived",
    "slept",
    "laughed",
    "smiled",
    "cried",
    "yawned",
    "sneezed",
    "vanished",
    "giggled",
    "frowned",
    "shivered",
)
STRICT_TRANSITIVE = (
    "fixed",
    "bought",
    "found",
    "borrowed",
    "repaired",
    "mentioned",
    "described",
    "needed",
    "received",
    "brought",
)
PASSIVE_VERBS = (
    "praised",
    "helped",
    "called",
    "followed",
    "interviewed",
    "thanked",
    "invited",
    "blamed",
    "hired",
    "visited",
)
PLACES = (
    "on the table",
    "in the kitchen",
    "near the door",
    "under the bed",
    "in the garden",
    "behind the house",
    "in the hall",
    "on the shelf",
    "by the window",
    "in the garage",
)
KNOW_VERBS = ("knows", "forgot", "remembers", "noticed", "learned")
GAP_OBJECTS = (
    "the car",
    "the vase",
    "the letter",
    "the bike",
    "the window",
    "the lamp",
    "the old map",
    "the box",
)


def _other(pick: Pick, options: Sequence, not_this: object) -> object:
    return pick([o for o in options if o != not_this])


def _det_noun(pick: Pick, adjective: bool = False) -> tuple[list, list]:
    det = pick(("this", "that", "these", "those"))
    noun = pick(THINGS)
    plural = det in ("these", "those")
    head = [pick(NAMES), pick(("is", "was")), pick(ING_VERBS), det] + (
        [pick(ADJECTIVES)] if adjective else []
    )
    return head + [noun[plural]], head + [noun[not plural]]


def _det_adj_noun(pick: Pick) -> tuple[list, list]:
    return _det_noun(pick, adjective=True)


def _agreement_relative_clause(pick: Pick) -> tuple[list, list]:
    plural = pick((0, 1))
    subject = pick(PEOPLE)
    attractor = _other(pick, PEOPLE, subject)
    head = ["The", subject[plural], "that", "the", attractor[1 - plural], pick(PERSON_VERBS)]
    tail = [pick(STATE_ADJECTIVES)]
    good, bad = ("were", "was") if plural else ("was", "were")
    return head + [good] + tail, head + [bad] + tail


def _agreement_prepositional_phrase(pick: Pick) -> tuple[list, list]:
    plural = pick((0, 1))
    subject = pick(THINGS)
    attractor = _other(pick, THINGS, subject)
    head = ["The", subject[plural], pick(PREPOSITIONS), "the", attractor[1 - plural]]
    good, bad = ("are", "is") if plural else ("is", "are")
    tail = [pick(THING_STATES)]
    return head + [good] + tail, head + [bad] + tail


def _anaphor_gender(pick: Pick) -> tuple[list, list]:
    female = pick((0, 1))
    head = [pick(FEMALE if female else MALE), pick(REFLEXIVE_VERBS)]
    good, bad = ("herself", "himself") if female else ("himself", "herself")
    tail = [pick(TIMES)]
    return head + [good] + tail, head + [bad] + tail


def _anaphor_number(pick: Pick) -> tuple[list, list]:
    if pick((0, 1)):  # plural subject: themselves / *herself
        head = ["The", pick(PEOPLE)[1], pick(REFLEXIVE_VERBS)]
        good, bad = "themselves", pick(("himself", "herself"))
    else:  # a named person: herself / *themselves
        female = pick((0, 1))
        head = [pick(FEMALE if female else MALE), pick(REFLEXIVE_VERBS)]
        good, bad = ("herself" if female else "himself"), "themselves"
    tail = [pick(TIMES)]
    return head + [good] + tail, head + [bad] + tail


def _irregular_participle(pick: Pick) -> tuple[list, list]:
    past, participle, objects = pick(IRREGULAR)
    head = [pick(NAMES), pick(("has", "had"))]
    tail = ["the", pick(objects)]
    return head + [participle] + tail, head + [past] + tail


def _npi_ever(pick: Pick) -> tuple[list, list]:
    plural = pick((0, 1))
    tail = [
        pick(PEOPLE)[plural],
        pick(("have", "had") if plural else ("has", "had")),
        "ever",
        pick(EXPERIENCES),
    ]
    bad = pick(("The", "Some") if plural else ("The", "Every", "Some"))
    return ["No"] + tail, [bad] + tail


def _transitive(pick: Pick) -> tuple[list, list]:
    head = ["The", pick(PEOPLE)[pick((0, 1))]]
    tail = ["the", pick(THINGS)[pick((0, 1))]]
    return head + [pick(TRANSITIVE)] + tail, head + [pick(INTRANSITIVE)] + tail


def _intransitive(pick: Pick) -> tuple[list, list]:
    head = ["The", pick(PEOPLE)[pick((0, 1))]]
    tail = [pick(TIMES)]
    return head + [pick(INTRANSITIVE)] + tail, head + [pick(STRICT_TRANSITIVE)] + tail


def _passive(pick: Pick) -> tuple[list, list]:
    head = [pick(NAMES), "was"]
    tail = ["by", "the", pick(PEOPLE)[pick((0, 1))]]
    return head + [pick(PASSIVE_VERBS)] + tail, head + [pick(INTRANSITIVE)] + tail


def _existential_there(pick: Pick) -> tuple[list, list]:
    plural = pick((0, 1))
    if plural:
        head = ["There", pick(("are", "were"))]
        good, bad = pick(("many", "some", "several", "few", "no")), pick(("all", "most"))
    else:
        head = ["There", pick(("is", "was"))]
        good, bad = pick(("a", "no")), pick(("every", "each"))
    tail = [pick(THINGS)[plural], pick(PLACES)]
    return head + [good] + tail, head + [bad] + tail


def _wh_gap(pick: Pick) -> tuple[list, list]:
    subject = pick(NAMES)
    head = [subject, pick(KNOW_VERBS)]
    tail = [_other(pick, NAMES, subject), pick(STRICT_TRANSITIVE)]
    return head + ["what"] + tail, head + ["that"] + tail


def _wh_no_gap(pick: Pick) -> tuple[list, list]:
    subject = pick(NAMES)
    head = [subject, pick(KNOW_VERBS)]
    tail = [_other(pick, NAMES, subject), pick(STRICT_TRANSITIVE), pick(GAP_OBJECTS)]
    return head + ["that"] + tail, head + ["what"] + tail


JA_NAMES = (
    "太郎",
    "花子",
    "健太",
    "美咲",
    "翔太",
    "由美",
    "大輔",
    "直子",
    "拓也",
    "恵子",
    "誠",
    "明美",
    "陽子",
    "健二",
)
JA_TIMES = ("昨日", "今朝", "先週", "土曜日に", "去年", "先月")
JA_DATIVE_VERBS = (
    "会った",
    "電話した",
    "話しかけた",
    "反対した",
    "勝った",
    "負けた",
    "謝った",
    "挨拶した",
    "質問した",
    "連絡した",
    "相談した",
)
# (object, past, negative past)
JA_OBJECT_VERBS = (
    ("本", "読んだ", "読まなかった"),
    ("手紙", "書いた", "書かなかった"),
    ("パン", "食べた", "食べなかった"),
    ("水", "飲んだ", "飲まなかった"),
    ("車", "洗った", "洗わなかった"),
    ("部屋", "掃除した", "掃除しなかった"),
    ("窓", "開けた", "開けなかった"),
    ("鍵", "なくした", "なくさなかった"),
    ("映画", "見た", "見なかった"),
    ("宿題", "終えた", "終えなかった"),
    ("皿", "割った", "割らなかった"),
    ("ドア", "閉めた", "閉めなかった"),
    ("ケーキ", "食べた", "食べなかった"),
    ("牛乳", "飲んだ", "飲まなかった"),
    ("ピアノ", "弾いた", "弾かなかった"),
    ("歯", "磨いた", "磨かなかった"),
)
# (noun, classifier, verb)
JA_COUNTED = (
    ("雑誌", "冊", "買った"),
    ("ノート", "冊", "買った"),
    ("辞書", "冊", "買った"),
    ("漫画", "冊", "読んだ"),
    ("車", "台", "買った"),
    ("自転車", "台", "買った"),
    ("パソコン", "台", "買った"),
    ("切手", "枚", "買った"),
    ("シャツ", "枚", "買った"),
    ("皿", "枚", "洗った"),
    ("鉛筆", "本", "買った"),
    ("傘", "本", "買った"),
    ("ペン", "本", "買った"),
    ("猫", "匹", "見た"),
    ("犬", "匹", "見た"),
    ("魚", "匹", "釣った"),
    ("学生", "人", "見た"),
    ("子供", "人", "見た"),
)
JA_CLASSIFIERS = ("冊", "台", "枚", "本", "匹", "人")
JA_NUMBERS = ("二", "三", "四", "五")
# noun -> i-adjective stems (the adjective is stem + い; its past is stem + かった)
JA_ADJECTIVES = {
    "試験": ("難し", "易し", "長", "短"),
    "映画": ("面白", "長", "短", "怖"),
    "料理": ("美味し", "辛", "甘", "高"),
    "部屋": ("広", "狭", "暑", "寒"),
    "旅行": ("楽し", "長", "短", "高"),
    "授業": ("難し", "面白", "長", "楽し"),
    "会議": ("長", "短", "早", "遅"),
    "電車": ("速", "遅", "暑", "寒"),
    "天気": ("暑", "寒"),
    "スープ": ("熱", "辛", "甘", "美味し"),
    "店": ("安", "高", "広", "狭"),
    "道": ("広", "狭", "暗", "長"),
}
JA_PERIODS = ("昨日", "先週", "去年", "今朝", "先月", "土曜日")
JA_DEGREES = ("とても", "少し", "かなり", "本当に", "思ったより")


def _ja_dative(pick: Pick) -> tuple[list, list]:
    subject = pick(JA_NAMES)
    head = [subject, "が", pick(JA_TIMES), _other(pick, JA_NAMES, subject)]
    tail = [pick(JA_DATIVE_VERBS)]
    return head + ["に"] + tail, head + ["を"] + tail


def _ja_accusative(pick: Pick) -> tuple[list, list]:
    obj, past, _ = pick(JA_OBJECT_VERBS)
    head = [pick(JA_NAMES), "が", pick(JA_TIMES), obj]
    return head + ["を", past], head + ["に", past]


def _ja_classifier(pick: Pick) -> tuple[list, list]:
    noun, classifier, verb = pick(JA_COUNTED)
    head = [pick(JA_PERIODS), "、", pick(JA_NAMES), "は", noun, "を", pick(JA_NUMBERS)]
    return head + [classifier, verb], head + [_other(pick, JA_CLASSIFIERS, classifier), verb]


def _ja_shika(pick: Pick) -> tuple[list, list]:
    obj, past, negative = pick(JA_OBJECT_VERBS)
    head = [pick(JA_PERIODS), "、", pick(JA_NAMES), "しか", obj, "を"]
    return head + [negative], head + [past]


def _ja_adjective_past(pick: Pick) -> tuple[list, list]:
    noun = pick(tuple(JA_ADJECTIVES))
    head = [pick(JA_PERIODS), "の", noun, "は", pick(JA_DEGREES), pick(JA_ADJECTIVES[noun])]
    return head + ["かった"], head + ["いだった"]


@dataclass(frozen=True)
class Paradigm:
    """A template: ``build(pick)`` returns good and bad word lists that differ in one position."""

    name: str
    language: str
    phenomenon: str
    example: str
    build: Callable[[Pick], tuple[list, list]]


PARADIGMS: dict[str, Paradigm] = {
    p.name: p
    for p in (
        Paradigm(
            "determiner_noun_agreement",
            "en",
            "agreement",
            "Anna is fixing these chairs / *these chair",
            _det_noun,
        ),
        Paradigm(
            "determiner_adjective_noun_agreement",
            "en",
            "agreement",
            "Tom was selling that old lamp / *that old lamps",
            _det_adj_noun,
        ),
        Paradigm(
            "agreement_across_relative_clause",
            "en",
            "agreement",
            "The teachers that the doctor met were tired / *was tired",
            _agreement_relative_clause,
        ),
        Paradigm(
            "agreement_across_prepositional_phrase",
            "en",
            "agreement",
            "The key near the cups is old / *are old",
            _agreement_prepositional_phrase,
        ),
        Paradigm(
            "anaphor_gender_agreement",
            "en",
            "binding",
            "Anna hurt herself / *himself yesterday",
            _anaphor_gender,
        ),
        Paradigm(
            "anaphor_number_agreement",
            "en",
            "binding",
            "The pilots praised themselves / *herself again",
            _anaphor_number,
        ),
        Paradigm(
            "irregular_past_participle",
            "en",
            "morphology",
            "Ben has broken / *broke the cup",
            _irregular_participle,
        ),
        Paradigm(
            "npi_ever", "en", "NPI licensing", "No / *Some student has ever seen a whale", _npi_ever
        ),
        Paradigm(
            "transitive",
            "en",
            "argument structure",
            "The nurse fixed / *arrived the lamp",
            _transitive,
        ),
        Paradigm(
            "intransitive",
            "en",
            "argument structure",
            "The men arrived / *fixed yesterday",
            _intransitive,
        ),
        Paradigm(
            "passive",
            "en",
            "argument structure",
            "Emma was praised / *smiled by the pilots",
            _passive,
        ),
        Paradigm(
            "existential_there_quantifier",
            "en",
            "quantifiers",
            "There are many / *all cups in the kitchen",
            _existential_there,
        ),
        Paradigm(
            "wh_vs_that_with_gap", "en", "filler-gap", "Anna knows what / *that Ben fixed", _wh_gap
        ),
        Paradigm(
            "wh_vs_that_no_gap",
            "en",
            "filler-gap",
            "Anna knows that / *what Ben fixed the car",
            _wh_no_gap,
        ),
        Paradigm(
            "ja_dative_verb", "ja", "argument structure", "太郎が昨日花子に / *を会った", _ja_dative
        ),
        Paradigm(
            "ja_accusative_verb",
            "ja",
            "argument structure",
            "太郎が昨日本を / *に読んだ",
            _ja_accusative,
        ),
        Paradigm(
            "ja_numeral_classifier",
            "ja",
            "nominal structure",
            "昨日、太郎は猫を三匹 / *三冊見た",
            _ja_classifier,
        ),
        Paradigm(
            "ja_shika_negation",
            "ja",
            "NPI licensing",
            "昨日、太郎しかパンを食べなかった / *食べた",
            _ja_shika,
        ),
        Paradigm(
            "ja_adjective_past",
            "ja",
            "morphology",
            "昨日の試験はとても難しかった / *難しいだった",
            _ja_adjective_past,
        ),
    )
}
MAX_PAIRS = 1000  # every paradigm can supply this many distinct pairs (tested)


def language_of(paradigm: str) -> str:
    """``"ja"`` for Japanese paradigms (generated ``ja_…`` and JBLiMP), else ``"en"``."""
    spec = PARADIGMS.get(paradigm)
    if spec is not None:
        return spec.language
    return "ja" if paradigm.startswith("jblimp/") else "en"


def render(words: Sequence[str], language: str) -> str:
    """Words to a sentence: spaces and a full stop for English, no spaces and 。 for Japanese."""
    return "".join(words) + "。" if language == "ja" else " ".join(words) + "."


def generate(paradigm: str, n: int, seed: int = 0) -> MinimalPairSet:
    """``n`` distinct pairs of one generated paradigm, the same for the same ``seed``.

    Draws template fillings with a generator seeded by ``(seed, paradigm name)``, skipping any
    filling whose good or bad sentence was already drawn.
    """
    if paradigm not in PARADIGMS:
        raise ValueError(
            f"unknown generated paradigm {paradigm!r}; available: {', '.join(PARADIGMS)}"
        )
    if not 1 <= n <= MAX_PAIRS:
        raise ValueError(f"n={n} pairs per generated paradigm must be in 1..{MAX_PAIRS}")
    spec = PARADIGMS[paradigm]
    rng = np.random.default_rng([seed, zlib.crc32(paradigm.encode())])

    def pick(options: Sequence) -> object:
        return options[int(rng.integers(len(options)))]

    good: list[str] = []
    bad: list[str] = []
    seen: set[str] = set()
    for _ in range(100 * n):
        good_words, bad_words = spec.build(pick)
        differing = [i for i, (g, b) in enumerate(zip(good_words, bad_words)) if g != b]
        if len(good_words) != len(bad_words) or len(differing) != 1:
            raise AssertionError(
                f"{paradigm}: template must change exactly one word: {good_words} / {bad_words}"
            )
        pair = render(good_words, spec.language), render(bad_words, spec.language)
        if pair[0] in seen or pair[1] in seen:
            continue
        seen.update(pair)
        good.append(pair[0])
        bad.append(pair[1])
        if len(good) == n:
            break
    else:
        raise ValueError(f"{paradigm}: could only draw {len(good)} distinct pairs, asked for {n}")
    ids = tuple(f"{paradigm}-{i:04d}" for i in range(n))
    return MinimalPairSet(tuple(good), tuple(bad), (paradigm,) * n, ids, (spec.phenomenon,) * n)


def generated(
    paradigms: Sequence[str] | None = None, n: int = 200, seed: int = 0
) -> MinimalPairSet:
    """Several generated paradigms (default: all), ``n`` pairs each, concatenated."""
    names = list(PARADIGMS) if paradigms is None else list(paradigms)
    return MinimalPairSet.concat([generate(name, n, seed) for name in names])
