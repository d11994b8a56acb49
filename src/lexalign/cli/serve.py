"""``lexalign serve``: the local workbench (upload, report, compare, corpus overview, reviews)."""
from __future__ import annotations

from pathlib import Path

import click

from ..errors import UsageError
from .base import friendly


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. The default answers this machine only; 0.0.0.0 opens it to the network.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option("--allowed-host", "allowed", multiple=True, metavar="NAME",
              help="A host name (or address) people use to reach the server, e.g. lexalign.lan or 192.168.1.20; "
                   "repeatable; *.example.org allows its sub-domains. Requests addressed to any other name are "
                   "refused (DNS rebinding), whatever --host is.")
@click.option("--db", default=None, help="SQLite file for reports and reviews (default: ~/.local/share/lexalign/reviews.sqlite).")
@click.option("--corpus", default=None, help="A folder of statutes to check and show as a country x group overview.")
@click.option("--model", default=None, help="sentence-transformers model name or path (default: the bundled MiniLM).")
@click.option("--max-size", default=20.0, show_default=True, help="Refuse uploaded files larger than this many MB.")
@click.option("--follow-symlinks", is_flag=True,
              help="Read symbolic links that lead out of the --corpus folder (skipped with a warning by default).")
@click.option("--reviewers", "reviewers_file", default=None,
              help="A file of reviewers' names, one per line (or name<TAB>id): reviews must then carry one of them.")
@click.option("--timeout", default=600.0, show_default=True,
              help="Seconds a check may take before it is stopped with a clear message (0: no limit).")
@click.option("--rules-only", is_flag=True, hidden=True,
              help="Skip the embedding model (quick; verdicts may differ from 'lexalign check'). For tests.")
@friendly
def serve(host, port, allowed, db, corpus, model, max_size, follow_symlinks, reviewers_file, timeout, rules_only):
    """Run the workbench in a browser: check statutes, compare drafts, review findings."""
    import uvicorn

    from ..store import default_db_path
    from ..web import create_app
    from ..web.security import ANY_ADDRESS, LOOPBACK_NAMES, allowed_host_names

    from ..reviews import read_reviewers

    if corpus and not Path(corpus).is_dir():
        raise UsageError(f"{corpus}: corpus folder not found")
    reviewers = read_reviewers(reviewers_file) if reviewers_file else None
    _check_port(host, port)
    db_path = Path(db) if db else default_db_path()
    loopback = host in LOOPBACK_NAMES
    names = allowed_host_names(host, allowed)
    app = create_app(db_path, corpus=corpus, model=model, rules_only=rules_only, max_mb=max_size,
                     allowed_hosts=names, follow_symlinks=follow_symlinks, reviewers=reviewers,
                     timeout=timeout or None)
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"lexalign: workbench on http://{shown}:{port}/ (reviews in {db_path}); Ctrl-C stops it", err=True)
    if not loopback:
        click.echo("lexalign: warning: listening beyond this machine; anyone who can reach it can read and add reviews",
                   err=True)
        click.echo(f"lexalign: requests are answered only when addressed to {', '.join(names)}"
                   + ("; add --allowed-host NAME for each name or address people use to reach it"
                      if host in ANY_ADDRESS and not allowed else ""), err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)


def _check_port(host: str, port: int) -> None:
    """Say plainly that the port is taken, before loading anything (uvicorn would log a traceback-ish line)."""
    import socket
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise UsageError(f"cannot listen on {host}: {exc.strerror or exc}") from None
    family, _, _, _, addr = infos[0]
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(addr)
        except OSError as exc:
            raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
