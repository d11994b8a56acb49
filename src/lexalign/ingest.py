"""Turn a file into a :class:`~lexalign.models.Document`: text plus where it came from.

Formats are recognised by their content first (PDF and ZIP magic, XML root, HTML tags) and by
extension second, so a file that is not what its name says gets a clear error instead of garbage.  Every
reader returns the text that all later offsets refer to.
"""
from __future__ import annotations

import os
import re
import unicodedata
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

from .charsets import decode_declared, decoding_warnings
from .errors import InputError, UsageError
from .language import detect_language
from .models import Document

#: default refusal size for one input file (bytes); ``--max-size`` overrides it
DEFAULT_MAX_BYTES = 20_000_000

TEXT_SUFFIXES = {".txt", ".text", ".md", ""}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
XML_SUFFIXES = {".xml", ".akn"}
PDF_SUFFIXES = {".pdf"}
WORD_SUFFIXES = {".docx", ".docm", ".dotx"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | XML_SUFFIXES | PDF_SUFFIXES | WORD_SUFFIXES


def ingest(path: str | os.PathLike, max_bytes: int | None = DEFAULT_MAX_BYTES) -> Document:
    """Read ``path`` into a Document, or raise a one-line :class:`LexalignError`."""
    p = Path(path)
    if not p.exists():
        raise UsageError(f"{p}: no such file")
    if p.is_dir():
        raise UsageError(f"{p}: is a directory, not a statute file (use 'lexalign batch' for folders)")
    try:
        size = p.stat().st_size
        if max_bytes is not None and size > max_bytes:
            raise InputError(f"{p}: {size / 1e6:.1f} MB is larger than the {max_bytes / 1e6:.0f} MB limit; "
                             "pass --max-size to raise it")
        with open(p, "rb") as fh:
            data = fh.read()
    except PermissionError:
        raise InputError(f"{p}: permission denied") from None
    except OSError as exc:
        raise InputError(f"{p}: cannot be read ({exc.strerror or exc})") from None
    return ingest_bytes(data, source=str(p), suffix=p.suffix.lower())


def ingest_bytes(data: bytes, source: str = "<bytes>", suffix: str = ".txt") -> Document:
    """Read raw bytes whose format is told by content and, failing that, by ``suffix``."""
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise InputError(f"{source}: the file is empty")
    kind = sniff_format(data, suffix)
    if kind == "zip":
        from .ingest_docx import read_zip
        doc = read_zip(data, source)
    elif kind == "ole":
        from .ingest_docx import ole_message
        raise InputError(ole_message(data, source))
    elif kind == "rtf":
        raise InputError(f"{source}: a Rich Text (RTF) file, which cannot be read; save it as .docx or PDF and try again")
    elif kind == "pdf":
        doc = read_pdf(data, source)
    elif kind == "akn":
        doc = read_akoma_ntoso(data, source)
    elif kind == "html":
        doc = read_html(data, source)
    else:
        if suffix in PDF_SUFFIXES:
            raise InputError(f"{source}: named .pdf but is not a PDF file")
        if suffix in WORD_SUFFIXES or suffix == ".doc":
            raise InputError(f"{source}: named {suffix} but is not a Word file (a .docx is a ZIP archive); "
                             "open it in Word and save it as .docx again")
        doc = read_text(data, source)
    if not re.search(r"\w{2}", doc.text):
        raise InputError(f"{source}: no readable text found")
    doc.language = detect_language(doc.text)
    if not doc.title:
        doc.title = first_line(doc.text)
        doc.name = guess_title(doc.text)
    return doc


def sniff_format(data: bytes, suffix: str) -> str:
    """'zip', 'ole', 'rtf', 'pdf', 'akn', 'html' or 'text', from the bytes first and the file extension second.

    A ZIP (a .docx, stored or deflated) is told by its magic number whatever the file is called:
    read as text, a stored .docx shows its XML, and every cue in the markup would be a "finding".
    """
    from .ingest_docx import is_ole, is_zip
    if is_zip(data):
        return "zip"
    if is_ole(data):
        return "ole"
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if data[:1024].find(b"%PDF-") != -1:
        return "pdf"
    low = head.lower()
    if suffix in PDF_SUFFIXES:
        return "text"  # caller reports the mismatch
    if b"akomantoso" in data[:4096].lower().replace(b"_", b""):
        return "akn"
    if low.startswith(b"<?xml") or suffix in XML_SUFFIXES:
        if b"<html" in data[:4096].lower():
            return "html"
        return "akn"
    if low.startswith((b"<!doctype html", b"<html")) or suffix in HTML_SUFFIXES:
        return "html"
    return "text"


# ----------------------------------------------------------------------------- plain text

def decode_text(data: bytes, source: str = "<bytes>") -> str:
    """Decode bytes as UTF-8 (with or without BOM), UTF-16, or cp1252/Latin-1, in that order.

    UTF-8 is tried strictly first: text in cp1252 is almost never valid UTF-8, so a strict
    success is reliable.  UTF-16 without a BOM is recognised by its NUL bytes in alternate
    positions.  cp1252 is preferred to Latin-1 because Word exports use its curly quotes.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    sample = data[:4000]
    if len(sample) >= 4:
        even_nuls = sample[0::2].count(0)
        odd_nuls = sample[1::2].count(0)
        half = len(sample) / 2
        if odd_nuls > 0.3 * half and even_nuls < 0.05 * half:
            return data.decode("utf-16-le", errors="replace")
        if even_nuls > 0.3 * half and odd_nuls < 0.05 * half:
            return data.decode("utf-16-be", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if _looks_binary(data):
        raise InputError(f"{source}: not a text file (binary content); give a .txt, .pdf, .docx, .html or Akoma Ntoso .xml file")
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if not sample:
        return False
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    # stray NULs or bells from a bad export are cleaned, not refused; binary files are full of them
    return controls >= 3 and controls / len(sample) > 0.08


def clean_text(text: str) -> str:
    """Normalise line endings, drop NULs and control characters, keep every visible character.

    Unicode is put in NFC form so that "é" typed two ways matches the same cue.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text)
    # the categories of the distinct characters only (a few hundred), then one C-speed pass
    drop = {ord(ch): None for ch in set(text)
            if ch not in "\n\t\u00ad" and unicodedata.category(ch).startswith("C")}
    if drop:
        text = text.translate(drop)
    text = text.replace("\u00ad", "")  # soft hyphens
    text = text.replace("\t", " ").replace("\u00a0", " ")
    return text


def read_text(data: bytes, source: str) -> Document:
    text = decode_text(data, source)
    warnings = decoding_warnings(data, text)
    if "\x00" in text and text.count("\x00") > len(text) * 0.05:
        raise InputError(f"{source}: not a text file (binary content)")
    if _looks_binary(text.encode("utf-8", errors="ignore")[:8192]):
        raise InputError(f"{source}: not a text file (binary content); give a .txt, .pdf, .docx, .html or Akoma Ntoso .xml file")
    doc = Document(source=source, text=strip_markdown_emphasis(clean_text(text)), format="txt")
    doc.warnings.extend(warnings)
    return doc


_MD_BOLD_RE = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")


def strip_markdown_emphasis(text: str) -> str:
    """Drop Markdown bold marks (**"child"** means ...) so that definitions and numbers read as printed.

    Only when the marks come in pairs at least twice: a lone "**" is left as it is.  Heading marks
    ("### 118 Offence") stay: the segmenter reads them as layout evidence.
    """
    if len(_MD_BOLD_RE.findall(text[:200_000])) < 2:
        return text
    return _MD_BOLD_RE.sub(lambda m: m.group(2), text)


#: the name a statute gives itself ("This Act may be cited as the Counter-Trafficking in Persons Act, 2010")
_SHORT_TITLE = re.compile(r"\b(?:may|shall) be (?:cited|called|referred to) as (?:the )?[\"“']?(?P<name>[^\n;\"”]{4,160}?)"
                          r"[\"”']?(?:,? and shall\b|(?<!\bNo)\.(?:\s|$)|;|\n|$)", re.IGNORECASE)
_NAMES_A_LAW = re.compile(r"\b(?:act|law|code|bill|ordinance|decree|proclamation|statute|regulations?)\b", re.IGNORECASE)
#: lines above the title: the state, its motto, the gazette, the parliament, the date of issue, a table of contents
_ABOVE_TITLE = re.compile(
    r"^\W*(?:the\s+)?(?:(?:federal|united|democratic|islamic|people'?s|socialist|cooperative)\s+)*(?:republic|république|republique|república|"
    r"kingdom|royaume|reino|state of|commonwealth|principality|sultanate|emirate)\b"
    r"|^\W*(?:parliament|parlement|national assembly|assemblée nationale|senate|government|gouvernement|presidency|"
    r"official gazette|\w?\w?\w? ?[gGoO]azette|journal officiel|diario oficial|boletín oficial|boletin oficial|registered|extraordinary|"
    r"published by authority|supplement|explanatory memorandum|objects and reasons|arrangement of sections|"
    r"table of contents|contents|sommaire|índice|indice|acts, ordinances)\b"
    r"|^\W*(?:peace|paix|unity|unité|unidad|justice|liberty|freedom)\W+(?:[a-zà-ÿ]+\W*){1,3}$"
    r"|\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\b",
    re.IGNORECASE)
#: "Islamabad, the 1st June, 2018": the date of issue printed above the title
_DATE_LINE = re.compile(r"\b(?:january|february|march|april|may|june|july|august|september|october|november|december|"
                        r"janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre|"
                        r"enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre)\b"
                        r"\W+(?:\d{1,2}\W+)?(?:19|20)\d\d\b", re.IGNORECASE)
#: a title line that ends on one of these goes on to the next line
_JOINS = re.compile(r"(?:\b(?:of|the|and|on|to|for|in|against|relating|concerning|relative|de|du|des|la|le|les|et|"
                    r"contre|sur|y|e|el|los|las|del|a|an|with)|[,\-–—])\s*$", re.IGNORECASE)


def first_line(text: str) -> str:
    """The first substantial line: what the engine reads as the title when the file has none of its
    own (kept unchanged, the verdicts depend on it; the name shown to people is :func:`guess_title`)."""
    for line in text.splitlines():
        line = line.strip().lstrip("#").strip()
        if len(re.findall(r"[A-Za-zÀ-ÿ]", line)) >= 8:
            return line[:200]
    return ""


def guess_title(text: str) -> str:
    """The statute's name: the name it gives itself in its short-title clause, else its first line
    that is not the state, its motto, the gazette or a date above the title (a long title broken
    over two lines is joined)."""
    head = text[:6000]
    for m in _SHORT_TITLE.finditer(head):
        name = " ".join(m.group("name").split()).strip(" ,")
        if _NAMES_A_LAW.search(name):
            return name[:200]
    lines = []
    for line in text.splitlines()[:80]:
        line = " ".join(line.strip().lstrip("#").split())
        letters = len(re.findall(r"[A-Za-zÀ-ÿ]", line))
        if not line or _ABOVE_TITLE.search(line) or _DATE_LINE.search(line) and len(line.split()) <= 8:
            continue
        short_law = letters >= 3 and re.match(r"(?i)(?:ley|law|loi|act|decree|décret|decreto)\b.*\d", line)
        if (letters >= 8 and letters >= 0.5 * len(line.replace(" ", ""))) or short_law:
            lines.append(line)
        if len(lines) >= 3:
            break
    if not lines:
        return ""
    title = lines[0]
    for nxt in lines[1:]:
        if _JOINS.search(title) or re.match(r"(?:por|portant|relati\w*|on|to|for|concerning)\b", nxt):
            title = f"{title} {nxt}"
        else:
            break
    return title[:200]


# ----------------------------------------------------------------------------- HTML

_BLOCK_TAGS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "article",
               "blockquote", "pre", "table", "ul", "ol", "dd", "dt", "header", "footer", "td"}
_SKIP_TAGS = {"script", "style", "head", "noscript", "template", "svg", "nav"}


class _HTMLText(HTMLParser):
    """Collect the body text of an HTML page, one line per block element."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        if tag in _SKIP_TAGS:
            self.skip += 1
        if tag == "title":
            self._in_title = True
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in _SKIP_TAGS and self.skip:
            self.skip -= 1
        if tag == "title":
            self._in_title = False
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        if not self.skip:
            self.parts.append(re.sub(r"\s+", " ", data))


def read_html(data: bytes, source: str) -> Document:
    raw, declared, warnings = decode_declared(data, decode_text(data, source))
    parser = _HTMLText()
    try:
        parser.feed(raw)
        parser.close()
    except Exception as exc:  # html.parser is lenient; this is defensive
        raise InputError(f"{source}: HTML could not be parsed ({exc})") from None
    lines = [ln.strip() for ln in "".join(parser.parts).split("\n")]
    text = "\n".join(ln for ln in lines if ln)
    if not declared:  # the text, not the markup, tells whether the guess was plausible
        warnings.extend(decoding_warnings(data, text))
    doc = Document(source=source, text=clean_text(text), format="html", title=parser.title.strip()[:200])
    doc.warnings.extend(warnings)
    return doc


# ----------------------------------------------------------------------------- Akoma Ntoso

_AKN_HIER = {"part", "chapter", "title", "book", "division", "subpart", "section", "article",
             "subsection", "paragraph", "subparagraph", "clause", "subclause", "point", "item",
             "rule", "regulation", "alinea", "list", "level", "hcontainer", "preamble", "preface",
             "conclusions", "attachment"}


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


#: deeper nesting than any statute has; the reader below walks the tree recursively
MAX_XML_DEPTH = 200


def _xml_depth(root) -> int:
    """How deep the element tree goes, measured without recursion."""
    deepest, stack = 0, [(root, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        if depth > MAX_XML_DEPTH:
            break
        stack.extend((child, depth + 1) for child in node)
    return deepest


def read_akoma_ntoso(data: bytes, source: str) -> Document:
    """Read an Akoma Ntoso act: text in document order and its units with their eIds.

    The units are kept as ``native_structure`` so that segmentation uses the publisher's own
    structure instead of guessing it from numbering.
    """
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as exc:
        raise InputError(f"{source}: not well-formed XML ({exc})") from None
    except (UnicodeError, LookupError, ValueError) as exc:  # <?xml encoding="idna"?> and the like
        raise InputError(f"{source}: the XML declares an encoding that cannot be read "
                         f"({' '.join(str(exc).split())[:120]}); save it as UTF-8") from None
    if _local(root.tag) != "akomaNtoso":
        raise InputError(f"{source}: XML but not an Akoma Ntoso document (root <{_local(root.tag)}>)")
    depth = _xml_depth(root)
    if depth > MAX_XML_DEPTH:
        raise InputError(f"{source}: elements nested {depth} levels deep (more than {MAX_XML_DEPTH}); "
                         "an Akoma Ntoso act nests a few dozen levels at most")
    pieces: list[str] = []
    units: list[dict] = []
    pos = 0
    title = ""

    def emit(s: str) -> None:
        nonlocal pos
        s = " ".join(s.split())
        if not s:
            return
        pieces.append(s + "\n")
        pos += len(s) + 1

    def visit(node, depth: int) -> None:
        nonlocal title
        name = _local(node.tag)
        if name in ("meta",):
            return
        unit = None
        if name in _AKN_HIER and (node.get("eId") or node.get("id")):
            unit = {"eid": node.get("eId") or node.get("id"), "kind": name, "num": "", "heading": "",
                    "start": pos, "end": pos, "depth": depth}
            units.append(unit)
        if name in ("num", "heading", "subheading"):
            text = "".join(node.itertext())
            if units:
                owner = units[-1]
                if name == "num" and not owner["num"]:
                    owner["num"] = " ".join(text.split())
                elif name == "heading" and not owner["heading"]:
                    owner["heading"] = " ".join(text.split())
            emit(text)
            return
        if name in ("p", "docTitle", "longTitle", "intro", "wrapUp", "content", "tblock") and len(node) == 0:
            emit(node.text or "")
        elif name in ("p", "docTitle", "shortTitle", "longTitle"):
            text = "".join(node.itertext())
            if name in ("docTitle", "shortTitle") and not title:
                title = " ".join(text.split())
            emit(text)
            return
        else:
            if node.text and node.text.strip() and name not in _AKN_HIER:
                emit(node.text)
            for child in node:
                visit(child, depth + (1 if unit else 0))
                if child.tail and child.tail.strip():
                    emit(child.tail)
        if unit is not None:
            unit["end"] = pos

    visit(root, 0)
    text = "".join(pieces)
    if not text.strip():
        raise InputError(f"{source}: Akoma Ntoso document has no text")
    return Document(source=source, text=text, format="akn", title=title, native_structure=units)


# ----------------------------------------------------------------------------- PDF


def read_pdf(data: bytes, source: str) -> Document:
    """A PDF's text layer, cleaned for legal structure (:mod:`lexalign.ingest_pdf`)."""
    from .ingest_pdf import read_pdf as _read
    return _read(data, source)
