"""Reading one offence into its frame: acts, means, purposes, victims, consent, conditions and penalty.

The definition the offence uses is resolved first (section > part > act > another document of the
corpus); acts, means and purposes count only where they are elements of the offence, not
aggravations; the penalty is that of the basic offence.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from .. import frame_words as W
from ..budget import check_deadline
from ..lexical import compile_wording, compile_pattern, normalise
from ..models import Document, Provision
from ..units import CorpusContext, Unit
from .penalties import read_penalty
from .record import OffenceFrame
from .pieces import _Piece, _find, _in_aggravating_clause, _is_aggravation, _mask_not_conduct, _penalty_hits, _record
from .definitions import Definition, _EXPLOITATION_DEFINITION, _applicable
from .victims import _CHILD_FREE, _MEANS_BY_REFERENCE, _MEANS_FREE_LIMB, _age, _consent_elsewhere, _consent_listed_as_no_defence, _first_outside, _victims
_INSERTED_ARTICLE = compile_wording(r"(?:quedará así|shall read as follows|is replaced by|est ainsi rédigé|est remplacé par|se sustituye por)\W{0,6}"
                               r"\W*(?:artículo|article|section|art\.)\s+(\d+[\w\-]*(?:\s?(?:bis|ter))?)", re.IGNORECASE)
_OF_A_TRAFFICKED_PERSON = compile_wording(
    r"^[^.;]{0,120}?\b(?:is being|has been|is likely to be|was|were|had been) trafficked|^[^.;]{0,60}?\b(?:a |the )?"
    r"(?:trafficked (?:person|child|victim)|victims? of trafficking)|"
    # the verb's object is the crime or a document, not a person: "procures ... the commission of the crime of trafficking"
    r"^[^.;]{0,200}?\bthe commission of (?:the |an? )?(?:crime|offen[cs]e)s? of traffick|"
    # "to send to, take to ... or to receive at any place any person for the purposes of trafficking": an intermediary's acts
    r"^[^.;]{0,160}?\bfor (?:the )?purposes? of traffick|^[^.;]{0,60}?\b(?:identity|travel) documents?")
_NUM = compile_wording(r"(\d{1,3}(?:[.,]\d+)?|[a-záéíóúñ\-]+)")


_DISJUNCTION = compile_wording(r"(traffick\w*(?: in persons)?|slavery|smuggling)\s+(?:or|and/or)\s+(traffick\w*(?: in persons)?|slavery|smuggling)")


@dataclass
class _Reading:
    """What the steps of reading one offence share: where it is and the words it is read from."""

    doc: Document
    sec: Provision
    conduct: list[_Piece]     # the offence's own pieces (aggravations aside)
    pieces: list[_Piece]      # all pieces of its provision
    defs: list[Definition]
    ctx: CorpusContext
    ctext: str                # the conduct, normalised and masked
    citation: str
    sources: list[_Piece] = field(default_factory=list)          # the conduct and the definition it uses
    stext: str = ""
    purpose_sources: list[_Piece] = field(default_factory=list)  # ... and the definition of exploitation
    tdef: Definition | None = None
    edef: Definition | None = None
    notes: list[str] = field(default_factory=list)
    means_hits: list = field(default_factory=list)


def _read_frame(doc: Document, sec: Provision, units: list[Unit], conduct: list[_Piece], pieces: list[_Piece],
                defs: list[Definition], ctx: CorpusContext, old_style: bool, tdef: Definition | None = None,
                kind: str | None = None) -> OffenceFrame:
    """One offence read into its frame, step by step (each step below reads one part of it)."""
    check_deadline()
    citation = sec.citation
    ctext = _mask_not_conduct(normalise(" ".join(p.text for p in conduct)))
    inserted = _INSERTED_ARTICLE.search(ctext)
    if inserted:  # an amending act's article that inserts the offence into a code: cite the inserted article
        citation = f"{'art.' if citation.startswith('art') else 's.'} {inserted.group(1)}"
    f = OffenceFrame(citation=citation, kind=kind or ("old_style" if old_style else "trafficking"), source=doc.source,
                     section=sec, units=units)
    r = _Reading(doc, sec, conduct, pieces, defs, ctx, ctext, citation, tdef=tdef)
    _read_definitions(f, r)
    _read_elements(f, r)
    _read_victims(f, r)
    _read_means_required(f, r)
    _read_conditions(f, r)
    _read_penalty(f, r)
    _read_child_offence(f, r, kind)
    _read_own_definition(f, r)
    f.note = "; ".join(r.notes)
    return f


def _read_definitions(f: OffenceFrame, r: _Reading) -> None:
    """The definitions of trafficking and exploitation the offence uses (section > part > act > another document)."""
    doc, sec, defs, ctext = r.doc, r.sec, r.defs, r.ctext
    tdef = r.tdef
    sources = list(r.conduct)
    if tdef is None and re.search(r"traffick|\btraffics?\b|traite|trata|trafic", ctext):
        # the form of the term the offence uses wins ("traffics in persons" over another defined form)
        named = [d for d in defs if d.kind == "trafficking" and d.term in ctext]
        tdef = _applicable(named, "trafficking", doc, sec) or _applicable(defs, "trafficking", doc, sec)
    if tdef is not None:
        f.definition_spans = [(p.doc.source, p.start, p.start + len(p.text)) for p in tdef.pieces]
        if tdef.doc is not doc:
            r.notes.append(f"uses a term it does not define; the definition is taken from {tdef.citation} of "
                           f"{tdef.doc.source.rsplit('/', 1)[-1]}")
        f.definition = tdef.citation
        f.evidence["definition"] = [tdef.pieces[0].evidence()]
        sources += tdef.pieces
    stext = _mask_not_conduct(normalise(" ".join(p.text for p in sources)))
    edef = None
    used = [d for d in defs if d.kind == "exploitation" and not re.match(r"exploit|explot", d.term) and d.term in stext]
    if used:  # the offence's purpose is a term defined apart ("for an unlawful purpose")
        edef = _applicable(used, "exploitation", doc, sec)
    if edef is None and re.search(r"exploit|explot", stext):
        edef = _applicable([d for d in defs if d not in used], "exploitation", doc, sec) or next(
            (d for d in defs if d.kind == "exploitation" and d.doc is not doc and d.scope == "act"), None)
    purpose_sources = sources + (edef.pieces if edef else [])
    if edef is not None:
        f.purpose_definition_spans = [(p.doc.source, p.start, p.start + len(p.text)) for p in edef.pieces]
    if edef is not None and f.definition is None:
        f.definition = edef.citation
        f.evidence["definition"] = [edef.pieces[0].evidence()]
    r.tdef, r.edef, r.sources, r.stext, r.purpose_sources = tdef, edef, sources, stext, purpose_sources


def _read_elements(f: OffenceFrame, r: _Reading) -> None:
    """Acts, means, purposes: only where they are elements of the offence, not aggravations."""
    sources, purpose_sources, edef, stext = r.sources, r.purpose_sources, r.edef, r.stext
    # the conduct, not the definition of exploitation ("conditions d'hébergement contraires à sa dignité")
    act_sources = [p for p in sources if not _EXPLOITATION_DEFINITION.search(normalise(p.text))] or sources
    for name, pat in W.ACTS.items():
        hits = [(p, m) for p, m in _find(pat, act_sources) if not _is_aggravation(p)]
        main = [(p, m) for p, m in hits if not _OF_A_TRAFFICKED_PERSON.search(normalise(p.text)[m.end():m.end() + 160])]
        if main:
            f.acts.append(name)
            _record(f, "act:" + name, main[:2])
        elif hits:
            f.ancillary_acts.append(name)
            _record(f, "ancillary:" + name, hits[:2])
    means_hits_all = []
    for name, pat in W.MEANS.items():
        hits = [(p, m) for p, m in _find(pat, sources) if not _is_aggravation(p) and not _in_aggravating_clause(p, m)]
        if hits:
            f.means.append(name)
            _record(f, "means:" + name, hits[:2])
            means_hits_all += hits
    r.means_hits = means_hits_all
    for name, pat in W.PURPOSES.items():
        # "trafficking in persons or slavery": a term naming the conduct is not its purpose
        hits = [(p, m) for p, m in _find(pat, purpose_sources) if not _is_aggravation(p) and not any(
            d.start() <= m.start() < d.end() for d in _DISJUNCTION.finditer(_mask_not_conduct(normalise(p.text))))]
        if hits:
            f.purposes.append(name)
            _record(f, "purpose:" + name, hits[:2])
    if edef is not None:
        open_m = W.OPEN_LIST.search(edef.text)
        f.purpose_open_list = bool(open_m)
        f.evidence["purpose_open_list"] = [edef.pieces[0].evidence()]
    elif re.search(r"exploit|explot", stext) and not f.purposes:
        f.purpose_open_list = True  # "for the purpose of exploitation", left undefined
    else:
        f.purpose_open_list = bool(re.search(r"(any (?:other )?form of exploitation|toute (?:autre )?forme d.exploitation|"
                                             r"cualquier (?:otra )?forma de explotación|\bor other (?:forms? of )?(?:exploitation|exploitative|similar|like)\b)", stext))


def _read_victims(f: OffenceFrame, r: _Reading) -> None:
    """Victims and the child's age from the definition in scope."""
    doc, sec, defs, conduct, tdef, sources = r.doc, r.sec, r.defs, r.conduct, r.tdef, r.sources
    f.victims, f.evidence["victims"] = _victims(conduct + (tdef.pieces if tdef else []), normalise(sec.heading or "").strip())
    cdef = _applicable(defs, "child", doc, sec)
    if cdef is not None and _age(cdef.text):
        f.child_age = _age(cdef.text)
        f.evidence["child_age"] = [cdef.pieces[0].evidence()]
    else:
        for p, m in _find(W.AGE_LIMIT, sources):
            if not _is_aggravation(p):
                f.child_age = _age(normalise(p.text)[m.start():m.end()])
                f.evidence["child_age"] = [p.evidence(m.start(), m.end())]
                break


def _read_means_required(f: OffenceFrame, r: _Reading) -> None:
    """Whether means are required, per victim class."""
    sources, conduct, means_hits_all = r.sources, r.conduct, r.means_hits
    child_free = [(p, m) for p, m in _find(_CHILD_FREE, sources)]
    child_pieces = [p for p in sources if re.search(W.CHILD_WORDS, normalise(p.text)) and not _is_aggravation(p)
                    and any(compile_pattern(pat).search(normalise(p.text)) for pat in W.ACTS.values())]
    # a limb that needs no means: "transporting him or her ... (ii) voluntarily, for an unlawful purpose"
    free_limb = [(p, m) for p, m in _find(_MEANS_FREE_LIMB, conduct) if not _is_aggravation(p)]
    if f.means and free_limb:
        f.means_required_adults = False
        _record(f, "means_required_adults", free_limb[:1])
    elif f.means:
        f.means_required_adults = not any(re.search(r"(whether or not|regardless of|with or without) .{0,30}means", normalise(p.text))
                                          and not re.search(W.CHILD_WORDS, normalise(p.text)) for p in sources)
        f.evidence["means_required_adults"] = [p.evidence(m.start(), m.end()) for p, m in means_hits_all[:1]]
    elif f.acts and (f.purposes or f.purpose_open_list or f.kind == "smuggling"):
        f.means_required_adults = False
        f.evidence["means_required_adults"] = [conduct[0].evidence()]
    if f.victims == "children":
        f.means_required_adults = None
    if child_free:
        f.means_required_children = False
        _record(f, "means_required_children", child_free[:1])
    elif f.victims == "children" or child_pieces:
        limb = [p for p in child_pieces if not any(compile_pattern(pat).search(_mask_not_conduct(normalise(p.text)))
                                                    for pat in W.MEANS.values())]
        if f.means and not limb:
            f.means_required_children = True
            f.evidence["means_required_children"] = [child_pieces[0].evidence()] if child_pieces else []
        elif limb and (not f.means or f.victims == "children"):
            f.means_required_children = False
            f.evidence["means_required_children"] = [limb[0].evidence()]
        elif limb:
            f.means_required_children = False
            f.evidence["means_required_children"] = [limb[0].evidence()]
    elif not f.means and f.acts:
        f.means_required_children = None


def _read_conditions(f: OffenceFrame, r: _Reading) -> None:
    """Consent (a defence where lack of consent is an element; irrelevant where the law says so),
    a cross-border element and an organised group."""
    doc, sec, ctx, sources, conduct, stext = r.doc, r.sec, r.ctx, r.sources, r.conduct, r.stext
    defence = [(p, m) for p, m in _find(W.CONSENT_DEFENCE, conduct) if not _is_aggravation(p)]
    # consent made irrelevant here or in any other anchored provision of the document (the first such words)
    elsewhere = _consent_elsewhere(ctx, doc)
    irrelevant = (_find(W.CONSENT_IRRELEVANT, sources) or _first_outside(elsewhere.irrelevant, sec)
                  or _consent_listed_as_no_defence(sources) or _first_outside(elsewhere.listed, sec))
    if defence:
        f.consent = "defence"
        _record(f, "consent", defence[:1])
    elif irrelevant:
        f.consent = "irrelevant"
        _record(f, "consent", irrelevant[:1])
    cross = [(p, m) for p, m in _find(W.CROSS_BORDER, conduct) if not _is_aggravation(p)]
    if cross and not W.WITHIN_TOO.search(stext):
        f.transnational_required = True
        _record(f, "transnational_required", cross[:1])
    group = [(p, m) for p, m in _find(W.ORGANISED_GROUP, conduct) if not _is_aggravation(p)]
    if group:
        f.organised_group_required = True
        _record(f, "organised_group_required", group[:1])


def _read_penalty(f: OffenceFrame, r: _Reading) -> None:
    """The penalty of the basic offence, and its aggravations."""
    conduct, pieces = r.conduct, r.pieces
    pen_pieces = ([p for p in conduct if W.IMPRISONMENT.search(normalise(p.text))] or
                  [p for p in conduct if re.search(r"(years|ans|años)\b", normalise(p.text))])
    if pen_pieces:
        f.penalty = read_penalty(pen_pieces[0].text)
        f.evidence["penalty"] = [pen_pieces[0].evidence()]
        f.hits["penalty"] = _penalty_hits(pen_pieces[:1])
        # a fine instead of prison in any limb of the basic penalty ("(b) ... a fine or imprisonment ... or both")
        lenient = next((p for p in pen_pieces[1:] if read_penalty(p.text).fine_alternative), None)
        if lenient is not None and not f.penalty.fine_alternative:
            f.penalty.fine_alternative = True
            f.evidence["penalty"].append(lenient.evidence())
            f.hits["penalty"] += _penalty_hits([lenient])
    agg = [p for p in pieces if _is_aggravation(p)]
    f.aggravations = [" ".join(p.text.split())[:160] for p in agg]
    f.evidence["aggravations"] = [p.evidence() for p in agg[:4]]
    means_only_agg = [name for name, pat in W.MEANS.items() if name not in f.means and
                      any(compile_pattern(pat).search(normalise(p.text)) for p in agg)]
    if means_only_agg:
        r.notes.append("means only in aggravation: " + ", ".join(means_only_agg))


def _read_child_offence(f: OffenceFrame, r: _Reading, kind: str | None) -> None:
    """An offence against children: its victims, and the means it takes from its own words."""
    sec, conduct = r.sec, r.conduct
    if (kind == "child_trafficking" or re.search(W.CHILD_WORDS, normalise(sec.heading or ""))) and f.victims == "any_person" \
            and not re.search(W.WOMEN_WORDS, normalise(sec.heading or "")):
        f.victims = "children"
        f.evidence["victims"] = [conduct[0].evidence()]
    by_reference = [(p, m) for p, m in _find(_MEANS_BY_REFERENCE, conduct) if not _is_aggravation(p)]
    if f.victims == "children" and by_reference:
        # "receives a child, by any of the means referred to in section 4(1)": means required for children
        f.means_required_children = True
        _record(f, "means_required_children", by_reference[:1])
    elif f.victims == "children":
        # a child offence takes its conduct from the definition, not the adult means
        own = {name for name, pat in W.MEANS.items() if _find(pat, conduct)}
        for name in [m for m in f.means if m not in own]:
            f.means.remove(name)
            f.evidence.pop("means:" + name, None)
        f.means_required_adults = None
        if not f.means:
            f.means_required_children = False
    if f.victims == "children" and f.kind == "trafficking":
        f.kind = "child_trafficking"


def _read_own_definition(f: OffenceFrame, r: _Reading) -> None:
    """Where no definition was found: one the offence cites, or the offence itself when it states its elements."""
    doc, sec, defs, ctext, citation = r.doc, r.sec, r.defs, r.ctext, r.citation
    if f.definition is None:
        meaning = re.search(r"(?:within the meaning of|as defined in|au sens de l.article|tel que défini à l.article|en el sentido del artículo)"
                            r"\s+(?:sections?|articles?|s\.)?\s*(\d+[\w\-.]*)", ctext)
        if meaning:
            prefix = "art." if citation.startswith("art") else ("§" if citation.startswith("§") else "s.")
            f.definition = f"{prefix} {meaning.group(1).rstrip('.')}"
        elif f.acts and (f.means or (f.purposes and f.kind != "old_style")):
            f.definition = citation  # the offence states its own elements
        else:
            terms = _applicable(defs, "purpose_term", doc, sec)
            if terms is not None and f.purposes:
                f.definition = terms.citation.split(" (")[0]
