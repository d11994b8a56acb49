"""Shared fixtures: the shared corpus (skipped cleanly when absent) and cached analyses."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("LEXALIGN_SHARED", ROOT.parent / "shared"))
CORPORA = SHARED / "corpora"
GOLD = SHARED / "gold"
SAMPLE = ROOT / "corpora" / "sample"


def shared_file(name: str) -> Path:
    path = CORPORA / name
    if not path.exists():
        pytest.skip(f"shared corpus not available ({path})")
    return path


@pytest.fixture(scope="session")
def corpora() -> Path:
    if not CORPORA.is_dir():
        pytest.skip("shared corpus folder ../shared/corpora not available")
    return CORPORA


_CHECK_CACHE: dict = {}


def check_text(text: str, name: str = "edited.txt"):
    """Findings (element -> Finding) for a statute given as text, cached per text."""
    from lexalign.align import check
    from lexalign.ingest import ingest_bytes
    key = (text, name)
    if key not in _CHECK_CACHE:
        doc = ingest_bytes(text.encode("utf-8"), source=name)
        report = check([doc])
        _CHECK_CACHE[key] = {f.element: f for f in report.findings}
    return _CHECK_CACHE[key]
