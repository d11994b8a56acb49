"""One national corpus through the engine: units -> element rules -> cue counts -> similarities.

Data flows one way: :mod:`lexalign.units` (units and anchoring) -> :mod:`lexalign.frames` (how the
offence reads) -> :mod:`lexalign.elements` and :mod:`lexalign.flags` -> :mod:`lexalign.decision`.
"""
from __future__ import annotations

from .budget import check_deadline
from .decision import attach_similarities, decide
from .elements import run_rules
from .frames import extract_frames
from .lexical import cue_matches
from .models import Document, Element
from .segment import segment
from .units import CorpusContext, build_units, is_trafficking_statute

def analyse(docs: list[Document], model: str | None = None, use_embeddings: bool = True) -> CorpusContext:
    """Segment, anchor, embed and run every element rule over one national corpus."""
    trees = [segment(d) for d in docs]
    units = build_units(docs, trees)
    ctx = CorpusContext(docs=docs, units=units, statute=any(is_trafficking_statute(d) for d in docs))
    check_deadline()
    ctx.frames = extract_frames(ctx)
    check_deadline()
    run_rules(ctx)
    check_deadline()
    # catalogue cue counts on anchored text (lemmas, per document language)
    for d in docs:
        # per provision language: a bilingual statute is lemmatised with each language's tables
        by_lang: dict[str, list[str]] = {}
        for u in units:
            if u.doc is d and (u.anchored or ctx.statute):
                by_lang.setdefault(u.provision.language or d.language, []).append(u.text)
        for lang, texts in sorted(by_lang.items()):
            for eid, n in cue_matches("\n".join(texts), lang if lang in ("en", "fr", "es") else "en").items():
                ctx.cue_counts[eid] = ctx.cue_counts.get(eid, 0) + n
    if use_embeddings and units:
        check_deadline()
        attach_similarities(ctx, model)
    return ctx


def check(docs: list[Document], model: str | None = None, elements: list[Element] | None = None,
          use_embeddings: bool = True) -> "Report":
    from .report import Report
    ctx = analyse(docs, model=model, use_embeddings=use_embeddings)
    findings = decide(ctx, elements)
    from .why import attach_candidates
    attach_candidates(ctx, findings)
    from .embed import model_id
    return Report.build(docs, ctx, findings, model=model_id(model))
