"""Property: the same provision tree comes back whatever the layout it is printed in.

Every convention of the layout zoo, with and without a table of contents and with and without
page furniture, must give back every provision: its number, its place in the tree and its text.
"""
from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import CORPORA
from layout_zoo import BUILTIN, CONVENTIONS, RUNNING_HEAD, ZooNode, render, tree_of
from lexalign.ingest import ingest, ingest_bytes
from lexalign.segment import flatten, segment

_SECTION_KINDS = ("section", "article")
_ZOO_SOURCES = ["my-atip-bill-2007.txt", "lk-saarc-trafficking-act-2005.txt", "ug-ptip-act-2009.txt",
                "na-ctip-act-2018.txt", "bd-suppression-immoral-traffic-act-1933.txt", "bb-trafficking-in-persons-prevention-bill-2016.txt"]


def _norm(text: str) -> str:
    return " ".join(text.replace("“", '"').replace("”", '"').split())


def _expected(tree: list[ZooNode]) -> dict[tuple, ZooNode]:
    out = {}
    for sec in tree:
        def visit(node, path):
            out[path] = node
            for c in node.children:
                visit(c, path + (c.num,))
        visit(sec, (sec.num,))
    return out


def _recovered(provisions) -> dict[tuple, object]:
    out = {}
    for top in provisions:
        for p in top.walk():
            if p.kind not in _SECTION_KINDS:
                continue
            def visit(node, path):
                out[path] = node
                for c in node.children:
                    visit(c, path + ((c.term if c.kind == "definition" else c.num),))
            visit(p, (p.num,))
    return out


def _kind_matches(expected: ZooNode, got) -> bool:
    if expected.kind == "section":
        return got.kind in _SECTION_KINDS
    return got.kind == expected.kind


def _text_matches(expected: ZooNode, got) -> bool:
    """The provision's own words are all there, and nothing else but its number and page furniture."""
    own = _norm(got.text)
    want = _norm(expected.text)
    if want and want not in own:
        return False
    rest = own.replace(want, " ", 1) if want else own
    for extra in (RUNNING_HEAD, _norm(expected.heading)):
        if extra:
            rest = rest.replace(extra, " ")
    rest = re.sub(r"\bPage \d+\b|- \d+ -", " ", rest)  # page numbers the zoo printed
    if expected.kind == "section" and expected.heading and \
            _norm(got.heading).rstrip(".") not in ("", _norm(expected.heading).rstrip(".")):
        return False
    leftover = [w for w in rest.split() if not re.fullmatch(r"[\W\d]*|[-–—.°]+|\(?\w{1,4}\)|§|Section|SECTION|"
                                                              r"Article|Art\.|Artículo|ARTÍCULO|premier|#+|\d+°?\.?-?|-", w)]
    return not leftover


def recovery(tree: list[ZooNode], text: str) -> tuple[int, int, list[str]]:
    """Provisions of ``tree`` recovered from ``text``: (recovered, expected, problems)."""
    doc = ingest_bytes(text.encode("utf-8"), source="zoo.txt")
    got = _recovered(segment(doc))
    want = _expected(tree)
    problems = []
    for path, node in want.items():
        p = got.get(path)
        if p is None:
            problems.append(f"{path}: missing")
        elif not _kind_matches(node, p):
            problems.append(f"{path}: {p.kind} instead of {node.kind}")
        elif not _text_matches(node, p):
            problems.append(f"{path}: text {_norm(p.text)[:80]!r} heading {p.heading!r}")
    extra = [path for path in got if path not in want]
    problems.extend(f"{path}: not in the tree" for path in extra)
    return len(want) - sum(1 for pr in problems if "not in the tree" not in pr), len(want), problems


VARIANTS = [(toc, furniture) for toc in (False, True) for furniture in (False, True)]


@pytest.mark.parametrize("convention", list(CONVENTIONS))
def test_builtin_tree_comes_back_in_every_convention(convention):
    for toc, furniture in VARIANTS:
        text = render(BUILTIN, convention, toc=toc, furniture=furniture)
        ok, total, problems = recovery(BUILTIN, text)
        assert not problems, f"{convention} toc={toc} furniture={furniture}: {ok}/{total}\n" + "\n".join(problems[:10])


def test_at_least_ten_conventions():
    assert len(CONVENTIONS) >= 10


@pytest.fixture(scope="module")
def statute_trees():
    if not CORPORA.is_dir():
        pytest.skip("shared corpus not available")
    trees = {}
    for name in _ZOO_SOURCES:
        path = CORPORA / name
        if path.exists():
            doc = ingest(path)
            tree = tree_of(flatten(segment(doc)), doc.text)
            if tree:
                trees[name] = tree
    if not trees:
        pytest.skip("no statute gave a zoo tree")
    return trees


@pytest.mark.parametrize("convention", list(CONVENTIONS))
def test_statute_trees_come_back_in_every_convention(convention, statute_trees):
    for name, tree in statute_trees.items():
        for toc, furniture in ((False, False), (True, True)):
            ok, total, problems = recovery(tree, render(tree, convention, toc=toc, furniture=furniture))
            assert not problems, (f"{name} in {convention} toc={toc} furniture={furniture}: {ok}/{total}\n"
                                  + "\n".join(problems[:10]))


# ----------------------------------------------------------------------------- generated trees

_WORDS = ["person", "offence", "victim", "court", "child", "labour", "penalty", "order", "property", "officer"]
_sentence = st.lists(st.sampled_from(_WORDS), min_size=3, max_size=9).map(
    lambda ws: "Any " + " ".join(ws) + " commits an offence.")
_heading = st.lists(st.sampled_from(_WORDS), min_size=1, max_size=4).map(lambda ws: " ".join(ws).capitalize())


@st.composite
def _trees(draw):
    tree = []
    for n in range(1, draw(st.integers(2, 5)) + 1):
        subs = []
        for k in range(1, draw(st.integers(0, 3)) + 1):
            paras = [ZooNode("paragraph", chr(96 + j), draw(_sentence)[:-1] + ";") for j in range(1, draw(st.integers(0, 3)) + 1)]
            text = draw(_sentence)
            if paras:
                text = text[:-1] + " where—"
            subs.append(ZooNode("subsection", str(k), text, "", paras))
        tree.append(ZooNode("section", str(n), "" if subs else draw(_sentence), draw(_heading), subs))
    return tree


@settings(max_examples=25, deadline=None)
@given(_trees(), st.sampled_from(list(CONVENTIONS)), st.booleans(), st.booleans())
def test_generated_trees_come_back_whatever_the_layout(tree, convention, toc, furniture):
    ok, total, problems = recovery(tree, render(tree, convention, toc=toc, furniture=furniture))
    assert not problems, f"{convention} toc={toc} furniture={furniture}\n" + "\n".join(problems[:10])
