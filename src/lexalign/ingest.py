"""Turn a file into a :class:`~lexalign.models.Document`: text plus where it came from.

Formats are recognised by their content first (PDF and ZIP magic, XML root, HTML tags) and by
extension second, so a file that is not what its name says gets a clear error instead of garbage.  Every
reader returns the text that all later offsets refer to.
"""
from __future__ import annotations

import itertools
import os
import re
import threading
import unicodedata
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

from .budget import check_deadline
from .charsets import decode_declared, decoding_warnings
from .errors import InputError, LexalignError, UsageError
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
    """Read a PDF's text layer, cleaned for legal structure.

    Running headers and footers (lines repeated at the top or bottom of most pages) and bare page
    numbers are removed; words at line ends split by a hyphen are joined; characters doubled by
    fake-bold printing are removed; side notes in the margin are kept as a heading line placed
    before the line they stand beside, which is where a statute's marginal note belongs.

    The words and their boxes come from PDFium (``pypdfium2``, which pdfplumber itself depends
    on): it reads a page's text in C, and only each word's first and last characters are asked
    for their boxes, so a page costs milliseconds.  pdfplumber built a Python object for every
    character, about 30 ms a page, and 4,000 pages took two minutes and 1.4 GB (issue 22).  The
    layout work (body column, side notes, lines, running heads, hyphenation) is this module's own
    and reads the words the same way whichever library found them.  pdfplumber remains the reader
    for what PDFium cannot open (its errors name a password or damage precisely) and for a page
    whose text PDFium cannot index.
    """
    try:
        import pypdfium2  # noqa: F401
    except ImportError:  # pragma: no cover - pdfplumber depends on it
        return _read_pdf_pdfplumber(data, source)
    with _PDFIUM_LOCK:  # PDFium is not thread-safe; the workbench reads uploads in threads
        try:
            import pypdfium2 as pdfium
            pdf = pdfium.PdfDocument(data)
        except Exception:
            return _read_pdf_pdfplumber(data, source)
        try:
            n_pages = len(pdf)
            page_lines: list[list[str]] = []
            failed_pages: list[int] = []
            any_chars = False
            fallback = None
            for index in range(n_pages):
                check_deadline()
                try:
                    page = pdf[index]
                    try:
                        words, had_chars = _pdfium_words(page)
                        width = page.get_width()
                    finally:
                        page.close()
                    if words is None:  # text PDFium cannot index char by char: this page through pdfplumber
                        fallback = fallback or _open_pdfplumber(data, source)
                        lines, had_chars = _pdf_page_lines(fallback.pages[index])
                    else:
                        lines = _page_lines_from_words(words, width)
                except LexalignError:
                    raise
                except Exception:
                    failed_pages.append(index + 1)
                    lines, had_chars = [], False
                any_chars = any_chars or had_chars
                page_lines.append(lines)
        finally:
            pdf.close()
            if fallback is not None:
                fallback.close()
    return _pdf_document(page_lines, failed_pages, any_chars, n_pages, source)


_PDFIUM_LOCK = threading.Lock()
#: a word of PDFium's text: a run of visible characters, cut after a line-end hyphen (PDFium marks
#: a hyphen that ends a line as U+FFFE or U+0002 and may run the two lines' words together)
_PDFIUM_WORD = re.compile(r"[^\s\x02\ufffe]+[\x02\ufffe]?|[\x02\ufffe]")


def _pdfium_words(page) -> tuple[list[dict] | None, bool]:
    """The words of one page with pdfplumber's box conventions (x0, x1, top, bottom from the page top).

    x0 and x1 are the first and last characters' glyph edges; top is the baseline box's bottom
    less the font size, as pdfplumber's font box puts it.  None when the page text's indices do
    not match its characters (characters beyond the Basic Multilingual Plane).
    """
    import ctypes

    import pypdfium2.raw as raw
    tp = page.get_textpage()
    try:
        n = tp.count_chars()
        if n <= 0:
            return [], False
        text = tp.get_text_range(0, n)
        if len(text) != n:
            return None, True
        height = page.get_height()
        left, right, bottom, top = ctypes.c_double(), ctypes.c_double(), ctypes.c_double(), ctypes.c_double()
        loose = raw.FS_RECTF()
        handle = tp.raw
        char_box, loose_box, font_size = raw.FPDFText_GetCharBox, raw.FPDFText_GetLooseCharBox, raw.FPDFText_GetFontSize
        hyphens = "\x02" in text or "\ufffe" in text
        words = []
        for m in _PDFIUM_WORD.finditer(text):
            first, last = m.start(), m.end() - 1
            char_box(handle, first, left, right, bottom, top)
            x0 = left.value
            loose_box(handle, first, loose)
            size = font_size(handle, first)
            char_box(handle, last, left, right, bottom, top)
            base = height - loose.bottom
            word = m.group()
            if hyphens:
                word = word.replace("\x02", "-").replace("\ufffe", "-")
            words.append({"text": word, "x0": x0, "x1": right.value, "top": base - size, "bottom": base})
        return words, bool(words)
    finally:
        tp.close()


def _open_pdfplumber(data: bytes, source: str):
    import io

    import pdfplumber

    from .pdfpages import page_tree
    try:
        from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    except ImportError:  # pragma: no cover - old pdfminer
        PDFEncryptionError = PDFPasswordIncorrect = ()  # type: ignore
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        len(pdf.pages)
        return pdf
    except Exception as exc:  # pdfminer raises many types for damaged files
        name = type(exc).__name__
        detail = f"{name} {exc!r} {exc.__cause__!r} {exc.__context__!r}"
        if "Password" in detail or "Encrypt" in detail or "password" in detail or "Encrypt" in name or (PDFPasswordIncorrect and isinstance(exc, PDFPasswordIncorrect)):
            raise InputError(f"{source}: the PDF is password-protected; remove the password and try again") from None
        raise InputError(f"{source}: the PDF is damaged or truncated and cannot be opened ({name})") from None


def _read_pdf_pdfplumber(data: bytes, source: str) -> Document:
    """The same reading with pdfplumber throughout (PDFium could not open the file)."""
    pdf = _open_pdfplumber(data, source)
    n_pages = len(pdf.pages)
    page_lines: list[list[str]] = []
    failed_pages: list[int] = []
    any_chars = False
    tree = page_tree(pdf.doc)
    # pages the page tree names but whose page object is damaged: pdfminer leaves them out without
    # a word, so they are put back as empty pages (page numbers stay right) and named in a warning
    lost = [i + 1 for i, ok in enumerate(tree) if not ok] if tree and sum(tree) == n_pages else []
    declared_more = bool(tree) and not lost and len(tree) > n_pages
    with pdf:
        for index in range(n_pages):
            while len(page_lines) + 1 in lost:
                failed_pages.append(len(page_lines) + 1)
                page_lines.append([])
            check_deadline()
            try:
                page = pdf.pages[index]
                try:
                    lines, had_chars = _pdf_page_lines(page)
                finally:
                    page.close()  # a page's parsed objects are dropped once read: memory stays flat in the pages
            except Exception as exc:
                if "Password" in type(exc).__name__ or "Encrypt" in type(exc).__name__:
                    raise InputError(f"{source}: the PDF is password-protected; remove the password and try again") from None
                failed_pages.append(index + 1)
                lines, had_chars = [], False
            any_chars = any_chars or had_chars
            page_lines.append(lines)
        while len(page_lines) + 1 in lost:
            failed_pages.append(len(page_lines) + 1)
            page_lines.append([])
    return _pdf_document(page_lines, failed_pages, any_chars, n_pages, source, declared=len(tree) if declared_more else 0)


def _pdf_document(page_lines: list[list[str]], failed_pages: list[int], any_chars: bool, n_pages: int,
                  source: str, declared: int = 0) -> Document:
    """The document of a PDF's page lines: running matter dropped, hyphenation repaired, pages kept.
    ``declared``: the pages the page tree names when more than could be read (a damaged tree)."""
    if not any_chars:
        if failed_pages and len(failed_pages) == n_pages:
            raise InputError(f"{source}: the PDF is damaged or truncated; no page could be read")
        raise InputError(f"{source}: the PDF has no text layer (a scan?); run OCR first, e.g. 'ocrmypdf in.pdf out.pdf'")
    page_lines = _drop_running_lines(page_lines)
    text_parts: list[str] = []
    page_starts: list[int] = []
    pos = 0
    for lines in page_lines:
        page_starts.append(pos)
        chunk = "\n".join(lines) + "\n"
        text_parts.append(chunk)
        pos += len(chunk)
    text = "".join(text_parts)
    text, page_starts = _join_hyphenated(text, page_starts)
    doc = Document(source=source, text=clean_text(text), format="pdf", page_starts=page_starts)
    if failed_pages:
        label, verb = ("page", "was") if len(failed_pages) == 1 else ("pages", "were")
        doc.warnings.append(f"the PDF is damaged: {label} {', '.join(map(str, failed_pages))} of {len(page_lines)} "
                            f"could not be read and {verb} skipped")
    elif declared:
        doc.warnings.append(f"the PDF is damaged: it declares {declared} pages but only {n_pages} could be read")
    return doc


def _pdf_page_lines(page) -> tuple[list[str], bool]:
    """Lines of one page in reading order, margin notes placed before the line they stand beside."""
    from pdfplumber.utils import extract_words
    chars = _dedupe_chars(page.chars)
    if not chars:
        return [], False
    words = extract_words(chars, keep_blank_chars=False, use_text_flow=False)
    if not words:
        return [], True
    return _page_lines_from_words(words, page.width), True


def _page_lines_from_words(words: list[dict], width: float) -> list[str]:
    """A page's lines in reading order from its words, margin notes placed before the line they stand beside."""
    left, right = _main_column(words, width)
    def outside(w) -> bool:
        return w["x0"] >= right or w["x1"] <= left

    margin_words = [w for w in words if outside(w)]
    main_words = [w for w in words if not outside(w)]
    main = _group_lines(main_words)
    notes = _margin_notes(_group_lines(margin_words))
    out: list[str] = []
    ni = 0
    for top, text in main:
        while ni < len(notes) and notes[ni][0] <= top + 3:
            out.append(notes[ni][1])
            ni += 1
        out.append(text)
    out.extend(text for _, text in notes[ni:])
    return out


def _dedupe_chars(chars: list[dict], tolerance: float = 1) -> list[dict]:
    """The characters of a page without those doubled by fake-bold printing, in their order.

    The same result as pdfplumber's ``Page.dedupe_chars()`` (same text, font and size, within
    ``tolerance`` points, the first kept), without its two costs: a second parse of the page
    for the filtered copy, and a final sort by ``list.index`` that made each page cost the square
    of its characters (issue 22: most of the time of a PDF).
    """
    import itertools
    from operator import itemgetter

    from pdfplumber.utils.clustering import cluster_objects
    key = itemgetter("upright", "text", "fontname", "size")
    pos_key = itemgetter("doctop", "x0")
    order = {id(c): k for k, c in enumerate(chars)}
    kept = []
    for _, group in itertools.groupby(sorted(chars, key=key), key=key):
        for y_cluster in cluster_objects(list(group), itemgetter("doctop"), tolerance):
            for x_cluster in cluster_objects(y_cluster, itemgetter("x0"), tolerance):
                kept.append(min(x_cluster, key=pos_key))
    kept.sort(key=lambda c: order[id(c)])
    return kept


def _main_column(words, width: float) -> tuple[float, float]:
    """The x-range of the body text, found from a vertical gutter that no word crosses.

    Statutes printed with side notes have a narrow column of notes beside the body; between the
    two runs an empty gutter.  A gutter of 5 points or more in the outer half of the page, with
    less text beyond it than before it, marks the edge of the body.
    """
    if not words:
        return 0.0, width
    size = int(width) + 2
    starts = [0] * (size + 1)  # words covering each point, as a running sum of where they start and end
    mass = [0] * size
    for w in words:
        a, b = max(0, int(w["x0"])), min(size - 1, int(w["x1"]) + 1)
        if a < b:
            starts[a] += 1
            starts[b] -= 1
        mass[min(size - 1, int(w["x0"]))] += len(w["text"])
    cover = list(itertools.accumulate(starts[:size]))
    xs = [x for x in range(size) if cover[x]]
    lo, hi = xs[0], xs[-1]
    total = sum(mass)
    left, right = float(lo), float(hi)
    x = lo
    gaps = []
    while x <= hi:
        if cover[x] == 0:
            g = x
            while g <= hi and cover[g] == 0:
                g += 1
            if g - x >= 5:
                gaps.append((x, g))
            x = g
        else:
            x += 1
    for a, b in gaps:
        beyond = sum(mass[b:])
        before = sum(mass[:a])
        if a > lo + 0.5 * (hi - lo) and beyond < 0.25 * total:
            right = min(right, float(a))
        elif b < lo + 0.5 * (hi - lo) and before < 0.25 * total:
            left = max(left, float(b))
    return left, right


def _group_lines_raw(words):
    rows: list[list[dict]] = []
    for w in sorted(words, key=lambda w: (round(w["top"]), w["x0"])):
        if rows and abs(rows[-1][0]["top"] - w["top"]) <= 3:
            rows[-1].append(w)
        else:
            rows.append([w])
    return rows


def _group_lines(words) -> list[tuple[float, str]]:
    out = []
    for row in _group_lines_raw(words):
        row.sort(key=lambda w: w["x0"])
        out.append((row[0]["top"], " ".join(w["text"] for w in row)))
    return out


def _margin_notes(lines: list[tuple[float, str]]) -> list[tuple[float, str]]:
    """Join consecutive margin lines into notes; a note ends with a full stop or a gap."""
    notes: list[tuple[float, str]] = []
    current: list[str] = []
    start = last = 0.0
    for top, text in lines:
        if current and (top - last > 16 or current[-1].endswith(".")):
            notes.append((start, _join_words(current)))
            current = []
        if not current:
            start = top
        current.append(text)
        last = top
    if current:
        notes.append((start, _join_words(current)))
    return notes


def _join_words(parts: list[str]) -> str:
    out = parts[0]
    for part in parts[1:]:
        if re.search(r"[a-z]-$", out) and part[:1].islower():
            out = out[:-1] + part
        else:
            out += " " + part
    return out


def _drop_running_lines(pages: list[list[str]]) -> list[list[str]]:
    """Remove running headers/footers and bare page numbers.

    A line in the first three or last two lines of a page is running matter when, with digits
    removed, it recurs on at least 40% of the pages (and on two pages at least).
    """
    def key(line: str) -> str:
        return re.sub(r"[\d\W_]+", "", line.lower())

    n = len(pages)
    counts: dict[str, int] = {}
    for lines in pages:
        seen = {key(l) for l in lines[:3] + lines[-2:] if key(l)}
        for k in seen:
            counts[k] = counts.get(k, 0) + 1
    threshold = max(2, int(0.4 * n + 0.999))
    running = {k for k, c in counts.items() if c >= threshold} if n >= 3 else set()
    out = []
    for lines in pages:
        kept = []
        for i, line in enumerate(lines):
            edge = i < 3 or i >= len(lines) - 2
            if edge and (key(line) in running or re.fullmatch(r"\s*[-–—]?\s*\d{1,4}\s*[-–—]?\s*", line)
                         or re.fullmatch(r"\s*(page|p\.)\s*\d+(\s*(of|/)\s*\d+)?\s*", line, re.I)):
                continue
            kept.append(line)
        out.append(kept)
    return out


def _join_hyphenated(text: str, page_starts: list[int]) -> tuple[str, list[int]]:
    """Join 'traffick-\\ning' across line ends, shifting page offsets to match."""
    pattern = re.compile(r"([a-zà-ÿ])-\n([a-zà-ÿ])")
    out = []
    last = 0
    removed_at: list[int] = []
    for m in pattern.finditer(text):
        out.append(text[last:m.start() + 1])
        removed_at.append(m.start() + 1)
        last = m.end() - 1
    out.append(text[last:])
    if not removed_at:
        return text, page_starts
    import bisect
    new_starts = [s - 2 * bisect.bisect_left(removed_at, s) for s in page_starts]
    return "".join(out), new_starts
