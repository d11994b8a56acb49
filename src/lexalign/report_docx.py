"""The report as a Word document, for drafters who work in Word and pass files, not links, around.

Same content as the Markdown and HTML reports, laid out as tables a drafter can edit and comment
on: a summary of counts, the offence read at a glance, one findings table per element group
(element, verdict, citation, the quoted words, what to add), and the red flags.  The file is
reproducible: the same report gives the same bytes (fixed dates in the package and its ZIP).
"""
from __future__ import annotations

import datetime
import io
import re
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

from .reference import protocol_wording
from .wording import group_title, words

if TYPE_CHECKING:
    from .report import Report

FIXED = datetime.datetime(2026, 1, 1, 0, 0, 0)

#: column labels of the Word tables (the other report wording comes from :mod:`lexalign.wording`)
_COLUMNS = {
    "en": {"element": "Element", "verdict": "Verdict", "citation": "Citation", "quote": "Quoted words",
           "add": "What to add", "findings": "Findings", "flag": "Red flag", "why": "Why", "none": "none",
           "count": "Count", "status": "Verdict", "no_flags": "No red flag was raised."},
    "fr": {"element": "Élément", "verdict": "Verdict", "citation": "Référence", "quote": "Termes cités",
           "add": "À ajouter", "findings": "Constats", "flag": "Signal d'alerte", "why": "Motif", "none": "aucun",
           "count": "Nombre", "status": "Verdict", "no_flags": "Aucun signal d'alerte."},
    "es": {"element": "Elemento", "verdict": "Veredicto", "citation": "Referencia", "quote": "Palabras citadas",
           "add": "Qué añadir", "findings": "Hallazgos", "flag": "Alerta", "why": "Motivo", "none": "ninguno",
           "count": "Número", "status": "Veredicto", "no_flags": "No se señaló ninguna alerta."},
}

#: cell shading per verdict (light tints of the HTML report's colours)
_SHADE = {"covered": "D7ECD9", "partial": "FFF1C2", "missing": "F6D5D5", "raised": "E8D6F0", "not_raised": "EEEEEE"}

_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _x(text: object) -> str:
    """Text Word can store: XML 1.0 refuses control characters, whatever a statute file held."""
    return _XML_BAD.sub("", str(text))


def _shade(cell, colour: str) -> None:
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls
    cell._tc.get_or_add_tcPr().append(parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="{colour}"/>'))


def _header_row(table, labels: list[str]) -> None:
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls
    row = table.rows[0]
    row._tr.get_or_add_trPr().append(parse_xml(f'<w:tblHeader {nsdecls("w")}/>'))  # repeated on each page
    for cell, label in zip(row.cells, labels):
        cell.text = ""
        cell.paragraphs[0].add_run(_x(label)).bold = True
        _shade(cell, "DDDDDD")


def _keep_together(row) -> None:
    """A row is not split across a page break (a quotation read in two halves misleads)."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls
    row._tr.get_or_add_trPr().append(parse_xml(f'<w:cantSplit {nsdecls("w")}/>'))


def _row(table):
    row = table.add_row()
    _keep_together(row)
    return row.cells


def _cell_lines(cell, lines: list[tuple[str, str]]) -> None:
    """Fill a cell with paragraphs; each line is (text, style) with style '', 'b', 'i' or 'small'."""
    from docx.shared import Pt
    first = True
    for text, style in lines:
        para = cell.paragraphs[0] if first else cell.add_paragraph()
        first = False
        run = para.add_run(_x(text))
        run.bold = style == "b"
        run.italic = style in ("i", "small")
        if style == "small":
            run.font.size = Pt(8)


def _table(document, labels: list[str], widths_cm: list[float]):
    table = document.add_table(rows=1, cols=len(labels))
    table.style = "Table Grid"
    table.autofit = False
    _header_row(table, labels)
    _widths(table, widths_cm)
    return table


def _widths(table, widths_cm: list[float]) -> None:
    """Column widths in the grid (LibreOffice reads these) and in every cell (Word reads those)."""
    from docx.shared import Cm
    for col, width in zip(table.columns, widths_cm):
        col.width = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm):
            cell.width = Cm(width)


def build_document(report: "Report", lang: str = "en"):
    """A python-docx Document of the report (landscape A4: the offence table has nine columns)."""
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm, Pt

    from .report import offence_rows

    w, c = words(lang), _COLUMNS.get(lang, _COLUMNS["en"])
    several = len(report.documents) > 1  # name the file after each citation only when there are several
    document = docx.Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.8))
    document.styles["Normal"].font.size = Pt(10)
    props = document.core_properties
    props.title = _x(f"{w['report']}: {report._title()}")[:250]
    props.author = props.last_modified_by = "lexalign"
    props.created = props.modified = FIXED
    props.revision = 1

    document.add_heading(_x(w["report"]), level=0)
    document.add_paragraph(_x(report._title())).runs[0].bold = True
    for d in report.documents:
        document.add_paragraph(_x(f"{w['source']}: {Path(d['source']).name} ({d.get('language', '')}, "
                                  f"{d.get('format', '')})"), style="List Bullet")
    document.add_paragraph(_x(f"{w['provisions']}: {report.provisions}"), style="List Bullet")
    document.add_paragraph(_x(f"{w['model']}: {report.model}"), style="List Bullet")
    if w["language_note"]:
        document.add_paragraph().add_run(_x(w["language_note"])).italic = True

    # -- summary
    s = report.summary()
    counts = s["counts"]
    document.add_heading(_x(w["summary"]), level=1)
    table = _table(document, [c["status"], c["count"]], [6, 3])
    for status, label in (("covered", w["covered"]), ("partial", w["partial"]), ("missing", w["missing"]),
                          ("raised", w["red_flags"])):
        cells = _row(table)
        cells[0].text, cells[1].text = _x(label), str(counts.get(status, 0))
        _shade(cells[0], _SHADE[status])
    _widths(table, [6, 3])
    if s["mandatory_missing"]:
        para = document.add_paragraph()
        para.add_run(_x(w["mandatory_missing"] + ": ")).bold = True
        para.add_run(_x(", ".join(s["mandatory_missing"])))
    for note in report.notes:
        para = document.add_paragraph()
        para.add_run(_x(w["note"] + ": ")).bold = True
        para.add_run(_x(note))

    # -- the offence at a glance
    document.add_heading(_x(w["offence_table"]), level=1)
    if report.offences:
        widths = [3.4, 3.0, 3.6, 3.4, 2.6, 2.0, 2.2, 2.4, 3.5]
        table = _table(document, w["offence_cols"].split("|"), widths)
        for row in offence_rows(report.offences):
            for cell, value in zip(_row(table), row):
                _cell_lines(cell, [(value, "")])
        _widths(table, widths)
        for o in report.offences:
            if o.get("note"):
                document.add_paragraph(_x(f"{o['citation']}: {o['note']}"))
    else:
        document.add_paragraph(_x(w["no_offence"]))

    # -- findings, one table per group; red flags apart
    document.add_heading(_x(c["findings"]), level=1)
    flags = []
    widths = [5.0, 3.4, 3.0, 8.5, 6.2]
    for group, items in report._ordered():
        rows = [(e, f) for e, f in items if not e.is_flag]
        flags.extend((e, f) for e, f in items if e.is_flag)
        if not rows:
            continue
        document.add_heading(_x(group_title(group, lang)), level=2)
        table = _table(document, [c["element"], c["verdict"], c["citation"], c["quote"], c["add"]], widths)
        for e, f in rows:
            cells = _row(table)
            _cell_lines(cells[0], [(e.id, "b"), (e.definition, "small")])
            _cell_lines(cells[1], [(w[f.status], "b"), (f"{w.get(e.obligation, e.obligation)} · {e.article} · "
                                                       f"{w['confidence']} {f.confidence:.2f}", "small"),
                                   (f.rationale, "small")])
            _shade(cells[1], _SHADE.get(f.status, "FFFFFF"))
            _cell_lines(cells[2], [(_citation(ev, w, several), "") for ev in f.evidence] or [("—", "")])
            quotes = [(f"“{ev.quote}”", "") for ev in f.evidence]
            quotes += [(w["exception"].format(citation=ex.citation), "i") for ex in f.exceptions]
            _cell_lines(cells[3], quotes or [("—", "")])
            _cell_lines(cells[4], _what_to_add(e, f, w) or [("", "")])
        _widths(table, widths)

    document.add_heading(_x(w["red_flags"][:1].upper() + w["red_flags"][1:]), level=1)
    raised = [(e, f) for e, f in flags if f.status == "raised"]
    if raised:
        table = _table(document, [c["flag"], c["why"], c["citation"], c["quote"]], [6.0, 7.0, 3.0, 10.1])
        for e, f in raised:
            cells = _row(table)
            _cell_lines(cells[0], [(e.id, "b"), (e.definition, "small")])
            _shade(cells[0], _SHADE["raised"])
            _cell_lines(cells[1], [(f.rationale, "")])
            _cell_lines(cells[2], [(_citation(ev, w, several), "") for ev in f.evidence] or [("—", "")])
            _cell_lines(cells[3], [(f"“{ev.quote}”", "") for ev in f.evidence] or [("—", "")])
        _widths(table, [6.0, 7.0, 3.0, 10.1])
    else:
        document.add_paragraph(_x(c["no_flags"]))
    not_raised = [e.id for e, f in flags if f.status != "raised"]
    if not_raised:
        para = document.add_paragraph()
        para.add_run(_x(w["not_raised"] + ": ")).bold = True
        para.add_run(_x(", ".join(not_raised)))
    document.add_paragraph().add_run(_x(w["footer"])).italic = True
    return document


def _citation(ev, w, several: bool) -> str:
    page = f", {w['page']} {ev.page}" if ev.page else ""
    return f"{ev.citation}{page} ({Path(ev.source).name})" if ev.source and several else f"{ev.citation}{page}"


def _what_to_add(e, f, w) -> list[tuple[str, str]]:
    if f.status not in ("missing", "partial") or e.is_flag:
        return []
    out = []
    if e.drafting_note:
        out.append((e.drafting_note, ""))
    wording = protocol_wording(e)
    if wording and e.obligation == "mandatory" and f.status == "missing":
        out.append((f"{w['protocol']} ({e.article}): “{wording}”", "small"))
    return out


def reproducible_package(data: bytes) -> bytes:
    """The same OOXML package with every ZIP entry dated FIXED ([Content_Types].xml first, as Word writes)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in sorted(src.infolist(), key=lambda i: (i.filename != "[Content_Types].xml", i.filename)):
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()


def to_docx(report: "Report", lang: str = "en") -> bytes:
    """The .docx bytes of the report."""
    buf = io.BytesIO()
    build_document(report, lang).save(buf)
    return reproducible_package(buf.getvalue())
