"""Find English left in a French or Spanish or report, outside what stays as it is.

What stays as it is: quotations from the statute or the Protocol (``<q>``, ``<blockquote>``, any
element with ``class="quote"``, or a ``lang`` other than the page's), code and element ids
(``<code>``, ``class="eid"``), file names (``class="file"``), citations (``class="cite"``),
scripts and styles.  In Markdown: inline code, “quoted” passages, "quoted" defined terms, the
citation and file of an evidence line, and the statute's title on the first line.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser

#: English function words and interface words that neither French nor Spanish use
ENGLISH = set("""
the and of with which that this these those from into onto than then when where whether while
is are was were been being has have had does did will would shall should could must may might
found covered missing partial report reports provision provisions element elements statute statutes offence
offences what add added check checked checking comparing draft drafts earlier later yes none true false raised
flag flags review reviews reviewed reviewer confidence file files summary details model semantic rules only
any person persons silent irrelevant defence neither children child women years penalty acts consent purposes
purpose victim victims means required border organised open list life instead stated not
how sure engine quoted words lacks matched wording protocol missing mandatory recommended
qualified trafficking smuggling forced labour slavery removal organs recruitment transportation
transfer harbouring receipt threat coercion abduction deception power vulnerability payments
definition defined narrower upload paste pasted name your save confirm groups all shown findings
finding glance click highlighted being refreshes itself overview language something right back start
""".split())

SKIP_TAGS = {"q", "blockquote", "code", "pre", "script", "style", "title", "kbd", "samp", "cite"}
SKIP_CLASSES = {"quote", "eid", "file", "cite", "statute"}
VOID = {"br", "img", "input", "meta", "link", "hr", "source", "wbr", "area", "base", "col", "embed", "param", "track"}


class _Text(HTMLParser):
    def __init__(self, page_lang: str):
        super().__init__(convert_charrefs=True)
        self.page_lang = page_lang
        self.stack: list[bool] = []  # True where this element (or one above it) is skipped
        self.parts: list[str] = []
        self.attr_texts: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        classes = set((a.get("class") or "").split())
        lang = (a.get("lang") or "").split("-")[0]
        skip = (tag in SKIP_TAGS or bool(classes & SKIP_CLASSES) or (bool(lang) and lang != self.page_lang)
                or (self.stack[-1] if self.stack else False))
        if not skip:
            for name in ("title", "placeholder", "aria-label", "alt"):
                if a.get(name):
                    self.attr_texts.append(a[name])
        if tag not in VOID:
            self.stack.append(skip)

    def handle_endtag(self, tag):
        if tag not in VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if not (self.stack and self.stack[-1]):
            self.parts.append(data)


def html_text(doc: str, lang: str) -> str:
    """The words of an HTML a reader reads in the page's language (text and labelling attributes)."""
    p = _Text(lang)
    p.feed(doc)
    return " ".join(p.parts + p.attr_texts)


def markdown_text(md: str) -> str:
    lines = md.splitlines()
    if lines and lines[0].startswith("# "):
        lines[0] = lines[0].split(":", 1)[0]
    out = []
    for line in lines:
        if line.startswith("> **"):
            continue  # an evidence line: citation, file and the statute's words
        line = re.sub(r"`[^`]*`", " ", line)
        line = re.sub(r"<cite>.*?</cite>", " ", line)
        out.append(line)
    return "\n".join(out)


def _strip_quotes(text: str) -> str:
    text = re.sub(r"“[^”]*”", " ", text, flags=re.S)
    text = re.sub(r"«[^»]*»", lambda m: m.group(0), text)
    return re.sub(r"\"[^\"\n]{0,200}\"", " ", text)


def english_words(text: str) -> list[str]:
    """The English words of ``text`` (after quotations), in order, with repeats."""
    text = re.sub(r"[\w.-]+\.(?:txt|text|pdf|html?|xhtml|xml|akn|docx)\b", " ", _strip_quotes(text))  # file names
    text = re.sub(r"\b[a-z0-9]+(?:[._][a-z0-9]+)+\b", " ", text)  # element ids
    text = re.sub(r"--[a-z][a-z-]*|\blexalign [a-z]+", " ", text)  # command-line options and commands
    return [w for w in re.findall(r"[^\W\d_]+", text) if w.lower() in ENGLISH]


def context_of(text: str, word: str, width: int = 60) -> str:
    """The words around the first ``word`` (for a failing test's message)."""
    t = _strip_quotes(text)
    m = re.search(rf"(?<!\w){re.escape(word)}(?!\w)", t)
    i = m.start() if m else 0
    return " ".join(t[max(0, i - width): i + width].split())
