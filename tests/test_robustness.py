"""Hostile or unlucky input to the command line and the batch: a clean error or a named warning,
never an internal error, a silently lost statute or an orphaned process.

The batch tests replace the per-file analysis by a stand-in (what is tested is the naming, the
folder walk and the writing around it), except the worker test, which runs the real command.
"""
from __future__ import annotations

import errno
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import SAMPLE, shared_file

import lexalign.batch as batch_mod
from lexalign.cli import main
from lexalign.errors import InputError
from lexalign.ingest import ingest, ingest_bytes

BILL = SAMPLE / "sample-bill.txt"


# ----------------------------------------------------------------------------- a stand-in analysis

def fake_analyse(task):
    """A report that says which file it was made from, so that a row carrying another file's
    report shows."""
    text = Path(task.path).read_text(encoding="utf-8", errors="replace")
    status = "covered" if "harbour" in text.lower() else "missing"
    warnings = ["the PDF is damaged: page 2 of 3 could not be read and was skipped"] if "damaged" in text else []
    report = {"document": {"source": task.path, "warnings": warnings},
              "findings": [{"element": "art3.act.harbouring", "status": status, "confidence": 1.0, "evidence": []}]}
    return task.name, report, f"<html><body>report of {task.path}</body></html>", None


@pytest.fixture
def fake_batch(monkeypatch):
    monkeypatch.setattr(batch_mod, "analyse_file", fake_analyse)

    def run(*args):
        return CliRunner().invoke(main, ["batch", *map(str, args), "--no-progress"])
    return run


def matrix(out: Path) -> list[dict]:
    return json.loads((out / "matrix.json").read_text(encoding="utf-8"))["documents"]


# ----------------------------------------------------------------------------- 2. one name, two files

def test_batch_keeps_every_file_when_two_paths_map_to_one_report_name(tmp_path, fake_batch):
    src = tmp_path / "in"
    (src / "a").mkdir(parents=True)
    (src / "ke.txt").write_text("Section 1. Harbouring a person is an offence.\n", encoding="utf-8")
    (src / "ke.html").write_text("<html><body><p>Section 1. Recruiting a person.</p></body></html>", encoding="utf-8")
    (src / "a" / "b.txt").write_text("Section 2. Transport of persons.\n", encoding="utf-8")
    (src / "a__b.txt").write_text("Section 3. Harbouring again (damaged).\n", encoding="utf-8")
    out = tmp_path / "out"
    res = fake_batch(src, "--out", out)
    assert res.exit_code == 0, res.output
    assert "4 analysed, 0 failed" in res.stderr
    assert "would share the report name" in res.stderr
    rows = matrix(out)
    assert sorted(r["document"] for r in rows) == ["a/b.txt", "a__b.txt", "ke.html", "ke.txt"]
    assert len({r["report"] for r in rows}) == 4
    for r in rows:  # each row carries its own file's report
        page = (out / r["report"]).read_text(encoding="utf-8")
        assert page.endswith(f"/{r['document']}</body></html>"), (r, page)
        expected = "covered" if "harbour" in (src / r["document"]).read_text(encoding="utf-8").lower() else "missing"
        assert r["statuses"]["art3.act.harbouring"] == expected, r["document"]
    assert json.loads((out / "matrix.json").read_text())["notes"]
    # a file's own warnings (a damaged PDF) are said on stderr and kept beside its row
    assert "lexalign: warning: a__b.txt: the PDF is damaged: page 2" in res.stderr
    assert [r["document"] for r in rows if r["warnings"]] == ["a__b.txt"]
    assert "would share the report name" in (out / "index.html").read_text(encoding="utf-8")
    # a re-run takes all four from the cache, each under its own name
    again = fake_batch(src, "--out", out)
    assert "(0 to analyse, 4 from the cache)" in again.stderr
    assert matrix(out) == rows


def test_report_names_are_unchanged_when_nothing_collides():
    names, notes = batch_mod.report_names(["gh-act.txt", "sub/ke.pdf", "ke.txt"])
    assert names == {"gh-act.txt": "gh-act", "sub/ke.pdf": "sub__ke", "ke.txt": "ke"} and notes == []


# ----------------------------------------------------------------------------- 5. symlinks

def test_links_out_of_the_input_folder_are_skipped_unless_asked(tmp_path, fake_batch):
    src, outside = tmp_path / "in", tmp_path / "outside"
    src.mkdir()
    (outside / "deep").mkdir(parents=True)
    secret = outside / "passwd.txt"
    secret.write_text("root:x:0:0:root:/root:/bin/bash harbour\n", encoding="utf-8")
    (outside / "deep" / "other.txt").write_text("Section 9. Another secret.\n", encoding="utf-8")
    (src / "act.txt").write_text("Section 1. Harbouring.\n", encoding="utf-8")
    (src / "passwd.txt").symlink_to(secret)
    (src / "deep").symlink_to(outside / "deep", target_is_directory=True)
    (src / "same.txt").symlink_to(src / "act.txt")  # a link that stays inside is read
    out = tmp_path / "out"
    res = fake_batch(src, "--out", out)
    assert res.exit_code == 0, res.output
    assert sorted(r["document"] for r in matrix(out)) == ["act.txt", "same.txt"]
    assert not (out / "reports" / "passwd.html").exists()
    assert "passwd.txt: a link out of the folder" in res.stderr and "deep/: a link out of the folder" in res.stderr
    followed = fake_batch(src, "--out", tmp_path / "out2", "--follow-symlinks")
    assert followed.exit_code == 0, followed.output
    assert sorted(r["document"] for r in matrix(tmp_path / "out2")) == ["act.txt", "deep/other.txt", "passwd.txt",
                                                                        "same.txt"]


def test_a_link_loop_inside_the_folder_is_walked_once(tmp_path):
    src = tmp_path / "in"
    (src / "sub").mkdir(parents=True)
    (src / "sub" / "act.txt").write_text("Section 1.\n", encoding="utf-8")
    (src / "sub" / "up").symlink_to(src, target_is_directory=True)
    (src / "alias").symlink_to(src / "sub", target_is_directory=True)
    for follow in (True, False):
        found = batch_mod.discover(src, follow_symlinks=follow)
        assert [p.relative_to(src).as_posix() for p in found] in (["sub/act.txt"], ["alias/act.txt"]), follow
    assert [p.relative_to(src).as_posix() for p in batch_mod.discover(src)] == ["sub/act.txt"]


# ----------------------------------------------------------------------------- 7. output errors

@pytest.mark.parametrize("target", ["reports", "matrix.csv"])
def test_a_full_disk_is_exit_5_not_an_internal_error(tmp_path, fake_batch, monkeypatch, target):
    src = tmp_path / "in"
    src.mkdir()
    (src / "act.txt").write_text("Section 1. Harbouring.\n", encoding="utf-8")
    out = tmp_path / "out"
    real_open, real_write_text = io.open, Path.write_text

    def full(path) -> bool:
        return target in str(path)

    def fake_open(file, mode="r", *args, **kwargs):
        if any(m in mode for m in "wax") and full(file):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_open(file, mode, *args, **kwargs)

    def fake_write_text(self, *args, **kwargs):
        if full(self):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_write_text(self, *args, **kwargs)

    monkeypatch.setattr("builtins.open", fake_open)
    monkeypatch.setattr(Path, "write_text", fake_write_text)
    res = fake_batch(src, "--out", out)
    assert res.exit_code == 5, res.output
    assert "cannot write" in res.stderr and "No space left on device" in res.stderr
    assert "internal error" not in res.stderr


def test_an_output_folder_under_a_file_is_exit_5(tmp_path, fake_batch):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "act.txt").write_text("Section 1.\n", encoding="utf-8")
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    res = fake_batch(tmp_path / "in", "--out", tmp_path / "afile" / "out")
    assert res.exit_code == 5 and "cannot create" in res.stderr


# ----------------------------------------------------------------------------- 4. workers die with the batch

def test_workers_die_when_the_batch_is_killed(tmp_path):
    psutil = pytest.importorskip("psutil")
    src = tmp_path / "in"
    src.mkdir()
    for i in range(4):
        shutil.copy(BILL, src / f"bill-{i}.txt")
    env = {**os.environ, "LEXALIGN_EMBED_CACHE": "off"}
    proc = subprocess.Popen([sys.executable, "-m", "lexalign", "batch", str(src), "--out", str(tmp_path / "out"),
                             "--jobs", "2", "--no-progress"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env=env)
    parent = psutil.Process(proc.pid)
    workers: list = []
    try:
        deadline = time.time() + 120
        while time.time() < deadline and proc.poll() is None:
            workers = [p for p in parent.children(recursive=True) if _is_worker(p)]
            if len(workers) >= 2:
                break
            time.sleep(0.2)
        assert len(workers) >= 2, "the batch never started two workers"
        time.sleep(1.0)  # let the initializers run
        everyone = parent.children(recursive=True)
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        gone, alive = psutil.wait_procs(everyone, timeout=8)
        assert not alive, f"still alive after the batch was killed: {[p.pid for p in alive]}"
    finally:
        for p in workers:
            try:
                p.kill()
            except psutil.Error:
                pass
        if proc.poll() is None:
            proc.kill()


def _is_worker(p) -> bool:
    try:
        return p.status() != "zombie" and "resource_tracker" not in " ".join(p.cmdline())
    except Exception:
        return False


# ----------------------------------------------------------------------------- 3. damaged PDF pages

def make_pdf(pages: list[str]) -> bytes:
    """A small PDF with one line of Helvetica text per page, xref offsets exact."""
    objs: list[bytes] = []
    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(len(pages)))
    objs.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objs.append(f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode())
    font = 3 + 2 * len(pages)
    for i, text in enumerate(pages):
        objs.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {4 + 2 * i} 0 R "
                    f"/Resources << /Font << /F1 {font} 0 R >> >> >>".encode())
        lines = [text[k:k + 80] for k in range(0, len(text), 80)]
        ops = "BT /F1 11 Tf 14 TL 50 800 Td " + " ".join(f"({ln}) Tj T*" for ln in lines) + " ET"
        stream = zlib.compress(ops.encode("latin-1"))
        objs.append(b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream")
    objs.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def damage_page(pdf: bytes, number: int) -> bytes:
    """Overwrite the page object of page ``number`` (1-based, in page-tree order) with junk."""
    kids = re.search(rb"/Kids \[([^\]]*)\]", pdf).group(1).split(b" 0 R")
    objid = int(kids[number - 1].strip())
    start = pdf.index(b"\n%d 0 obj\n" % objid) + 1
    end = pdf.index(b"endobj", start)
    return pdf[:start] + b"x" * (end - start) + pdf[end:]


PAGES = ["Section 1. Short title. This Act is the Trafficking Act.",
         "Section 2. Offence. Whoever recruits or harbours a person for exploitation commits an offence.",
         "Section 3. Penalty. The offence is punished by ten years."]


def test_a_damaged_pdf_page_is_named_in_the_warnings(tmp_path):
    good = ingest_bytes(make_pdf(PAGES), source="act.pdf", suffix=".pdf")
    assert good.warnings == [] and "Section 2" in good.text
    doc = ingest_bytes(damage_page(make_pdf(PAGES), 2), source="act.pdf", suffix=".pdf")
    assert any("page 2 of 3" in w and "damaged" in w for w in doc.warnings), doc.warnings
    assert "Section 1" in doc.text and "Section 3" in doc.text and "Section 2" not in doc.text
    assert len(doc.page_starts) == 3  # page numbers after the lost page stay right
    (tmp_path / "act.pdf").write_bytes(damage_page(make_pdf(PAGES), 2))
    res = subprocess.run([sys.executable, "-m", "lexalign", "segment", str(tmp_path / "act.pdf")],
                         capture_output=True, text=True, timeout=300)
    assert res.returncode == 0 and "lexalign: warning: the PDF is damaged: page 2 of 3" in res.stderr


def test_a_damaged_page_of_a_real_statute_is_named(tmp_path):
    pdf = shared_file("pdf/lk-saarc-trafficking-convention-act-30-2005.pdf").read_bytes()
    obj = re.search(rb"(\d+) 0 obj\s*<<\s*/Type\s*/Pages\b.*?/Kids\s*\[([^\]]*)\]", pdf, re.S)
    third = int(obj.group(2).split(b"R")[2].split()[0])
    start = re.search(rb"(?<!\d)%d 0 obj" % third, pdf).start()
    end = pdf.index(b"endobj", start)
    (tmp_path / "lk.pdf").write_bytes(pdf[:start] + b"x" * (end - start) + pdf[end:])
    doc = ingest(tmp_path / "lk.pdf")
    assert any("page 3 of" in w for w in doc.warnings), doc.warnings


# ----------------------------------------------------------------------------- 7. input that used to crash

@pytest.mark.parametrize("name,data,fragment", [
    ("deep.xml", b"<akomaNtoso><act><body>" + b"<section>" * 2000 + b"x" + b"</section>" * 2000
     + b"</body></act></akomaNtoso>", "nested"),
    ("idna.xml", b'<?xml version="1.0" encoding="idna"?><akomaNtoso><act><body><p>Section 1.</p></body></act>'
     b'</akomaNtoso>', "encoding"),
    ("undefined.xml", b'<?xml version="1.0" encoding="undefined"?><akomaNtoso><act/></akomaNtoso>', "encoding"),
])
def test_pathological_input_is_a_clean_input_error(tmp_path, name, data, fragment):
    with pytest.raises(InputError, match=fragment):
        ingest_bytes(data, source=name, suffix=Path(name).suffix)
    (tmp_path / name).write_bytes(data)
    res = CliRunner().invoke(main, ["segment", str(tmp_path / name)])
    assert res.exit_code == 3 and "internal error" not in res.stderr


@pytest.mark.parametrize("charset", ["idna", "undefined", "rot13", "base64", "utf-16", "no-such-codec"])
def test_an_html_page_naming_an_impossible_charset_is_read_with_a_warning(charset):
    page = (f'<html><head><meta charset="{charset}"></head><body><p>Section 1. Whoever harbours a person '
            'for exploitation commits an offence.</p></body></html>').encode("ascii")
    doc = ingest_bytes(page, source="act.html", suffix=".html")
    assert "Whoever harbours a person" in doc.text
    if charset != "utf-16":
        assert any("cannot be honoured" in w for w in doc.warnings), doc.warnings


def test_a_declared_legacy_charset_is_still_honoured():
    page = ('<html><head><meta charset="windows-1252"></head><body><p>Article 1. La traite des êtres humains '
            '\u2014 «\u00a0définie\u00a0» \u2014 est punie.</p></body></html>').encode("cp1252")
    doc = ingest_bytes(page, source="loi.html", suffix=".html")
    assert "êtres humains — «" in doc.text and doc.warnings == []


@pytest.mark.parametrize("codec,text", [
    ("shift_jis", "第一条 この法律は、人身取引の防止を目的とする。第二条 何人も、人身取引をしてはならない。"),
    ("koi8_r", "Статья 1. Торговля людьми запрещается. Статья 2. Вербовка, перевозка, передача."),
])
def test_text_in_an_unsupported_encoding_is_flagged_not_read_as_silent_mojibake(codec, text):
    doc = ingest_bytes((text * 10).encode(codec), source="act.txt", suffix=".txt")
    assert any("another encoding" in w for w in doc.warnings), doc.warnings
    page = b"<html><head><title>Act</title></head><body><p>" + (text * 10).encode(codec) + b"</p></body></html>"
    doc = ingest_bytes(page, source="act.html", suffix=".html")
    assert any("another encoding" in w for w in doc.warnings), doc.warnings


def test_real_cp1252_french_and_spanish_read_without_a_warning():
    text = ("Article 1er. Est puni de sept ans d'emprisonnement le fait de recruter, transporter, héberger ou "
            "accueillir une personne à des fins d'exploitation. Artículo 2. Será castigado con la pena de prisión "
            "quien captare, trasladare o acogiere a una persona, aunque mediare el consentimiento de la víctima. "
            "Être âgé de moins de dix-huit ans ; « réduction en servitude » ; l'État français.\n") * 5
    doc = ingest_bytes(text.encode("cp1252"), source="loi.txt", suffix=".txt")
    assert doc.warnings == [] and "héberger" in doc.text
