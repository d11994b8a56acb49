"""The batch overview leads with a country x group view and opens a group's elements on demand."""
from __future__ import annotations

from lexalign.overview import FLAG_GROUP, Row, group_cells, groups_of, heatmap, index_html, short_group
from lexalign.reference import load_catalogue


def _row(key: str, covered: set[str], partial: set[str] = frozenset(), raised: set[str] = frozenset()) -> Row:
    statuses = {}
    for e in load_catalogue():
        if e.is_flag:
            statuses[e.id] = "raised" if e.id in raised else "not_raised"
        else:
            statuses[e.id] = "covered" if e.id in covered else ("partial" if e.id in partial else "missing")
    return Row(key, f"{key}.txt", key[:2].upper(), statuses)


def test_share_covered_counts_partials_as_not_covered_and_flags_apart():
    groups = groups_of(load_catalogue())
    acts = [e.id for e in dict(groups)["act"]]
    flag = dict(groups)[FLAG_GROUP][0].id
    row = _row("xx-act", covered=set(acts[:2]), partial={acts[2]}, raised={flag})
    cells = {c.group: c for c in group_cells(row.statuses, groups)}
    assert cells["act"].covered == 2 and cells["act"].partial == 1
    assert abs(cells["act"].share - 2 / len(acts)) < 1e-9
    assert cells[FLAG_GROUP].raised == 1 and cells[FLAG_GROUP].label() == "1"
    assert [g for g, _ in groups][-1] == FLAG_GROUP and len(groups) == 21


def test_index_leads_with_groups_and_links_every_cell_to_a_finding(tmp_path):
    rows = [_row("aa-one", {"art3.act.recruitment"}), _row("bb-two", set())]
    page = index_html(rows, load_catalogue(), {"broken.pdf": "broken.pdf: not a PDF"},
                      link=lambda r, eid: f"reports/{r.key}.html#{eid}")
    assert page.index('id="groups"') < page.index('<details class="group"') < page.index("heatmap.png")
    assert 'href="reports/aa-one.html#art3.act.recruitment"' in page
    assert short_group("means") == "Means" and ">Means</a>" in page
    assert "broken.pdf: not a PDF" in page
    heatmap(tmp_path / "h.png", rows, load_catalogue())
    assert (tmp_path / "h.png").stat().st_size > 1000
