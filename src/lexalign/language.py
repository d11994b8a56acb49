"""Language identification for English, French and Spanish legal text.

A stop-word vote is enough to tell these three languages apart on a few lines of legislation, is
deterministic, and needs no model download.  Anything else reports as the best of the three with
low margin; callers only use the label to pick cues and lemma tables.
"""
from __future__ import annotations

import re
from collections import Counter

_STOPWORDS = {
    "en": set("the of and to in a is that shall be by or any for with as this which person who under "
              "such an act section from on are not have has where means".split()),
    "fr": set("le la les de des du et à en un une est qui par pour dans au aux sur ou ne pas sont "
              "présente loi article personne être lorsque ce cette son sa ses d l".split()),
    "es": set("el la los las de del y en un una es que por para con al se su sus o no como lo "
              "presente ley artículo persona cuando será sea este esta".split()),
}
_WORD = re.compile(r"[a-zà-ÿñ]+", re.IGNORECASE)

SUPPORTED = ("en", "fr", "es")


def detect_language(text: str, default: str = "en") -> str:
    """Return 'en', 'fr' or 'es' for a piece of text (``default`` when there are no words)."""
    scores = language_scores(text)
    if not any(scores.values()):
        return default
    return max(SUPPORTED, key=lambda lang: (scores[lang], lang == default))


def language_scores(text: str) -> dict[str, int]:
    """Stop-word hits per language, on at most the first 20,000 characters."""
    words = Counter(w.lower() for w in _WORD.findall(text[:20000]))
    # French elided articles (l'exploitation, d'une) are strong evidence of French.
    elisions = len(re.findall(r"\b[ldjqn][’']\w", text[:20000], re.IGNORECASE))
    scores = {lang: sum(n for w, n in words.items() if w in stop) for lang, stop in _STOPWORDS.items()}
    scores["fr"] += 2 * elisions
    # words shared by French and Spanish ("la", "de") are not evidence against English alone
    return scores


def provision_language(text: str, document_language: str, min_words: int = 6) -> str:
    """The language of one provision; too short to tell (a heading, "(a) fraud;") -> the document's.

    Bilingual statutes (Cameroon publishes English and French side by side) interleave languages
    provision by provision, so cue matching must pick its lemma table per provision.
    """
    scores = language_scores(text)
    total = sum(scores.values())
    if total < min_words:
        return document_language
    best = max(SUPPORTED, key=lambda lang: (scores[lang], lang == document_language))
    # a clear majority is needed to depart from the document's language
    return best if scores[best] >= 1.5 * max(1, scores.get(document_language, 0)) or best == document_language \
        else document_language


def languages_of(provisions: list, document_language: str) -> dict[str, int]:
    """How many provisions are in each language (for a bilingual-text note)."""
    counts: dict[str, int] = {}
    for p in provisions:
        lang = p.language or document_language
        counts[lang] = counts.get(lang, 0) + 1
    return counts
