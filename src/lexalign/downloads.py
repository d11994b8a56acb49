"""A stored report as a file to download: self-contained HTML, Markdown, JSON, CSV or Word.

The workbench keeps each report as its JSON (the ``lexalign check --format json`` document plus an
id and the statute's sha256); every other format is rendered from it on request with
:meth:`Report.from_dict`, so a download says exactly what the page says and nothing needs to be
stored twice.  The file is named after the statute ("sample-bill.lexalign.docx").
"""
from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from .errors import UsageError
from .report import Report

#: format -> (media type, file extension, label on the report page)
FORMATS: dict[str, tuple[str, str, str]] = {
    "html": ("text/html; charset=utf-8", ".html", "HTML"),
    "md": ("text/markdown; charset=utf-8", ".md", "Markdown"),
    "json": ("application/json", ".json", "JSON"),
    "csv": ("text/csv; charset=utf-8", ".csv", "CSV"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx", "Word"),
}


@dataclass
class Download:
    data: bytes
    media_type: str
    filename: str

    def content_disposition(self) -> str:
        """``attachment`` with an ASCII name for old clients and the exact UTF-8 name (RFC 6266)."""
        ascii_name = unicodedata.normalize("NFKD", self.filename).encode("ascii", "ignore").decode()
        ascii_name = re.sub(r"[^A-Za-z0-9._-]+", "_", ascii_name).strip("._") or "report"
        return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(self.filename, safe='')}"


def file_name(name: str, fmt: str) -> str:
    """``sample-bill.txt`` -> ``sample-bill.lexalign.docx``: the statute's name, safe on any disk."""
    stem = Path((name or "").replace("\\", "/")).stem or "report"
    stem = re.sub(r"[\x00-\x1f\x7f/\\:*?\"<>|]+", "_", stem).strip(" .") or "report"
    return f"{stem[:120]}.lexalign{FORMATS[fmt][1]}"


def render_download(report: dict[str, Any], fmt: str, name: str = "", lang: str = "en") -> Download:
    """The stored report ``report`` (JSON) as a file in ``fmt``."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")
    media_type = FORMATS[fmt][0]
    name = name or Path(report.get("document", {}).get("source", "")).name
    if fmt == "json":
        data = (json.dumps(report, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    else:
        r = Report.from_dict(report)
        if fmt == "docx":
            data = r.to_docx(lang)
        elif fmt == "html":
            data = r.to_html(lang).encode("utf-8")
        elif fmt == "md":
            data = r.to_markdown(lang).encode("utf-8")
        else:
            data = r.to_csv().encode("utf-8")
    return Download(data, media_type, file_name(name, fmt))
