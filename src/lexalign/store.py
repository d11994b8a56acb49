"""The workbench's one SQLite file: statutes checked, their reports, drafts compared, and reviews.

One file is the whole state (as in datasette): copying it moves a reviewer's work to another
machine, and a restarted server finds every report and review where it left them.  Statutes are
known by the SHA-256 of their bytes, so a review made on one upload applies to every later upload
of the same text, whatever the file is called.

Each operation opens its own short connection: the server calls the store from its event loop and
from the checking thread, and SQLite's own locking is then all the coordination needed.
"""
from __future__ import annotations

import datetime
import json
import os
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from .errors import LexalignError

SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
  sha256 TEXT PRIMARY KEY,   -- of the uploaded bytes (several files: of their hashes in order)
  name TEXT NOT NULL,        -- file stem a gold TSV is named after
  title TEXT NOT NULL DEFAULT '',
  created TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS reports (
  id TEXT PRIMARY KEY,       -- document hash + analysis settings: same text, same settings, same id
  sha256 TEXT NOT NULL REFERENCES documents(sha256),
  created TEXT NOT NULL,
  report TEXT NOT NULL,      -- the JSON of `lexalign check --format json`, plus id and sha256
  view TEXT NOT NULL,        -- the statute text and provision spans the report page shows
  name TEXT NOT NULL DEFAULT ''  -- the file name(s) this report was made under (part of its id)
);
CREATE INDEX IF NOT EXISTS reports_by_document ON reports(sha256, created);
CREATE TABLE IF NOT EXISTS diffs (
  id TEXT PRIMARY KEY,
  created TEXT NOT NULL,
  diff TEXT NOT NULL,
  view TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS reviews (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  document TEXT NOT NULL,    -- documents.sha256
  element TEXT NOT NULL,
  status TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  reviewer TEXT NOT NULL,
  evidence TEXT NOT NULL DEFAULT '',
  engine_status TEXT NOT NULL DEFAULT '',
  created TEXT NOT NULL,
  client_key TEXT,           -- the client's key for this write: a retried POST is not stored twice
  supersedes INTEGER,        -- the review this one edits or withdraws (rows are never deleted)
  withdrawn INTEGER NOT NULL DEFAULT 0,
  reviewer_id TEXT NOT NULL DEFAULT ''  -- from `serve --reviewers`, when the server has a list of names
);
CREATE INDEX IF NOT EXISTS reviews_by_document ON reviews(document, element, created);
CREATE TABLE IF NOT EXISTS queue (
  id TEXT PRIMARY KEY,       -- a check or comparison accepted but not finished: resumed at start
  kind TEXT NOT NULL,
  created TEXT NOT NULL,
  uploads TEXT NOT NULL      -- JSON: [[name, base64 bytes], ...]
);
"""

#: columns added since the first schema, added to an older file when it is opened
MIGRATIONS = (("reports", "name", "TEXT NOT NULL DEFAULT ''"), ("reviews", "client_key", "TEXT"),
              ("reviews", "supersedes", "INTEGER"), ("reviews", "withdrawn", "INTEGER NOT NULL DEFAULT 0"),
              ("reviews", "reviewer_id", "TEXT NOT NULL DEFAULT ''"))
AFTER_MIGRATIONS = "CREATE UNIQUE INDEX IF NOT EXISTS reviews_by_client_key ON reviews(client_key) " \
                   "WHERE client_key IS NOT NULL;"


def default_db_path() -> Path:
    """``$XDG_DATA_HOME/lexalign/reviews.sqlite`` (``~/.local/share/lexalign/reviews.sqlite``)."""
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(base) / "lexalign" / "reviews.sqlite"


def now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")


@dataclass
class Review:
    """One reviewer's verdict on one element of one statute."""

    id: int
    document: str
    element: str
    status: str
    note: str
    reviewer: str
    evidence: str
    engine_status: str
    created: str
    client_key: str | None = None
    supersedes: int | None = None
    withdrawn: int = 0
    reviewer_id: str = ""

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


class Store:
    """Reports, drafts compared and reviews in one SQLite file."""

    def __init__(self, path: str | os.PathLike, create: bool = True) -> None:
        self.path = Path(path)
        if not create and not self.path.is_file():
            raise LexalignError(f"{self.path}: no such review database", LexalignError.USAGE)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with closing(self._connect()) as db, db:
                db.executescript(SCHEMA)
                for table, column, decl in MIGRATIONS:
                    have = {r["name"] for r in db.execute(f"PRAGMA table_info({table})")}
                    if column not in have:
                        db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {decl}")
                db.executescript(AFTER_MIGRATIONS)
        except (OSError, sqlite3.Error) as exc:
            raise LexalignError(f"{self.path}: cannot open the review database ({exc})", LexalignError.OUTPUT) from None

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=10)
        db.row_factory = sqlite3.Row
        return db

    def _rows(self, sql: str, args: tuple = ()) -> list[sqlite3.Row]:
        with closing(self._connect()) as db:
            return db.execute(sql, args).fetchall()

    def _write(self, sql: str, args: tuple = ()) -> int:
        with closing(self._connect()) as db, db:
            return db.execute(sql, args).lastrowid or 0

    # ------------------------------------------------------------------ documents and reports
    def save_report(self, report_id: str, sha256: str, name: str, title: str, report: dict[str, Any],
                    view: dict[str, Any]) -> None:
        with closing(self._connect()) as db, db:
            db.execute("INSERT OR IGNORE INTO documents(sha256, name, title, created) VALUES (?,?,?,?)",
                       (sha256, name, title, now()))
            db.execute("INSERT OR REPLACE INTO reports(id, sha256, created, report, view, name) VALUES (?,?,?,?,?,?)",
                       (report_id, sha256, now(), json.dumps(report, ensure_ascii=False),
                        json.dumps(view, ensure_ascii=False), name))

    def report(self, report_id: str) -> dict[str, Any] | None:
        rows = self._rows("SELECT report FROM reports WHERE id = ?", (report_id,))
        return json.loads(rows[0]["report"]) if rows else None

    def view(self, report_id: str) -> dict[str, Any] | None:
        rows = self._rows("SELECT view FROM reports WHERE id = ?", (report_id,))
        return json.loads(rows[0]["view"]) if rows else None

    def has_report(self, report_id: str) -> bool:
        return bool(self._rows("SELECT 1 FROM reports WHERE id = ?", (report_id,)))

    def latest_report(self, sha256: str) -> dict[str, Any] | None:
        rows = self._rows("SELECT report FROM reports WHERE sha256 = ? ORDER BY created DESC LIMIT 1", (sha256,))
        return json.loads(rows[0]["report"]) if rows else None

    def latest_report_id(self, sha256: str) -> str | None:
        rows = self._rows("SELECT id FROM reports WHERE sha256 = ? ORDER BY created DESC LIMIT 1", (sha256,))
        return rows[0]["id"] if rows else None

    def latest_report_row(self, sha256: str) -> dict[str, Any] | None:
        """The latest report of a text with its view and date (what carrying reviews compares)."""
        rows = self._rows("SELECT id, created, report, view FROM reports WHERE sha256 = ? ORDER BY created DESC LIMIT 1",
                          (sha256,))
        if not rows:
            return None
        return {"id": rows[0]["id"], "created": rows[0]["created"], "report": json.loads(rows[0]["report"]),
                "view": json.loads(rows[0]["view"])}

    def documents(self) -> list[dict[str, Any]]:
        return [dict(r) for r in self._rows("SELECT sha256, name, title, created FROM documents ORDER BY created, sha256")]

    def document(self, sha256: str) -> dict[str, Any] | None:
        rows = self._rows("SELECT sha256, name, title, created FROM documents WHERE sha256 = ?", (sha256,))
        return dict(rows[0]) if rows else None

    def recent_reports(self, limit: int = 20) -> list[dict[str, Any]]:
        rows = self._rows("SELECT r.id, r.sha256, r.created, COALESCE(NULLIF(r.name, ''), d.name) AS name, d.title "
                          "FROM reports r "
                          "JOIN documents d ON d.sha256 = r.sha256 ORDER BY r.created DESC LIMIT ?", (limit,))
        return [dict(r) for r in rows]

    # ------------------------------------------------------------------ drafts compared
    def save_diff(self, diff_id: str, diff: dict[str, Any], view: dict[str, Any]) -> None:
        self._write("INSERT OR REPLACE INTO diffs(id, created, diff, view) VALUES (?,?,?,?)",
                    (diff_id, now(), json.dumps(diff, ensure_ascii=False), json.dumps(view, ensure_ascii=False)))

    def diffs(self, limit: int = 200) -> list[dict[str, Any]]:
        """Saved comparisons, newest first: id, date, the two drafts' names and how many elements changed."""
        out = []
        for r in self._rows("SELECT id, created, diff FROM diffs ORDER BY created DESC LIMIT ?", (limit,)):
            d = json.loads(r["diff"])
            out.append({"id": r["id"], "created": r["created"], "old": d.get("old", ""), "new": d.get("new", ""),
                        "changes": len(d.get("changes", [])),
                        "provisions_changed": sum(1 for p in d.get("provisions", []) if p.get("changed") or p.get("renumbered"))})
        return out

    def diff(self, diff_id: str) -> tuple[dict[str, Any], dict[str, Any]] | None:
        rows = self._rows("SELECT diff, view FROM diffs WHERE id = ?", (diff_id,))
        return (json.loads(rows[0]["diff"]), json.loads(rows[0]["view"])) if rows else None

    # ------------------------------------------------------------------ checks waiting (resumed at start)
    def enqueue(self, job_id: str, kind: str, uploads: list[tuple[str, bytes]]) -> None:
        import base64
        data = json.dumps([[name, base64.b64encode(b).decode("ascii")] for name, b in uploads])
        self._write("INSERT OR REPLACE INTO queue(id, kind, created, uploads) VALUES (?,?,?,?)", (job_id, kind, now(), data))

    def dequeue(self, job_id: str) -> None:
        self._write("DELETE FROM queue WHERE id = ?", (job_id,))

    def queued(self) -> list[tuple[str, str, list[tuple[str, bytes]]]]:
        """Checks accepted and not finished when the server last stopped, oldest first."""
        import base64
        out = []
        for r in self._rows("SELECT id, kind, uploads FROM queue ORDER BY created, rowid"):
            out.append((r["id"], r["kind"], [(n, base64.b64decode(b)) for n, b in json.loads(r["uploads"])]))
        return out

    # ------------------------------------------------------------------ reviews
    def add_review(self, document: str, element: str, status: str, note: str, reviewer: str,
                   evidence: str = "", engine_status: str = "", client_key: str | None = None,
                   supersedes: int | None = None, withdrawn: bool = False, reviewer_id: str = "") -> tuple[Review, bool]:
        """Store a review; (the review, whether it is new).

        A ``client_key`` already stored means the client is retrying a write whose answer it lost:
        the stored review is returned and nothing is added.  An edit or a withdrawal is a new row
        naming the one it replaces (``supersedes``): the history of what each reviewer said is never lost.
        """
        if client_key:
            found = self.review_by_key(client_key)
            if found is not None:
                return found, False
        created = now()
        try:
            rid = self._write("INSERT INTO reviews(document, element, status, note, reviewer, evidence, engine_status, "
                              "created, client_key, supersedes, withdrawn, reviewer_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                              (document, element, status, note, reviewer, evidence, engine_status, created,
                               client_key or None, supersedes, int(withdrawn), reviewer_id))
        except sqlite3.IntegrityError:  # the same key written at the same moment by a second request
            found = self.review_by_key(client_key) if client_key else None
            if found is None:
                raise
            return found, False
        return Review(rid, document, element, status, note, reviewer, evidence, engine_status, created,
                      client_key or None, supersedes, int(withdrawn), reviewer_id), True

    def review_by_key(self, client_key: str) -> Review | None:
        rows = self._rows("SELECT * FROM reviews WHERE client_key = ?", (client_key,))
        return Review(**dict(rows[0])) if rows else None

    def review(self, review_id: int) -> Review | None:
        rows = self._rows("SELECT * FROM reviews WHERE id = ?", (review_id,))
        return Review(**dict(rows[0])) if rows else None

    def reviews(self, document: str | None = None) -> list[Review]:
        sql = "SELECT * FROM reviews"
        args: tuple = ()
        if document:
            sql += " WHERE document = ?"
            args = (document,)
        return [Review(**dict(r)) for r in self._rows(sql + " ORDER BY created, id", args)]

    def reviewed_documents(self) -> Iterator[str]:
        for r in self._rows("SELECT DISTINCT document FROM reviews ORDER BY document"):
            yield r["document"]
