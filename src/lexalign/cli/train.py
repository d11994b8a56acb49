"""``lexalign train``: fit the learned reader on the gold, the readings and the reviews."""
from __future__ import annotations

import json
from pathlib import Path

import click

from ..errors import LexalignError, UsageError
from .base import friendly


@click.command()
@click.option("--gold", "gold", multiple=True, required=True, help="Gold folder(s): one TSV per statute.")
@click.option("--corpus", multiple=True, required=True, help="Folder(s) holding the statutes the gold names.")
@click.option("--readings", default=None, help="Provision-level readings (default: corpora/readings).")
@click.option("--reviews", "reviews_db", default=None, metavar="DB",
              help="A workbench database: its reviewed verdicts are training data too.")
@click.option("--held-out", "held_out", default=None, help="Stems never trained on (default: models/held-out.txt).")
@click.option("--out", default=None, help="Where to write the model (default: models/reader.json).")
@click.option("--curve", "curve_out", default=None, metavar="JSON",
              help="Also measure the learning curve (readers trained on 5, 10, 20, all statutes) and write it here.")
@click.option("--curve-test", default="", help="Comma-separated stems the curve is measured on (statutes the rules were "
                                               "never written from).")
@friendly
def train(gold, corpus, readings, reviews_db, held_out, out, curve_out, curve_test):
    """Fit the learned reader (both stages) and write it as JSON."""
    from ..reader.model import reader_path, save
    from ..reader.readings import readings_dir
    from ..reader.train import analyse_training, fit, held_out_stems, learning_curve, reviewed_documents
    from .evaluate import corpus_dirs
    say = lambda m: click.echo(f"lexalign: {m}", err=True)
    for g in gold:
        if not Path(g).is_dir():
            raise UsageError(f"{g}: gold folder not found")
    skip = held_out_stems(Path(held_out) if held_out else None)
    docs = analyse_training(list(gold), corpus_dirs(corpus), Path(readings) if readings else readings_dir(), skip, say)
    if reviews_db:
        docs += reviewed_documents(reviews_db, say)
    if not any(d.labels is not None for d in docs):
        raise UsageError("no training statute has a reading: the provision model has nothing to learn from")
    say(f"{len(docs)} statutes ({sum(d.labels is not None for d in docs)} with readings); "
        f"held out: {', '.join(sorted(skip)) or 'none'}")
    model = fit(docs)
    path = Path(out) if out else reader_path()
    try:
        save(model, path)
    except OSError as exc:
        raise LexalignError(f"cannot write {path}: {exc.strerror or exc}", LexalignError.OUTPUT) from None
    say(f"reader written to {path} (t_cov {model.t_cov}, {model.meta['element_rows']} element rows)")
    if curve_out:
        test = [s for s in curve_test.split(",") if s]
        if not test:
            raise UsageError("--curve needs --curve-test STEM,... (statutes the rules were never written from)")
        curve = learning_curve(docs, test, [5, 10, 20, len(docs)], progress=say)
        try:
            Path(curve_out).write_text(json.dumps({"test": test, "points": curve}, indent=1) + "\n", encoding="utf-8")
        except OSError as exc:
            raise LexalignError(f"cannot write {curve_out}: {exc.strerror or exc}", LexalignError.OUTPUT) from None
        say(f"learning curve written to {curve_out}")
