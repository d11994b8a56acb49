"""Where fitted models live and how they are read: plain JSON, refused when fitted for other features.

No pickle: a model file is data (coefficients, thresholds, trees as arrays) that any version of the
code can read and check, and a stale file is refused rather than mis-applied.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def models_dir() -> Path:
    """``models/`` of the checkout (beside ``pyproject.toml``), else the package folder (an installed wheel)."""
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "models").is_dir() and (parent / "pyproject.toml").exists():
            return parent / "models"
    return here.parent


def calibration_path() -> Path:
    return models_dir() / "calibration.json"


def read_model_file(path: Path, features: list[str]) -> dict[str, Any] | None:
    """A fitted model stored as plain JSON, or None when absent, unreadable or fitted for another
    feature set (refuse rather than mis-apply)."""
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if data.get("features") == features else None
