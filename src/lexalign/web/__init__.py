"""``lexalign serve``: a local workbench where drafters check bills and reviewers keep their verdicts.

The web layer calls the same library functions as the command line (ingest, check, diff,
overview); it adds pages, a JSON API and a SQLite store (:mod:`lexalign.store`), nothing of the
pipeline itself.
"""
from .app import create_app

__all__ = ["create_app"]
