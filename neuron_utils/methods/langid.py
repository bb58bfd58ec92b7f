"""Language identification of generated text with py3langid (its model ships in the wheel)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache


@lru_cache(maxsize=8)
def _identifier(languages: tuple[str, ...] | None):
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    if languages:
        identifier.set_languages(list(languages))
    return identifier


def identify(texts: Sequence[str], languages: Sequence[str] | None = None) -> list[str]:
    """ISO 639-1 code of each text (``""`` for empty text), optionally among ``languages`` only."""
    identifier = _identifier(tuple(languages) if languages else None)
    return [identifier.classify(text)[0] if text.strip() else "" for text in texts]


def known_languages() -> tuple[str, ...]:
    """The ISO 639-1 codes py3langid can tell apart."""
    return tuple(_identifier(None).nb_classes)
