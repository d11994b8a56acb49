"""PDF text for :mod:`lexalign.ingest`: words from PDFium, lines, side notes, running heads, hyphenation.

A module of its own because reading a PDF is its own craft (page geometry, two libraries, damaged
pages); everything it returns is a :class:`~lexalign.models.Document` whose offsets the rest of the
engine reads like any other text's.
"""
from __future__ import annotations

import itertools
import re
import threading

from .budget import check_deadline
from .errors import InputError, LexalignError
from .models import Document
from .pdfpages import page_tree


def _clean(text: str) -> str:
    from .ingest import clean_text
    return clean_text(text)


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
    doc = Document(source=source, text=_clean(text), format="pdf", page_starts=page_starts)
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
