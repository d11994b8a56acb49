"""The reader's language: gettext catalogues (English, French, Spanish) and how a page picks one.

The catalogues are Babel ``.po`` files under ``lexalign/locale/<lang>/LC_MESSAGES/lexalign.po``.
They are compiled in memory the first time a language is asked for, so a fresh checkout (or an
installed wheel) works without a build step and a ``.mo`` file can never be stale.  English is the
source language: an English message is its own msgid, so English needs no catalogue of its own.

What is translated: every fixed word of the reports and pages, the element names, definitions and
"what to add" texts (context ``name|<id>``, ``definition|<id>``, ``note|<id>``), the words of an
offence frame and the engine's rationales (see :mod:`lexalign.phrasing`).  What is never
translated: quotations from the statute, citations, element ids and file names.
"""
from __future__ import annotations

import functools
import gettext as _gettext
import io
from pathlib import Path
from typing import Any

LANGUAGES = ("en", "fr", "es")
DEFAULT = "en"
#: each language by its own name, for the language control
LANGUAGE_NAMES = {"en": "English", "fr": "Français", "es": "Español"}
DOMAIN = "lexalign"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
COOKIE = "lexalign_lang"


def po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@functools.lru_cache(maxsize=8)
def translations(lang: str) -> _gettext.NullTranslations:
    """The compiled catalogue of ``lang`` (English, and any unknown language, translate to themselves).

    Compiled from the ``.po`` source by Babel, in memory: a few hundred messages take milliseconds.
    """
    lang = normalise(lang)
    path = po_path(lang)
    if lang == DEFAULT or not path.exists():
        return _gettext.NullTranslations()
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po
    with path.open("rb") as fh:
        catalog = read_po(fh, locale=lang, domain=DOMAIN)
    buf = io.BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)
    buf.seek(0)
    return _gettext.GNUTranslations(buf)


def normalise(lang: str | None) -> str:
    """'fr-CA', 'FR', 'fr_FR' -> 'fr'; anything else -> ''."""
    if not lang:
        return ""
    code = str(lang).strip().lower().replace("_", "-").split("-")[0]
    return code if code in LANGUAGES else ""


class Translator:
    """The four gettext calls for one language, as a small object a renderer can carry around."""

    def __init__(self, lang: str):
        self.lang = normalise(lang) or DEFAULT
        self._t = translations(self.lang)

    def gettext(self, message: str) -> str:
        return self._t.gettext(message) if message else message

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self._t.ngettext(singular, plural, n)

    def pgettext(self, context: str, message: str) -> str:
        return self._t.pgettext(context, message) if message else message

    def npgettext(self, context: str, singular: str, plural: str, n: int) -> str:
        return self._t.npgettext(context, singular, plural, n)

    def has(self, context: str | None, message: str) -> bool:
        """Does the catalogue translate this message (English always does: itself)?"""
        if self.lang == DEFAULT:
            return True
        key = message if context is None else f"{context}\x04{message}"
        return key in (getattr(self._t, "_catalog", None) or {})

    _ = gettext


@functools.lru_cache(maxsize=8)
def translator(lang: str | None) -> Translator:
    return Translator(lang or DEFAULT)


# ---------------------------------------------------------------------- choosing the language

def from_accept_language(header: str | None) -> str:
    """The best supported language of an ``Accept-Language`` header ('' when none is supported)."""
    if not header:
        return ""
    best, best_q = "", 0.0
    for k, part in enumerate(header.split(",")):
        bits = part.strip().split(";")
        code = normalise(bits[0])
        q = 1.0
        for b in bits[1:]:
            b = b.strip()
            if b.startswith("q="):
                try:
                    q = float(b[2:])
                except ValueError:
                    q = 0.0
        # earlier entries win ties, as browsers list them in order of preference
        if code and q > best_q:
            best, best_q = code, q
    return best


def choose(query: str | None, cookie: str | None, accept_language: str | None) -> tuple[str, bool]:
    """The page's language and whether to remember it in the cookie.

    An explicit ``?lang=`` wins and is remembered; then the remembered choice; then the browser's
    ``Accept-Language``; then English.
    """
    asked = normalise(query)
    if asked:
        return asked, asked != normalise(cookie)
    kept = normalise(cookie)
    if kept:
        return kept, False
    return from_accept_language(accept_language) or DEFAULT, False


def language_links(path: str, query: dict[str, Any] | None = None) -> list[dict[str, str]]:
    """One link per language to the same page (other query parameters kept)."""
    from urllib.parse import urlencode
    params = {k: v for k, v in (query or {}).items() if k != "lang"}
    out = []
    for code in LANGUAGES:
        q = urlencode({**params, "lang": code})
        out.append({"code": code, "name": LANGUAGE_NAMES[code], "href": f"{path}?{q}"})
    return out


# ---------------------------------------------------------------------- Jinja2

def install_jinja(env: Any) -> None:
    """Jinja2's i18n extension with callables that read the page's ``lang`` from the template context.

    One environment serves every language: each render passes ``lang``; ``{% trans %}`` and ``_()``
    look it up, so no global state changes between two requests in different languages.
    """
    from jinja2 import pass_context
    env.add_extension("jinja2.ext.i18n")

    def _t(ctx) -> Translator:
        return translator(ctx.get("lang") or DEFAULT)

    @pass_context
    def gettext(ctx, message: str) -> str:
        return _t(ctx).gettext(message)

    @pass_context
    def ngettext(ctx, singular: str, plural: str, n: int) -> str:
        return _t(ctx).ngettext(singular, plural, n)

    @pass_context
    def pgettext(ctx, context: str, message: str) -> str:
        return _t(ctx).pgettext(context, message)

    @pass_context
    def npgettext(ctx, context: str, singular: str, plural: str, n: int) -> str:
        return _t(ctx).npgettext(context, singular, plural, n)

    env.install_gettext_callables(gettext, ngettext, newstyle=True, pgettext=pgettext, npgettext=npgettext)
