"""Keep the French and Spanish catalogues (src/lexalign/locale/*/LC_MESSAGES/lexalign.po) complete.

    python scripts/i18n_catalogues.py            # add new messages (empty), drop obsolete ones, sort
    python scripts/i18n_catalogues.py --check    # exit 1 and list the messages a catalogue lacks
    python scripts/i18n_catalogues.py --import FILE.yaml   # merge translations written as YAML

Messages come from the templates (``{% trans %}``, ``_()``), the Python sources (``_``, ``N_``,
``gettext``, ``pgettext``...), and the data a report shows with a context: element names,
definitions and "what to add" texts (``name|<id>``, ``definition|<id>``, ``note|<id>``), group
titles, verdict words, frame vocabulary and the engine's prose pieces (see lexalign.phrasing).
The .po files are the source of the translations; lexalign compiles them when it starts.

An import file is a list of ``{id: English, ctx: context (optional), fr: ..., es: ...}`` or a
mapping ``element id -> {name, definition, note}`` with ``--lang``.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from babel.messages.catalog import Catalog  # noqa: E402
from babel.messages.extract import extract_from_dir  # noqa: E402
from babel.messages.pofile import read_po, write_po  # noqa: E402

from lexalign.i18n import LANGUAGE_NAMES, LANGUAGES, po_path  # noqa: E402

TARGETS = [lang for lang in LANGUAGES if lang != "en"]
PLURALS = {"fr": (2, "(n > 1)"), "es": (2, "(n != 1)")}


def wanted() -> dict[tuple[str | None, str], str]:
    """(context, msgid) -> where it comes from, for every message the program can show."""
    out: dict[tuple[str | None, str], str] = {}
    src = ROOT / "src" / "lexalign"
    method_map = [("web/templates/**.html", "jinja2.ext:babel_extract"), ("**.py", "python")]
    options = {"web/templates/**.html": {"extensions": "jinja2.ext.i18n", "trimmed": "false"}}
    for filename, lineno, message, _comments, context in extract_from_dir(str(src), method_map, options_map=options):
        ids = message if isinstance(message, tuple) else (message,)
        if ids and ids[0]:
            out[(context, ids[0] if len(ids) == 1 else ids)] = f"{filename}:{lineno}"  # type: ignore[index]
    # calls inside f-strings, which Babel's extractor skips: _("..."), gettext("..."), pgettext("ctx", "...")
    import re
    call = re.compile(r"""(?:(?<![\w.])(?:_|gettext)|\.gettext)\(\s*(["'])((?:(?!\1).)+)\1\s*\)|"""
                      r"""pgettext\(\s*(["'])(\w+)\3\s*,\s*(["'])((?:(?!\5).)+)\5\s*\)""")
    for path in src.rglob("*.py"):
        for m in call.finditer(path.read_text(encoding="utf-8")):
            if m.group(2):
                out.setdefault((None, m.group(2)), f"{path.name}")
            else:
                out.setdefault((m.group(4), m.group(6)), f"{path.name}")
    from lexalign.diff import CHANGE_TITLES
    from lexalign.element_names import NAMES
    from lexalign.phrasing import (FIELD_LABELS, OBLIGATION_WORDS, STATUS_WORDS, VOCABULARY, engine_pieces)
    from lexalign.reference import GROUP_TITLES, load_catalogue
    for e in load_catalogue():
        if e.id in NAMES:
            out[(f"name|{e.id}", NAMES[e.id])] = "element_names.py"
        if e.definition:
            out[(f"definition|{e.id}", e.definition)] = "elements.yaml"
        if e.drafting_note:
            out[(f"note|{e.id}", e.drafting_note)] = "element_rules.yaml"
    for ctx, table in (("status", STATUS_WORDS), ("obligation", OBLIGATION_WORDS), ("frame", VOCABULARY),
                       ("field", FIELD_LABELS), ("group", GROUP_TITLES), ("change", CHANGE_TITLES)):
        for v in table.values():
            out[(ctx, v)] = "phrasing.py"
    out[("status", "raised")] = "wording.py"
    from lexalign.web.twins import COLUMN_NAMES
    for v in list(COLUMN_NAMES.values()) + ["red flag", "element"]:  # the list pages' headings and kinds
        out[("column", v)] = "twins.py"
    from lexalign.reference import load_rules
    for spec in load_rules()["elements"].values():  # the components a why-missing list names
        for comp in spec.get("components", []) or []:
            if isinstance(comp, dict) and comp.get("name"):
                out[("component", comp["name"])] = "element_rules.yaml"
    for piece in engine_pieces():
        out[("engine", piece)] = "engine"
    return out


def load(lang: str) -> Catalog:
    path = po_path(lang)
    if path.exists():
        with path.open("rb") as fh:
            return read_po(fh, locale=lang, domain="lexalign")
    return Catalog(locale=lang, domain="lexalign", project="lexalign")


def save(lang: str, cat: Catalog) -> None:
    path = po_path(lang)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:
        write_po(fh, cat, width=0, sort_output=True, omit_header=False, include_lineno=False)


def update(imports: list[tuple[str, Path]]) -> None:
    want = wanted()
    extra: dict[str, dict[tuple[str | None, str], str]] = {lang: {} for lang in TARGETS}
    import yaml
    for lang_opt, path in imports:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(data, dict):  # element id -> {name, definition, note} in one language
            from lexalign.element_names import NAMES
            from lexalign.reference import load_catalogue
            cat = {e.id: e for e in load_catalogue()}
            for eid, texts in data.items():
                e = cat[eid]
                for key, ctx, src in (("name", f"name|{eid}", NAMES.get(eid)), ("definition", f"definition|{eid}", e.definition),
                                      ("note", f"note|{eid}", e.drafting_note)):
                    if texts.get(key) and src:
                        extra[lang_opt][(ctx, src)] = texts[key]
        else:
            for item in data:
                key = (item.get("ctx"), item["id"])
                for lang in TARGETS:
                    if item.get(lang):
                        extra[lang][key] = item[lang]
    for lang in TARGETS:
        old = load(lang)
        new = Catalog(locale=lang, domain="lexalign", project="lexalign", version="0.1",
                      copyright_holder="lexalign", charset="utf-8", fuzzy=False,
                      last_translator="lexalign <translations in this file>", language_team=LANGUAGE_NAMES.get(lang, lang))
        # one form for 0 and 1 in French, one for 1 in Spanish (CLDR's "many" form for millions is not needed here)
        new._num_plurals, new._plural_expr = PLURALS[lang]
        for (ctx, msgid), where in sorted(want.items(), key=lambda kv: (kv[0][0] or "", str(kv[0][1]))):
            prev = old.get(msgid, context=ctx)
            given = extra[lang].get((ctx, msgid if isinstance(msgid, str) else msgid[0]))
            if isinstance(msgid, tuple):
                if isinstance(given, list):
                    string = tuple(given)
                elif given:
                    string = (given, given)
                else:
                    string = prev.string if prev and isinstance(prev.string, tuple) else ("", "")
            else:
                string = given if given is not None else (prev.string if prev else "")
            new.add(msgid, string, context=ctx, auto_comments=[where] if where else [])
        save(lang, new)


def check() -> int:
    want = wanted()
    bad = 0
    for lang in TARGETS:
        cat = load(lang)
        for ctx, msgid in want:
            m = cat.get(msgid, context=ctx)
            if m is None or not (m.string if isinstance(m.string, str) else all(m.string)):
                print(f"{lang}: untranslated [{ctx or ''}] {msgid!r}")
                bad += 1
    return 1 if bad else 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--import", dest="imports", action="append", default=[], help="YAML file of translations")
    ap.add_argument("--lang", default=None, help="the language of an element import file")
    args = ap.parse_args()
    if args.check:
        return check()
    update([(args.lang, Path(p)) for p in args.imports])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
