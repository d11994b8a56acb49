"""Which provisions create an offence of trafficking, and the frames of a corpus.

A section creates the offence when it names the conduct (or lists acts with an exploitative purpose)
and is neither a definition, an ancillary offence nor the penalty of an offence set out elsewhere.
Then: child offences of their own, two defined conducts punished alike (trafic / traite), named
aggravated offences, offences read from the definition alone, penalties set out in another section,
and parallel texts of bilingual corpora.
"""
from __future__ import annotations

import re
from .. import frame_words as W
from ..budget import check_deadline
from ..lexical import compile_wording, compile_pattern, normalise
from ..models import Document, Provision
from ..units import CorpusContext, Unit, _ref_num
from .penalties import read_penalty
from .record import OffenceFrame
from .pieces import _Piece, _is_aggravation, _mask_not_conduct, _penalty_hits, _pieces_of
from .definitions import Definition, _applicable, find_definitions
from .reading import _DISJUNCTION, _read_frame
_ANCILLARY = compile_wording(r"(\battempt\w*|\baid(?:s|ed|ing)?\b|\babet\w*|\bconspir\w*|\bincit\w*|\bcounsel\w*|\bfinanc\w*|\buses? the (?:labour|services)|"
                        r"\bdestroy\w*|\bpublish\w*|\bobstruct\w*|\bbenefit\w*|\btentative|\bcomplic\w*|\bcómplice|\bencubri\w*)")
_SKIP_HEADING = compile_wording(r"(interpretation|definition|définition|definici|jurisdiction|compétence|confiscat|forfeit|compensation|"
                           r"victim|protection|witness|immunit|extradit|assistance|disclos|publication|evidence|procedure)")
_CONDUCT_VERB = compile_wording(r"(\btraffics?\b|\btrafficks?\b|engages? (?:even occasionally )?in (?:the practice of )?traffick|commits? (?:the (?:offence|crime) of )?traffick|"
                           r"\bpractice of traffick|traffick\w* (?:in|of) (?:persons|a person|another|women|children|human)|"
                           r"se livre (?:même occasionnellement )?(?:au|à la) (?:trafic|traite)|(?:le|du) trafic ou (?:la|de la) traite|"
                           r"\btraite (?:des|d.) (?:personnes|êtres|femmes|enfants|blanches)|\bla traite\b|"
                           r"\btrata de (?:personas|seres|mujeres|menores|blancas)|\bla trata\b|promoviere,? facilitare|for (?:the )?purposes? of trafficking)")
_ANCILLARY_HEADING = compile_wording(
    r"(benefit|document|premises|\buse of\b|\busing\b|services of|debt bondage|pledg|aggravat|attempt|abet|conspir|profit|financ|"
    r"facilitat|promot|obstruct|official|legal person|body corporate|corporat|circonstances|tentative|complic|agravant|"
    r"living on|earnings|soliciting|keeping a brothel|support|providing|facilities|conveyance|carrier|omission|information|"
    r"recruiting persons|harbouring persons|related|relating|connected|non-discrimination|duty to|\breport|\bfail\w* to)")
_REFERS_TO_OFFENCE = compile_wording(
    r"(infraction (?:prévue|définie|visée) (?:à|par) l.article|infractions? prévues? aux articles|"
    r"(?:an|the) offen[cs]e (?:under|referred to in|in|of trafficking under|described in) (?:section|subsection|this part)|"
    r"delitos? (?:previstos?|tipificados?) en (?:el|los) artículos?|(?:commits|convicted of) an offen[cs]e under section)")


def _sections(ctx: CorpusContext) -> list[tuple[Document, Provision, list[Unit]]]:
    by: dict[int, tuple[Document, Provision, list[Unit]]] = {}
    for u in ctx.units:
        if u.root_kind == "toc" or u.root_kind == "preface":
            continue
        by.setdefault(id(u.section), (u.doc, u.section, []))[2].append(u)
    return list(by.values())


def extract_frames(ctx: CorpusContext) -> list[OffenceFrame]:
    """Every provision that creates an offence of trafficking, read into its parts."""
    defs = find_definitions(ctx)
    frames: list[OffenceFrame] = []
    aggravated: list[tuple] = []
    sections = _sections(ctx)
    for doc, sec, units in sections:
        check_deadline()
        pieces = _pieces_of(units)
        full = _mask_not_conduct(normalise(" ".join(p.text for p in pieces)))
        if not W.OFFENCE_CREATING.search(full):
            continue
        heading = normalise(sec.heading or "")
        if _SKIP_HEADING.search(heading) and not re.match(r"\W*(?:[\w']+ ){0,2}(?:traffick|traffic|traite|trata|trafic)", heading):
            continue
        if sum(1 for u in units if u.provision.kind == "definition") > len(units) / 2:
            continue
        body = full.replace(heading, " ", 1) if heading else full  # a group heading may name both offences
        if _MIGRANT_SMUGGLING.search(body[:400]) and not re.search(
                r"trata de personas|trafficking in persons|traite des (?:personnes|êtres)", body):
            continue  # "Tráfico de migrantes. El que con ánimo de lucro facilite ... la entrada ilegal": smuggling
        conduct = [p for p in pieces if not _is_aggravation(p)]
        if _NAMED_AGGRAVATED.search(full):
            aggravated.append((doc, sec, units, pieces, full))
            continue
        if not conduct:
            continue  # the whole provision raises the penalty of an offence set out elsewhere
        ctext = _mask_not_conduct(normalise(" ".join(p.text for p in conduct)))
        named = _CONDUCT_VERB.search(ctext) or re.search(r"\b(?:trafficking|traffic in|traite|trata)\b", heading)
        acts_here = [a for a, pat in W.ACTS.items() if compile_pattern(pat).search(ctext)]
        old = bool(W.OLD_STYLE_CONDUCT.search(ctext) and W.IMMORAL_PURPOSE.search(ctext))
        exploit = bool(re.search(r"(for the purpose of exploit|purpose of exploitation|intent to exploit|fins? d.exploitation|"
                                 r"fines de explotación|finalidad de explot|en vue de (?:son|leur) exploitation)", ctext))
        listed = len(acts_here) >= 3 and any(compile_pattern(W.PURPOSES[k]).search(ctext) for k in W.PURPOSES if k != "other")
        if not (named or old or (len(acts_here) >= 2 and exploit) or listed):
            continue
        if not acts_here and _ANCILLARY.search(ctext) and not re.search(r"\btraffics?\b|\btrafficks?\b|practice of", ctext):
            continue
        opening = _mask_not_conduct(normalise(" ".join(p.text for p in conduct[:2])))[:400]  # a heading line may come first
        if _ANCILLARY_HEADING.search(heading) or _REFERS_TO_OFFENCE.search(opening):
            continue  # an ancillary offence, or a penalty/aggravation of an offence set out elsewhere
        historical = W.HISTORICAL_NAME.search(ctext + " " + heading) and not re.search(
            r"traffick\w* in persons|traite des (?:personnes|êtres)|trata de (?:personas|seres)", ctext)
        old_style = (old and not named and not exploit) or bool(historical)
        limbs = _limbs(ctext, doc, sec, defs)
        # a section that is a child offence as a whole ("Trafficking in children") has no separate child part
        child_part = [] if re.search(W.CHILD_WORDS, heading) else _separate_child_offence(sec, conduct)
        if child_part and not limbs:
            main = [p for p in conduct if p not in child_part]
            frames.append(_read_frame(doc, sec, units, main, [p for p in pieces if p not in child_part], defs, ctx, old_style))
            own = Definition("trafficking", "offence", doc, sec, sec.citation, "section", main)
            frames.append(_read_frame(doc, sec, units, child_part, child_part, defs, ctx, False, tdef=own,
                                      kind="child_trafficking"))
            frames[-1].definition = frames[-2].definition
            continue
        if limbs:
            for kind, d in limbs:
                frames.append(_read_frame(doc, sec, units, conduct, pieces, defs, ctx, False, tdef=d, kind=kind))
        else:
            frames.append(_read_frame(doc, sec, units, conduct, pieces, defs, ctx, old_style))
    if not any(f.kind in ("trafficking", "child_trafficking", "old_style") for f in frames):
        frames += _frames_from_definitions(defs, ctx)
    frames += _aggravated_offences(aggravated, frames)
    _attach_penalty_sections(frames, sections)
    return _mark_children_needing_means(_parallel_limbs(frames, ctx))


_MIGRANT_SMUGGLING = compile_wording(r"(tráfico (?:ilícito )?de migrantes|smuggling of migrants|migrant smuggling|"
                                     r"trafic illicite de migrants|entrada ilegal al país|illegal entry)")
_NAMED_AGGRAVATED = compile_wording(
    r"(commits? the (?:offen[cs]e|crime) of (?:aggravated|qualified) traffick|(?:aggravated|qualified) traffick\w*(?: in persons)? "
    r"(?:is|shall be) (?:committed|punish)|comete (?:el )?delito de trata agravada|traite aggravée (?:est|sera))")


def _aggravated_offences(found: list[tuple], frames: list[OffenceFrame]) -> list[OffenceFrame]:
    """A named aggravated offence ("commits the offence of aggravated trafficking where— (a) the victim is a child")
    takes the elements of the basic offence of its law and has its own penalty."""
    out = []
    for doc, sec, units, pieces, full in found:
        base = next((f for f in frames if f.source == doc.source and f.kind == "trafficking"), None)
        if base is None:
            continue
        f = OffenceFrame(**{k: getattr(base, k) for k in base.__dataclass_fields__})
        f.citation, f.section, f.units = sec.citation, sec, units
        f.evidence, f.hits = dict(base.evidence), dict(base.hits)
        f.penalty = read_penalty(full)
        f.evidence["penalty"] = [pieces[0].evidence()] if pieces else []
        f.hits["penalty"] = _penalty_hits([p for p in pieces if W.IMPRISONMENT.search(normalise(p.text))][:1])
        f.aggravations = [" ".join(p.text.split())[:160] for p in pieces[1:]] or [" ".join(full.split())[:160]]
        f.note = f"an aggravated form of the offence in {base.citation}, whose elements it takes"
        out.append(f)
    return out


def _frames_from_definitions(defs: list[Definition], ctx: CorpusContext) -> list[OffenceFrame]:
    """Read the definition of trafficking as the offence when no provision creating it is in the text.

    A law may define trafficking in its interpretation article and punish it elsewhere (a code article
    it inserts, an article missing from the copy at hand).  The definition still says which acts, means
    and purposes count, whether consent matters and whether children need means; the frame says it was
    read from the definition, and it carries no penalty.
    """
    out = []
    for d in defs:
        if d.kind != "trafficking" or d.scope == "section":
            continue
        dtext = normalise(d.text)
        acts = [a for a, pat in W.ACTS.items() if compile_pattern(pat).search(dtext)]
        if len(acts) < 2 or not re.search(r"(exploit|explot|purpose|fins?\b|fines\b)", dtext):
            continue
        units = [p.unit for p in d.pieces if p.unit is not None]
        f = _read_frame(d.doc, d.section, units, d.pieces, d.pieces, defs, ctx, False, tdef=d)
        f.citation = d.citation
        f.note = "; ".join(x for x in ("read from the definition: no provision of the text makes it an offence", f.note) if x)
        out.append(f)
    return out


def _mark_children_needing_means(frames: list[OffenceFrame]) -> list[OffenceFrame]:
    """Mark means-based offences whose means also bind child victims, read across the whole corpus
    (and child offences that stand beside a general one, which narrow nothing).

    A frame alone says "children: n/a" when its offence has no child limb; whether that narrows
    Article 3(c) depends on the other offences: a separate child offence without means (Malaysia's
    s. 14 beside s. 13) cures it, nothing else does. Without this the offence table would show
    "none found" beside an offence that requires force or fraud against a child.
    """
    trafficking = [f for f in frames if f.kind in ("trafficking", "child_trafficking", "old_style")]
    spared = any(f.means_required_children is False or (f.kind == "child_trafficking" and not f.means_required_adults
                                                         and f.means_required_children is not True)
                 or (f.means_required_adults is False and f.victims in ("any_person", "children", "women_and_children"))
                 for f in trafficking)
    if not spared:
        for f in trafficking:
            if f.means_required_adults and f.means_required_children is None and f.victims != "women":
                f.children_need_means = True
    if any(f.victims == "any_person" and f.kind != "old_style" for f in trafficking):
        for f in trafficking:
            f.beside_general_offence = f.kind == "child_trafficking" and f.victims == "children"
    return frames


def _separate_child_offence(sec: Provision, conduct: list[_Piece]) -> list[_Piece]:
    """A paragraph of the offence that makes trafficking in children an offence of its own, with its own penalty.

    ("II. - La traite des êtres humains à l'égard d'un mineur est constituée même si ... Elle est punie de
    dix ans"): a separate child offence, read as its own frame; a child limb without its own penalty stays
    part of the one offence.
    """
    groups: dict[int, list[_Piece]] = {}
    for p in conduct:
        if p.unit is None or p.unit.provision is sec:
            continue
        top = p.unit.provision
        while top.parent is not None and top.parent is not sec:
            top = top.parent
        if top.parent is sec:
            groups.setdefault(id(top), []).append(p)
    ordered = list(groups.values())
    for group in ordered[1:]:
        head = _mask_not_conduct(normalise(group[0].text))
        if re.search(W.CHILD_WORDS, head) and any(W.IMPRISONMENT.search(normalise(p.text)) for p in group):
            return group
    return []


_TWO_LIMBS = compile_wording(r"(?:\btrafic\b.{0,40}\btraite\b|\btraite\b.{0,40}\btrafic\b|\btráfico\b.{0,40}\btrata\b|\btrata\b.{0,40}\btráfico\b)")


def _limbs(ctext: str, doc: Document, sec: Provision, defs: list[Definition]) -> list[tuple[str, Definition]]:
    """One offence that punishes two defined conducts alike ("le trafic ou la traite des personnes").

    Each limb is read with its own definition: the movement-for-gain limb (trafic, close to migrant
    smuggling) and the exploitation limb (traite).  Returns [] when the offence has one conduct.
    """
    if not _TWO_LIMBS.search(ctext):
        return []
    traite = _applicable(defs, "trafficking", doc, sec)
    trafic = _applicable(defs, "trafic", doc, sec)
    if traite is None and trafic is None:
        # the same words defined by another law of the corpus (a code punishing what a special law defines)
        traite = next((d for d in defs if d.kind == "trafficking" and d.doc is not doc and d.scope == "act"), None)
        trafic = next((d for d in defs if d.kind == "trafic" and d.doc is not doc and d.scope == "act"), None)
    if traite is None or trafic is None:
        return []
    return [("trafficking", traite), ("smuggling", trafic)]


def _parallel_limbs(frames: list[OffenceFrame], ctx: CorpusContext) -> list[OffenceFrame]:
    """An offence that punishes two undefined terms ("trafficking in persons or slavery") read through a parallel text.

    Bilingual jurisdictions enact the same offence in two instruments or languages.  When another
    document of the corpus punishes two *defined* conducts in one provision with the very same
    penalty, the two provisions are the same offence: the terms are matched limb by limb in the order
    the provisions state them (not by translating words, which maps "traite" to "trafficking" and gets
    Cameroon's English Code backwards), and each limb takes its definition from the parallel text.
    """
    out: list[OffenceFrame] = []
    for f in frames:
        ctext = _mask_not_conduct(normalise(" ".join(u.text for u in f.units)))
        m = _DISJUNCTION.search(ctext)
        if f.definition is not None or m is None or f.penalty.max_years is None:
            out.append(f)
            continue
        smuggling = next((h.citation for h in frames if h.source != f.source and h.kind == "smuggling"), None)
        parallel = [g for g in frames if g.source != f.source and g.citation == smuggling]
        parallel = [g for g in parallel if (g.penalty.min_years, g.penalty.max_years) == (f.penalty.min_years, f.penalty.max_years)]
        if len(parallel) != 2:
            out.append(f)
            continue
        # the parallel provision's limbs in the order its text states them
        ptext = normalise(" ".join(u.text for u in parallel[0].units))
        order = sorted(parallel, key=lambda g: min([i for i in (ptext.find("trafic"), ptext.find("tráfico")) if i >= 0] or [0])
                       if g.kind == "smuggling" else min([i for i in (ptext.find("traite"), ptext.find("trata")) if i >= 0] or [0]))
        for term, g in zip((m.group(1), m.group(2)), order):
            limb = OffenceFrame(**{k: getattr(g, k) for k in g.__dataclass_fields__})
            limb.citation, limb.source, limb.section, limb.units = f.citation, f.source, f.section, f.units
            limb.penalty, limb.aggravations = f.penalty, f.aggravations
            limb.evidence = dict(g.evidence, penalty=f.evidence.get("penalty", []))
            limb.hits = dict(g.hits)
            limb.note = (f"'{term}' in {f.citation} answers to the limb of {g.citation} ({g.source.rsplit('/', 1)[-1]}) "
                         f"defined in {g.definition}: both provisions punish two conducts with the same penalty "
                         f"({f.penalty.min_years:g}-{f.penalty.max_years:g} years), matched in the order they state them")
            out.append(limb)
    return out


def _attach_penalty_sections(frames: list[OffenceFrame], sections: list[tuple[Document, Provision, list[Unit]]]) -> None:
    """A penalty set out in another section ("a person convicted under section 3 is liable to ...").

    The sections are indexed once by the numbers they cite, so that each offence looks only at the
    sections that cite it (not every section for every offence).
    """
    todo = [f for f in frames if not (f.penalty.max_years is not None or f.penalty.life or f.section is None)]
    if not todo:
        return
    texts: dict[int, str] = {}
    citing: dict[str, list[int]] = {}
    for k, (doc, sec, units) in enumerate(sections):
        text = normalise(" ".join(u.text for u in units))
        texts[k] = text
        for num in {_ref_num(m) for m in _REFERENCE.finditer(text)}:
            citing.setdefault(num, []).append(k)
    for f in todo:
        for k in citing.get(f.section.num.lower(), []):
            doc, sec, units = sections[k]
            if sec is f.section or doc.source != f.source:
                continue
            if W.IMPRISONMENT.search(texts[k]):
                f.penalty = read_penalty(texts[k])
                f.evidence["penalty"] = [_pieces_of(units)[0].evidence()]
                break


_REFERENCE = compile_wording(r"\b(?:sections?|articles?|art\.|s\.|artículos?)\s+(\d+[\w\-.]*(?:\s?(?:bis|ter))?|premier|primero|first)",
                        re.IGNORECASE)
