"""Read a Word .docx (a ZIP of WordprocessingML parts) into the text a statute file would hold.

Bills are drafted in Word, and Word keeps a list number ("4.", "(a)", "(iii)") in numbering.xml,
not in the paragraph text: a reader that drops it gives the segmenter unnumbered paragraphs, and
a bill checked as .docx would then read differently from the same bill saved as .txt.  So each
numbered paragraph gets its label back, computed the way Word counts: per list, per level, deeper
levels restarting when a higher level moves on.  Headings and table cells become lines of their
own, deleted tracked changes and hidden text are left out, inserted ones kept.

The file comes from a user (or the workbench's upload form): the ZIP's declared sizes are checked
before anything is decompressed, and an XML part that declares a DOCTYPE or entities is refused
rather than expanded.
"""
from __future__ import annotations

import io
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from xml.etree import ElementTree

from .errors import InputError
from .models import Document

#: magic numbers: a ZIP local file header / empty archive, and an OLE2 compound file (.doc, encrypted .docx)
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

#: most uncompressed bytes read from one .docx (all parts together); a real bill's document.xml is a few MB
MAX_UNCOMPRESSED = 200_000_000
#: a part that inflates more than this many times its compressed size is a zip bomb, not a document
MAX_RATIO = 200


def is_zip(data: bytes) -> bool:
    return data[:4] in ZIP_MAGIC


def is_ole(data: bytes) -> bool:
    return data[:8] == OLE_MAGIC


def ole_message(data: bytes, source: str) -> str:
    """Why an OLE2 file cannot be read: an encrypted .docx and an old binary .doc look alike."""
    if "EncryptedPackage".encode("utf-16-le") in data[:2_000_000] or b"EncryptedPackage" in data[:2_000_000]:
        return f"{source}: the Word file is password-protected; remove the password in Word and save it again"
    return (f"{source}: an old binary Word (.doc) or other Office file, which cannot be read; "
            "save it as .docx (Word: File > Save As > Word Document) or as PDF and try again")


# ----------------------------------------------------------------------------- the archive

def open_package(data: bytes, source: str) -> zipfile.ZipFile:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise InputError(f"{source}: a damaged or truncated ZIP/Word file that cannot be opened") from None
    return zf


def is_word_package(zf: zipfile.ZipFile) -> bool:
    names = set(zf.namelist())
    return "word/document.xml" in names or _main_part(zf) is not None


def _main_part(zf: zipfile.ZipFile) -> str | None:
    """The officeDocument part named in _rels/.rels (usually word/document.xml)."""
    try:
        rels = _read_xml(zf, "_rels/.rels", "<rels>")
    except InputError:
        return None
    if rels is None:
        return None
    for rel in rels:
        if _local(rel.tag) == "Relationship" and rel.get("Type", "").endswith("/officeDocument"):
            target = rel.get("Target", "").lstrip("/")
            if target in zf.namelist() and target.endswith(".xml"):
                return target
    return None


def _check_sizes(zf: zipfile.ZipFile, names: list[str], source: str) -> None:
    total = 0
    for name in names:
        info = zf.getinfo(name)
        if info.flag_bits & 0x1:
            raise InputError(f"{source}: the Word file's parts are encrypted; save it without a password and try again")
        total += info.file_size
        if info.file_size > 1_000_000 and info.file_size > MAX_RATIO * max(1, info.compress_size):
            raise InputError(f"{source}: refused: {name} would inflate {info.file_size // max(1, info.compress_size)}"
                             " times (a zip bomb, not a Word document)")
    if total > MAX_UNCOMPRESSED:
        raise InputError(f"{source}: refused: the Word file's text parts come to {total / 1e6:.0f} MB uncompressed, "
                         f"more than the {MAX_UNCOMPRESSED / 1e6:.0f} MB a document needs")


_DOCTYPE_RE = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.I)


def _read_xml(zf: zipfile.ZipFile, name: str, source: str) -> ElementTree.Element | None:
    """Parse one part, refusing DTDs and entity declarations (billion laughs, external entities)."""
    if name not in zf.namelist():
        return None
    info = zf.getinfo(name)
    try:
        with zf.open(info) as fh:
            raw = fh.read(MAX_UNCOMPRESSED + 1)
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError) as exc:
        detail = "encrypted" if "encrypt" in str(exc).lower() or "password" in str(exc).lower() else "damaged"
        raise InputError(f"{source}: {name} in the Word file is {detail} and cannot be read") from None
    if len(raw) > MAX_UNCOMPRESSED:
        raise InputError(f"{source}: refused: {name} is larger than {MAX_UNCOMPRESSED / 1e6:.0f} MB uncompressed")
    if _DOCTYPE_RE.search(raw[:65536]) or b"<!ENTITY" in raw:
        raise InputError(f"{source}: refused: {name} declares a DOCTYPE or entities, which Word never writes")
    try:
        return ElementTree.fromstring(raw)
    except ElementTree.ParseError as exc:
        raise InputError(f"{source}: {name} in the Word file is not well-formed XML ({exc})") from None


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _attr(el: ElementTree.Element | None, name: str, default: str | None = None) -> str | None:
    """A WordprocessingML attribute by local name (w:val, w:ilvl...), whatever the namespace."""
    if el is None:
        return default
    for key, value in el.attrib.items():
        if key == name or key.endswith("}" + name):
            return value
    return default


def _child(el: ElementTree.Element | None, name: str) -> ElementTree.Element | None:
    if el is None:
        return None
    for c in el:
        if _local(c.tag) == name:
            return c
    return None


def _children(el: ElementTree.Element | None, name: str) -> list[ElementTree.Element]:
    return [c for c in el if _local(c.tag) == name] if el is not None else []


def _int(value: str | None, default: int | None = None) -> int | None:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _on(el: ElementTree.Element | None) -> bool:
    """A toggle property (<w:vanish/>, <w:vanish w:val="false"/>)."""
    return el is not None and _attr(el, "val", "true") not in ("false", "0", "off")


# ----------------------------------------------------------------------------- list numbering

@dataclass
class Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = ""
    restart: int | None = None  # None: after any higher level; 0: never; n: after level n (1-based)
    legal: bool = False
    style: str | None = None


@dataclass
class ListDef:
    """One w:num: the abstract list it counts in and its start overrides."""

    abstract: str
    overrides: dict[int, int] = field(default_factory=dict)
    levels: dict[int, Level] = field(default_factory=dict)


def _read_level(lvl: ElementTree.Element) -> Level:
    restart = _child(lvl, "lvlRestart")
    return Level(start=_int(_attr(_child(lvl, "start"), "val"), 0) or 0,
                 fmt=_attr(_child(lvl, "numFmt"), "val", "decimal") or "decimal",
                 text=_attr(_child(lvl, "lvlText"), "val", "") or "",
                 restart=_int(_attr(restart, "val")) if restart is not None else None,
                 legal=_on(_child(lvl, "isLgl")),
                 style=_attr(_child(lvl, "pStyle"), "val"))


class Numbering:
    """Word's list counters, advanced paragraph by paragraph as Word does when it lays out the text."""

    def __init__(self, root: ElementTree.Element | None, styles: "Styles") -> None:
        self.abstracts: dict[str, dict[int, Level]] = {}
        self.style_links: dict[str, str] = {}  # abstractNum -> numbering style it takes its levels from
        self.nums: dict[str, ListDef] = {}
        self.styles = styles
        self.counters: dict[str, dict[int, int]] = {}
        self._started: set[str] = set()
        if root is None:
            return
        for a in _children(root, "abstractNum"):
            aid = _attr(a, "abstractNumId", "")
            self.abstracts[aid] = {_int(_attr(lvl, "ilvl"), 0) or 0: _read_level(lvl) for lvl in _children(a, "lvl")}
            link = _attr(_child(a, "numStyleLink"), "val")
            if link:
                self.style_links[aid] = link
        for n in _children(root, "num"):
            nid = _attr(n, "numId", "")
            ld = ListDef(_attr(_child(n, "abstractNumId"), "val", "") or "")
            for o in _children(n, "lvlOverride"):
                ilvl = _int(_attr(o, "ilvl"), 0) or 0
                so = _child(o, "startOverride")
                if so is not None:
                    ld.overrides[ilvl] = _int(_attr(so, "val"), 1) or 0
                lvl = _child(o, "lvl")
                if lvl is not None:
                    ld.levels[ilvl] = _read_level(lvl)
            self.nums[nid] = ld

    def _abstract_of(self, num_id: str, depth: int = 0) -> tuple[str, dict[int, Level]]:
        ld = self.nums.get(num_id)
        if ld is None:
            return "", {}
        aid = ld.abstract
        link = self.style_links.get(aid)
        if link and depth < 4:  # a list that takes its levels from a numbering style
            linked = self.styles.num_pr(link)
            if linked and linked[0] != num_id:
                return self._abstract_of(linked[0], depth + 1)
        return aid, self.abstracts.get(aid, {})

    def level_of_style(self, num_id: str, style: str) -> int | None:
        _, levels = self._abstract_of(num_id)
        for i, lvl in levels.items():
            if lvl.style == style:
                return i
        return None

    def label(self, num_id: str, ilvl: int) -> str:
        """Advance the counter of (list, level) and return the label Word prints, "" for bullets."""
        if num_id not in self.nums or num_id == "0":
            return ""
        ld = self.nums[num_id]
        aid, levels = self._abstract_of(num_id)
        levels = {**levels, **ld.levels}
        if ilvl not in levels:
            return ""
        counters = self.counters.setdefault(aid or num_id, {})
        if num_id not in self._started:
            self._started.add(num_id)
            for lv, start in ld.overrides.items():  # a w:num that restarts the list
                counters[lv] = start - 1
                for deeper in [d for d in counters if d > lv]:
                    del counters[deeper]
        lvl = levels[ilvl]
        counters[ilvl] = counters[ilvl] + 1 if ilvl in counters else lvl.start
        for d in [d for d in counters if d > ilvl]:
            restart = levels[d].restart if d in levels else None
            if restart is None or (restart != 0 and ilvl < restart):
                del counters[d]
        if lvl.fmt in ("bullet", "none"):
            return ""

        def sub(m: re.Match) -> str:
            k = int(m.group(1)) - 1
            other = levels.get(k, Level())
            value = counters.get(k, other.start)
            fmt = "decimal" if lvl.legal and other.fmt not in ("bullet", "none") else other.fmt
            return format_number(value, fmt)
        return re.sub(r"%([1-9])", sub, lvl.text).strip()


_ROMAN = [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"),
          (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]


def roman(n: int) -> str:
    out = ""
    for value, letters in _ROMAN:
        while n >= value:
            out += letters
            n -= value
    return out


def format_number(n: int, fmt: str) -> str:
    """A counter in one of Word's number formats (the ones statutes use; others print as decimals)."""
    if fmt in ("lowerLetter", "upperLetter"):
        if n <= 0:
            return str(n)
        letter = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)  # Word: y, z, aa, bb
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in ("lowerRoman", "upperRoman"):
        r = roman(n) if n > 0 else str(n)
        return r.upper() if fmt == "upperRoman" else r
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "ordinal":
        suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
        return f"{n}{suffix}"
    return str(n)


# ----------------------------------------------------------------------------- styles

class Styles:
    """Paragraph styles: the numbering and heading level a paragraph inherits from its style."""

    def __init__(self, root: ElementTree.Element | None) -> None:
        self.by_id: dict[str, ElementTree.Element] = {}
        self.default: str | None = None
        if root is None:
            return
        for s in _children(root, "style"):
            sid = _attr(s, "styleId")
            if sid:
                self.by_id[sid] = s
                if _attr(s, "type") == "paragraph" and _attr(s, "default") in ("1", "true"):
                    self.default = sid

    def _chain(self, sid: str | None):
        seen = set()
        while sid and sid in self.by_id and sid not in seen:
            seen.add(sid)
            yield sid, self.by_id[sid]
            sid = _attr(_child(self.by_id[sid], "basedOn"), "val")

    def num_pr(self, sid: str | None) -> tuple[str, int | None] | None:
        for _, s in self._chain(sid):
            np = _child(_child(s, "pPr"), "numPr")
            if np is not None:
                nid = _attr(_child(np, "numId"), "val")
                if nid is not None:
                    return nid, _int(_attr(_child(np, "ilvl"), "val"))
        return None

    def is_heading(self, sid: str | None) -> bool:
        for _, s in self._chain(sid):
            name = (_attr(_child(s, "name"), "val") or "").lower()
            if name.startswith("heading") or name in ("title", "subtitle"):
                return True
            if _child(_child(s, "pPr"), "outlineLvl") is not None:
                return _int(_attr(_child(_child(s, "pPr"), "outlineLvl"), "val"), 9) < 9
        return False


# ----------------------------------------------------------------------------- the text

_SKIP = {"del", "moveFrom", "delText", "instrText", "pPr", "rPr", "Fallback", "sectPr", "footnoteReference",
         "endnoteReference", "commentReference", "delInstrText", "bookmarkStart", "bookmarkEnd", "proofErr"}


@dataclass
class Para:
    text: str
    heading: bool = False
    label: str = ""


class _Reader:
    def __init__(self, numbering: Numbering, styles: Styles) -> None:
        self.numbering = numbering
        self.styles = styles
        self.paras: list[Para] = []

    def block(self, el: ElementTree.Element) -> None:
        """A block container (body, table cell, content control): paragraphs and tables in order."""
        for c in el:
            name = _local(c.tag)
            if name == "p":
                self.paragraph(c)
            elif name == "tbl":
                for row in _children(c, "tr"):
                    for cell in row:
                        if _local(cell.tag) == "tc":
                            self.block(cell)
                        elif _local(cell.tag) in ("sdt", "customXml"):
                            for inner in cell.iter():
                                if _local(inner.tag) == "tc":
                                    self.block(inner)
            elif name in _SKIP or name in ("tblPr", "tblGrid", "sdtPr", "sdtEndPr"):
                continue
            else:  # sdt, sdtContent, customXml, ins, AlternateContent...
                self.block(c)

    def paragraph(self, p: ElementTree.Element) -> None:
        ppr = _child(p, "pPr")
        style = _attr(_child(ppr, "pStyle"), "val") or self.styles.default
        boxes: list[ElementTree.Element] = []
        parts: list[str] = []
        self._runs(p, parts, boxes)
        text = "".join(parts)
        heading = self.styles.is_heading(style) or (
            _int(_attr(_child(ppr, "outlineLvl"), "val"), 9) < 9)
        label = self._label(ppr, style)
        if label:
            if " ".join(text.split()).startswith(label):
                label = ""  # the number is typed as well as listed: print it once
            elif text.strip():
                text = f"{label} {text.lstrip()}"
            else:
                text = label
        self.paras.append(Para(text, heading, label))
        for box in boxes:
            self.block(box)

    def _label(self, ppr: ElementTree.Element | None, style: str | None) -> str:
        np = _child(ppr, "numPr")
        num_id = ilvl = None
        if np is not None:
            num_id = _attr(_child(np, "numId"), "val")
            ilvl = _int(_attr(_child(np, "ilvl"), "val"))
        if num_id is None:
            inherited = self.styles.num_pr(style)
            if inherited:
                num_id = inherited[0]
                if ilvl is None:
                    ilvl = inherited[1]
        if num_id is None or num_id == "0":
            return ""
        if ilvl is None:
            ilvl = self.numbering.level_of_style(num_id, style or "") or 0
        return self.numbering.label(num_id, ilvl)

    def _runs(self, el: ElementTree.Element, parts: list[str], boxes: list[ElementTree.Element]) -> None:
        for c in el:
            name = _local(c.tag)
            if name in _SKIP:
                continue
            if name == "r" and _on(_child(_child(c, "rPr"), "vanish")):
                continue  # hidden text is not printed
            if name == "t":
                parts.append(c.text or "")
            elif name in ("tab", "ptab"):
                parts.append(" ")
            elif name in ("br", "cr"):
                parts.append("\n" if _attr(c, "type") not in ("page", "column") else " ")
            elif name == "noBreakHyphen":
                parts.append("-")
            elif name == "sym":
                char = _attr(c, "char") or ""
                try:
                    parts.append(chr(int(char, 16)) if char and int(char, 16) < 0xF000 else "")
                except ValueError:
                    pass
            elif name == "txbxContent":
                boxes.append(c)
            elif name == "p":  # a paragraph nested where runs were expected (text box content)
                boxes.append(c)
            else:
                self._runs(c, parts, boxes)


_BARE_NUMBER_HEADING = re.compile(r"^\d{1,4}[A-Z]{0,2}\s+[^\W\d]")


def docx_text(zf: zipfile.ZipFile, source: str) -> tuple[str, list[str]]:
    """The text of a Word package (one line per paragraph, list numbers printed, headings set apart)
    and warnings about what the text leaves out: tracked changes read as accepted, footnotes."""
    main = _main_part(zf) or "word/document.xml"
    folder = posixpath.dirname(main)
    numbering_name, styles_name = f"{folder}/numbering.xml", f"{folder}/styles.xml"
    rels = _read_xml(zf, f"{folder}/_rels/{posixpath.basename(main)}.rels", source)
    for rel in (rels if rels is not None else []):
        kind, target = rel.get("Type", ""), rel.get("Target", "")
        path = posixpath.normpath(posixpath.join(folder, target)) if not target.startswith("/") else target.lstrip("/")
        if kind.endswith("/numbering"):
            numbering_name = path
        elif kind.endswith("/styles"):
            styles_name = path
    present = [n for n in (main, numbering_name, styles_name) if n in zf.namelist()]
    _check_sizes(zf, present, source)
    doc = _read_xml(zf, main, source)
    if doc is None:
        raise InputError(f"{source}: a ZIP file but not a Word document (no word/document.xml)")
    styles = Styles(_read_xml(zf, styles_name, source))
    numbering = Numbering(_read_xml(zf, numbering_name, source), styles)
    body = _child(doc, "body")
    if body is None:
        raise InputError(f"{source}: the Word document has no body")
    reader = _Reader(numbering, styles)
    reader.block(body)
    warnings = []
    counts = {"ins": 0, "del": 0, "footnoteReference": 0, "endnoteReference": 0}
    for el in body.iter():
        name = _local(el.tag)
        if name in counts:
            counts[name] += 1
    if counts["ins"] or counts["del"]:
        warnings.append(f"the Word file has tracked changes ({counts['ins']} insertions, {counts['del']} deletions): "
                        "it was read as if they were all accepted")
    notes = counts["footnoteReference"] + counts["endnoteReference"]
    if notes:
        warnings.append(f"the Word file's {notes} footnote(s)/endnote(s) were not read: the verdicts rest on the body text")
    lines: list[str] = []
    for i, para in enumerate(reader.paras):
        text = para.text.strip()
        if para.heading and lines and lines[-1] and not reader.paras[i - 1].heading:
            lines.append("")  # a blank line before a heading, as a typed statute has
        if para.heading and _BARE_NUMBER_HEADING.match(text):
            # "4 Trafficking in persons" styled as a heading (numbered "%1", no full stop): the
            # Markdown form of such a heading is what the segmenter reads as a section heading
            text = "### " + text
        lines.append(text)
    return "\n".join(lines), warnings


def read_zip(data: bytes, source: str) -> Document:
    """A ZIP archive: a Word .docx is read, anything else (an .odt, a folder zipped) refused."""
    from .ingest import clean_text
    zf = open_package(data, source)
    with zf:
        if not is_word_package(zf):
            names = set(zf.namelist())
            if "content.xml" in names and "mimetype" in names:
                raise InputError(f"{source}: an OpenDocument file (.odt), which cannot be read; "
                                 "save it as .docx or PDF and try again")
            raise InputError(f"{source}: a ZIP archive but not a Word document (no word/document.xml); "
                             "give a .docx, .txt, .pdf, .html or Akoma Ntoso .xml file")
        text, warnings = docx_text(zf, source)
    return Document(source=source, text=clean_text(text), format="docx", warnings=warnings)
