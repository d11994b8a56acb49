"""Running a batch's per-file work on an existing Dask distributed cluster (``--scheduler``).

Workers receive tasks that name files by path (they read the files themselves, so they must see
the same paths, e.g. a shared filesystem) and return each file's report; the client writes every
output, so results, resume and ``errors.csv`` are those of a local run.  Each worker loads the
embedding model once, when it joins, through :class:`ModelLoader`; lexalign must be installed on
the workers.
"""
from __future__ import annotations

import os
from typing import Any, Callable, Iterator

try:
    from dask.distributed import Client
    from dask.distributed import as_completed as dask_completed
    from distributed.diagnostics.plugin import WorkerPlugin
except ImportError:  # reported when --scheduler is used
    Client = None
    WorkerPlugin = object

from .errors import LexalignError, UsageError


class ModelLoader(WorkerPlugin):
    """Dask worker plugin: each worker loads the embedding model once, when it joins.

    The encoders are cached per process (``functools.lru_cache``), so every task the worker runs
    afterwards reuses the loaded model.  Defined at module level so that it pickles by reference:
    lexalign must be installed on the workers.
    """

    name = "lexalign-model"

    def __init__(self, model: str | None, precise: bool):
        self.model, self.precise = model, precise

    def setup(self, worker) -> None:
        from .embed import load_int8, load_model, set_precise, set_threads
        threads = getattr(worker.state, "nthreads", None) or getattr(worker, "nthreads", 1) or 1
        set_threads(max(1, (os.cpu_count() or 1) // threads))
        set_precise(self.precise)
        try:
            load_model(self.model) if self.precise else load_int8(self.model)
        except LexalignError:
            pass  # every task will report the model error for its own file

    def teardown(self, worker) -> None:  # required by older distributed versions
        pass


def connect(scheduler) -> Any:
    """A ``dask.distributed.Client`` for an address ("tcp://host:8786") or an existing client."""
    if Client is None:
        raise UsageError("--scheduler needs dask.distributed: pip install 'dask[distributed]'")
    if not isinstance(scheduler, str):
        return scheduler
    try:
        return Client(scheduler, timeout="15s")
    except Exception as exc:
        raise UsageError(f"cannot reach the Dask scheduler at {scheduler}: {type(exc).__name__}: "
                         f"{' '.join(str(exc).split())[:160]}") from None


def run_on_cluster(tasks: list, scheduler, analyse: Callable) -> Iterator[tuple]:
    """Run ``analyse`` on every task on the cluster, yielding its results as they complete."""
    client = connect(scheduler)
    try:
        if tasks:
            client.register_plugin(ModelLoader(tasks[0].model, tasks[0].precise), name=ModelLoader.name)
        futures = client.map(analyse, tasks, pure=False, key=[f"lexalign-{t.name}-{id(t)}" for t in tasks])
        names = {f.key: t.name for f, t in zip(futures, tasks)}
        for fut in dask_completed(futures):
            try:
                yield fut.result()
            except Exception as exc:  # a worker lost mid-task: that file fails, not the batch
                yield names[fut.key], None, None, f"worker failed: {type(exc).__name__}"
    finally:
        if isinstance(scheduler, str):
            client.close()
