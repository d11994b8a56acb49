"""Which character set a file's bytes are in, when the file does not say or says something wrong.

``ingest.decode_text`` falls back to cp1252/Latin-1 when UTF-8 and UTF-16 fail; that guess never
fails, so text in any other encoding comes out as mojibake without an error.  Here is how such a
guess is recognised (and said, as a warning), and which ``<meta charset>`` declarations of an
HTML page are honoured at all.
"""
from __future__ import annotations

import re

#: letters a Latin-script statute read as cp1252/Latin-1 plausibly holds outside ASCII
_LATIN_LETTERS = set("àáâãäåæçèéêëìíîïðñòóôõöøùúûüýþÿÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖØÙÚÛÜÝÞßœŒšŠžŽ")


def decoding_warnings(data: bytes, text: str) -> list[str]:
    """A warning when bytes that are not UTF-8 read as cp1252/Latin-1 look like mojibake.

    A legacy single-byte encoding is the only guess left once UTF-8 and UTF-16 have failed, and it
    never fails: Shift-JIS, GBK or KOI8 text comes out as a run of accented letters and symbols.
    Real French or Spanish text in cp1252 has a few accented letters, each beside plain ASCII
    letters; mojibake has many non-ASCII characters, mostly symbols or letters in odd pairs.
    """
    if data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return []
    try:
        data[:200_000].decode("utf-8")
        return []
    except UnicodeDecodeError as exc:
        if exc.start >= 199_996:  # a character cut by the sample's edge
            return []
    sample = text[:200_000]
    high = [ch for ch in sample if ord(ch) > 127]
    visible = sum(1 for ch in sample if not ch.isspace())
    if not high or not visible:
        return []
    plausible = sum(1 for i, ch in enumerate(sample) if ord(ch) > 127 and ch in _LATIN_LETTERS
                    and (sample[i - 1:i].isascii() and sample[i - 1:i].isalpha()
                         or sample[i + 1:i + 2].isascii() and sample[i + 1:i + 2].isalpha()))
    if len(high) / visible > 0.08 and plausible < 0.6 * len(high):
        return ["the text is not UTF-8 and does not read plausibly as cp1252/Latin-1 "
                f"({len(high) / visible:.0%} of its characters are unusual symbols or accented letters): "
                "it may be in another encoding (Shift-JIS, GBK, KOI8-R...); convert it to UTF-8"]
    return []


def html_charset(name: str) -> str | None:
    """The codec a ``<meta charset>`` names, when it is a real text encoding worth honouring.

    A page may name anything: "idna" and "undefined" are codecs that raise on any text,
    "rot13" or "base64" are not text encodings at all, and a declared UTF-16 or UTF-32 in a page
    whose bytes were readable as ASCII is wrong by definition (HTML says to read it as UTF-8).
    """
    import codecs
    try:
        info = codecs.lookup(name)
    except (LookupError, ValueError):
        return None
    if not getattr(info, "_is_text_encoding", True) or info.name in ("utf-8", "idna", "undefined", "punycode") \
            or info.name.startswith(("utf-16", "utf-32", "raw-unicode", "unicode-escape", "raw_unicode",
                                     "unicode_escape", "mbcs", "oem", "uu", "zlib", "bz2", "hex", "base64", "quopri")):
        return None
    return info.name


def decode_declared(data: bytes, guessed: str) -> tuple[str, bool, list[str]]:
    """An HTML page decoded as its ``<meta charset>`` says, where that can be honoured:
    (text, whether the declaration was used, warnings).  ``guessed`` is the text as decoded
    without the declaration; it is returned when the declaration is absent or unusable."""
    m = re.search(r"<meta[^>]+charset=[\"']?([\w.:-]+)", guessed[:4096], re.IGNORECASE)
    declared = html_charset(m.group(1)) if m else None
    if declared is not None:
        try:
            return data.decode(declared, errors="replace"), True, []
        except (LookupError, UnicodeError, ValueError):
            pass
    if m and m.group(1).lower().replace("_", "-") not in ("utf-8", "utf8"):
        return guessed, False, [f"the page declares the character set {m.group(1)[:40]!r}, which cannot be "
                                "honoured; it was read as UTF-8 or cp1252"]
    return guessed, False, []
