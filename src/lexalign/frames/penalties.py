"""The penalty of an offence read from its words: years (figures or words), ranges, life, a fine instead of prison.

Kept on its own because the words of a penalty ("not less than seven years and not more than twenty
years", "reclusión de cuatro a diez años", "dix ans d'emprisonnement") are read the same way for the
basic offence, its aggravations and a penalty set out in another section.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from .. import frame_words as W
from ..lexical import compile_wording, normalise


@dataclass
class Penalty:
    """The penalty for the basic offence (years; None where the text gives none)."""

    min_years: float | None = None
    max_years: float | None = None
    life: bool = False
    fine_alternative: bool = False  # a fine may be imposed INSTEAD of prison

    def to_dict(self) -> dict[str, Any]:
        return {"min_years": self.min_years, "max_years": self.max_years, "life": self.life,
                "fine_alternative": self.fine_alternative}


# ----------------------------------------------------------------------------- offence structure shared by elements and flags

_PENALTY_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                  "nine": 9, "ten": 10, "twelve": 12, "fifteen": 15, "fourteen": 14, "twenty": 20,
                  "thirty": 30, "un": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "sept": 7, "dix": 10,
                  "quinze": 15, "vingt": 20, "trente": 30, "cuatro": 4, "cinco": 5, "seis": 6, "ocho": 8,
                  "diez": 10, "doce": 12, "trece": 13, "veinte": 20, "treinta": 30, "dos": 2, "tres": 3,
                  "siete": 7, "nueve": 9, "once": 11, "catorce": 14, "quince": 15, "dieciocho": 18,
                  "veinticinco": 25, "huit": 8, "neuf": 9, "six": 6, "douze": 12}


def _years(tok: str) -> float | None:
    tok = tok.replace(",", ".")
    try:
        return float(tok)
    except ValueError:
        return W.AGE_WORDS.get(tok) or _PENALTY_WORDS.get(tok)


_Y = r"(\d{1,3}|[a-záéíóúñ\-]+)\s*(?:\([\w\s\-]+\)\s*)?"
_PEN_MINMAX = compile_wording(rf"(?:not less than|minimum (?:term )?of|at least|between|from|de|entre)\s+{_Y}(?:years?\s*)?"
                         rf"(?:and (?:not (?:more|exceeding) than\s+)?|to\s+|à\s+|a\s+|y\s+){_Y}(?:years?|ans|años)")
_PEN_MIN = compile_wording(rf"(?:not less than|minimum (?:punishment|penalty) of imprisonment for a term of|minimum (?:term )?of|at least|no (?:less|fewer) than)\s+{_Y}(?:years?|ans|años)")
_PEN_MAX = compile_wording(rf"(?:not (?:more|exceeding) than|not exceeding|up to|may extend to|maximum (?:term )?of|exceeding|to)\s+{_Y}(?:years?|ans|años)")
_PEN_PLAIN = compile_wording(rf"{_Y}(?:years?|ans|años)")
_MONTHS = compile_wording(rf"{_Y}(?:months?|mois|meses)")


_AGE_PHRASE = compile_wording(r"(?:mayor(?:es)?|menor(?:es)?) de (?:\d{1,2}|[a-záéíóúñ]+) años(?: de edad)?|(?:\d{1,2}|[a-záéíóúñ]+) años de edad|"
                              r"(?:under|below|over|above) the age of \d{1,2} years|(?:person|child|girl|boy)s? (?:under|below) \d{1,2} years|"
                              r"\d{1,2} years of age|(?:âgée?s?|moins|plus) de \d{1,2} ans")


#: years of each degree of "presidio/reclusión menor|mayor" (Chilean Código Penal art. 56), lower bound rounded
#: to whole years as a drafter states them ("5 años y un día" is 5)
_DEGREES = {"menor": {"mínimo": (61 / 365, 540 / 365), "medio": (541 / 365, 3), "máximo": (3, 5)},
            "mayor": {"mínimo": (5, 10), "medio": (10, 15), "máximo": (15, 20)}}
_PEN_DEGREES = compile_wording(r"(?:presidio|reclusión|relegación) (?P<level>menor|mayor) en (?:su|sus) grados? "
                               r"(?P<from>mínimo|medio|máximo)(?: a (?P<to>mínimo|medio|máximo))?")


def read_penalty(text: str) -> Penalty:
    """Minimum, maximum, life and fine-in-lieu from a penalty clause (months become twelfths)."""
    norm = normalise(text)
    # "trece (13)", "10 (ten)": the figure decides
    norm = re.sub(r"\b[a-záéíóúñ\-]+\s*\((\d{1,3})\)", r"\1", norm)
    norm = re.sub(r"\b(\d{1,3})\s*\([a-záéíóúñ\-\s]+\)", r"\1", norm)
    # an age is not a term of imprisonment ("personas mayores de 18 años de edad", "a child under 16 years")
    norm = _AGE_PHRASE.sub(" ", norm)
    pen = Penalty(life=bool(W.LIFE.search(norm)), fine_alternative=bool(W.FINE_ALTERNATIVE.search(norm)))
    g = _PEN_DEGREES.search(norm)
    if g:  # "reclusión mayor en sus grados mínimo a medio": the Chilean code's scale of degrees (art. 56)
        scale = _DEGREES[g.group("level")]
        low, high = scale[g.group("from")], scale[g.group("to") or g.group("from")]
        pen.min_years, pen.max_years = low[0], high[1]
        return pen
    m = _PEN_MINMAX.search(norm)
    if m and _years(m.group(1)) and _years(m.group(2)):
        pen.min_years, pen.max_years = _years(m.group(1)), _years(m.group(2))
        return pen
    m = _PEN_MIN.search(norm)
    if m:
        pen.min_years = _years(m.group(1))
    m = _PEN_MAX.search(norm)
    if m and _years(m.group(1)):
        pen.max_years = _years(m.group(1))
    elif pen.min_years is None:
        vals = [v for v in (_years(x.group(1)) for x in _PEN_PLAIN.finditer(norm)) if v]
        if vals:
            pen.max_years = max(vals)
        else:
            months = [v for v in (_years(x.group(1)) for x in _MONTHS.finditer(norm)) if v]
            if months:
                pen.max_years = round(max(months) / 12, 2)
    return pen
