"""The researchers' overview of many statutes: a country x group view first, elements on demand.

An 84-column heat map has labels too small to read.  The overview therefore leads with the 20
element groups (one cell per country and group: the share of the group's elements the statute
covers) plus a red-flag column, and opens the elements of one group only when asked.  The same
functions draw ``lexalign batch``'s ``heatmap.png`` and ``index.html`` and the batch page of
``lexalign serve``, so the two never drift apart.

Share covered = covered elements / elements of the group; a partial counts as not covered (a wrong
"covered" is worse than an honest "partial"), and the number of partials is shown beside it.
"""
from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from .i18n import translator
from .models import Element
from .reference import GROUP_TITLES

STATUS_CODE = {"missing": 0, "not_raised": 0, "partial": 1, "covered": 2, "raised": 3}
FLAG_GROUP = "flag"


@dataclass
class Row:
    """One statute of the overview: its name, jurisdiction and element -> status."""

    key: str  # the report's file stem (batch) or report id (serve)
    name: str
    jurisdiction: str
    statuses: dict[str, str]


@dataclass
class GroupCell:
    """The verdicts on the elements of one group for one statute."""

    group: str
    elements: int
    covered: int
    partial: int
    raised: int

    @property
    def share(self) -> float:
        """Share covered (of a flag group: share raised)."""
        if not self.elements:
            return 0.0
        return (self.raised if self.group == FLAG_GROUP else self.covered) / self.elements

    def label(self) -> str:
        if self.group == FLAG_GROUP:
            return str(self.raised) if self.raised else "·"
        return f"{round(100 * self.share)}%"

    def title(self, lang: str = "en") -> str:
        t = translator(lang)
        if self.group == FLAG_GROUP:
            return t.gettext("{raised} of {total} red flags raised").format(raised=self.raised, total=self.elements)
        return t.gettext("{covered} of {total} covered, {partial} partial").format(
            covered=self.covered, total=self.elements, partial=self.partial)


def groups_of(elements: Iterable[Element]) -> list[tuple[str, list[Element]]]:
    """The catalogue's groups in catalogue order, red flags last."""
    out: dict[str, list[Element]] = {}
    for e in elements:
        out.setdefault(e.group, []).append(e)
    return sorted(out.items(), key=lambda kv: kv[0] == FLAG_GROUP)


def short_group(group: str, lang: str = "en") -> str:
    """'Art. 3(a) — Means' -> 'Means': column labels a reader can take in at a glance."""
    from .phrasing import group_title
    t = translator(lang)
    if group == FLAG_GROUP:
        return t.gettext("Red flags")
    if group == "untoc":
        return t.gettext("UNTOC provisions")
    return group_title(group, lang).split(" — ", 1)[-1]


def group_cells(statuses: dict[str, str], groups: list[tuple[str, list[Element]]]) -> list[GroupCell]:
    cells = []
    for g, els in groups:
        st = [statuses.get(e.id, "") for e in els]
        cells.append(GroupCell(g, len(els), st.count("covered"), st.count("partial"), st.count("raised")))
    return cells


def heatmap(path: Path, rows: list[Row], elements: Iterable[Element]) -> None:
    """PNG: statutes x groups, colour = share covered (red flags in their own red column)."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    groups = groups_of(elements)
    cells = [group_cells(r.statuses, groups) for r in rows]
    ordinary = [k for k, (g, _) in enumerate(groups) if g != FLAG_GROUP]
    flag_cols = [k for k, (g, _) in enumerate(groups) if g == FLAG_GROUP]
    data = np.array([[c[k].share for k in ordinary] for c in cells]) if rows else np.zeros((0, len(ordinary)))
    width = 2.6 + 0.62 * (len(ordinary) + len(flag_cols))
    fig_h = max(3.2, 0.34 * len(rows) + 2.6)
    fig, ax = plt.subplots(figsize=(width, fig_h))
    ax.imshow(data, aspect="auto", cmap="Greens", vmin=0, vmax=1, interpolation="nearest",
              extent=(-0.5, len(ordinary) - 0.5, len(rows) - 0.5, -0.5))
    for i, c in enumerate(cells):
        for j, k in enumerate(ordinary):
            ax.text(j, i, c[k].label().rstrip("%"), ha="center", va="center", fontsize=7,
                    color="white" if c[k].share > 0.6 else "#222")
        for n, k in enumerate(flag_cols):
            x = len(ordinary) + n
            raised = c[k].raised
            ax.add_patch(plt.Rectangle((x - 0.5, i - 0.5), 1, 1, color="#c62828" if raised else "#f3f3f3"))
            ax.text(x, i, c[k].label(), ha="center", va="center", fontsize=7, color="white" if raised else "#666")
    ax.set_xlim(-0.5, len(ordinary) + len(flag_cols) - 0.5)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels([f"{r.jurisdiction} · {Path(r.name).stem[:30]}" for r in rows], fontsize=8)
    labels = [short_group(groups[k][0]) for k in ordinary] + [short_group(groups[k][0]) for k in flag_cols]
    ax.set_xticks(range(len(labels)))
    ax.set_xticklabels(labels, rotation=50, ha="right", fontsize=8)
    ax.axvline(len(ordinary) - 0.5, color="white", linewidth=3)
    ax.set_title("lexalign: share of each group's elements covered (%; red flags: number raised)", fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _cell_class(cell: GroupCell) -> str:
    if cell.group == FLAG_GROUP:
        return "flag-on" if cell.raised else "flag-off"
    return f"q{min(4, int(cell.share * 5))}"


def overview_tables(rows: list[Row], elements: Iterable[Element],
                    link: Callable[[Row, str], str], lang: str = "en") -> str:
    """HTML (a fragment): the group table, then one folded table per group with its elements.

    ``link(row, element_id)`` is where a cell points (the finding in that statute's report); a
    group cell points to the group's first element.
    """
    from .phrasing import element_definition, element_name, group_title, status_word
    esc = html.escape
    t = translator(lang)
    groups = groups_of(elements)
    head = "".join(f'<th class="grp" title="{esc(group_title(g, lang))}"><a href="#group-{esc(g)}">'
                   f'{esc(short_group(g, lang))}</a></th>' for g, _ in groups)
    body = []
    for r in rows:
        cells = group_cells(r.statuses, groups)
        tds = "".join(f'<td class="{_cell_class(c)}" data-sort="{c.share:.3f}" title="{esc(c.title(lang))}">'
                      f'<a href="{esc(link(r, els[0].id))}">{esc(c.label())}</a></td>'
                      for c, (_, els) in zip(cells, groups))
        body.append(f'<tr><th class="doc" data-sort="{esc(r.name)}" title="{esc(r.name)}">{esc(r.jurisdiction)} · '
                    f'{esc(Path(r.name).stem)}</th>{tds}</tr>')
    statute = esc(t.gettext("statute"))
    out = [f'<div class="scroll"><table class="overview sortable" id="groups"><thead><tr><th>{statute}</th>',
           head, "</tr></thead><tbody>", "".join(body), "</tbody></table></div>"]
    for g, els in groups:
        ehead = "".join(f'<th class="el" title="{esc(e.id)}: {esc(element_definition(e, lang))}"><span>'
                        f'{esc(element_name(e.id, lang))}</span></th>' for e in els)
        erows = []
        for r in rows:
            tds = "".join(
                f'<td class="s-{esc(r.statuses.get(e.id, ""))}" data-sort="{STATUS_CODE.get(r.statuses.get(e.id, ""), 0)}"'
                f' title="{esc(element_name(e.id, lang))} ({esc(e.id)}): '
                f'{esc(status_word(r.statuses[e.id], lang) if r.statuses.get(e.id) else t.gettext("not checked"))}">'
                f'<a href="{esc(link(r, e.id))}">'
                f'{ {"covered": "●", "partial": "◐", "raised": "!"}.get(r.statuses.get(e.id, ""), "○")}</a></td>'
                for e in els)
            erows.append(f'<tr><th class="doc">{esc(r.jurisdiction)} · {esc(Path(r.name).stem)}</th>{tds}</tr>')
        count = t.ngettext("%(num)d element", "%(num)d elements", len(els)) % {"num": len(els)}
        out.append(f'<details class="group" id="group-{esc(g)}"><summary>{esc(group_title(g, lang))} '
                   f'<small>({esc(count)})</small></summary><div class="scroll"><table class="overview sortable">'
                   f'<thead><tr><th>{statute}</th>{ehead}</tr></thead><tbody>{"".join(erows)}</tbody></table></div></details>')
    return "".join(out)


OVERVIEW_CSS = """
table.overview{border-collapse:collapse;font-size:13px}
.overview th,.overview td{border:1px solid #ddd;padding:2px 4px;text-align:center}
.overview th.doc{text-align:left;white-space:nowrap;position:sticky;left:0;background:#fff;font-weight:normal}
.overview thead th{background:#f3f3f3;position:sticky;top:0;cursor:pointer;font-size:12px;vertical-align:bottom}
.overview th.grp{max-width:6.5em;white-space:normal;font-weight:600}
.overview th.el{height:150px;padding:0}.overview th.el span{writing-mode:vertical-rl;transform:rotate(180deg);font-weight:normal;padding:3px}
.overview td a{color:inherit;text-decoration:none;display:block}
.q0{background:#f7fcf5}.q1{background:#c7e9c0}.q2{background:#74c476}.q3{background:#31a354;color:#fff}.q4{background:#006d2c;color:#fff}
.flag-on{background:#c62828;color:#fff}.flag-off{background:#f6f6f6;color:#888}
.s-covered{background:#2e7d32;color:#fff}.s-partial{background:#f9c74f}.s-raised{background:#c62828;color:#fff}
.s-missing,.s-not_raised{background:#fafafa;color:#999}
.scroll{overflow:auto;max-height:80vh;border:1px solid #ddd;margin:.5rem 0}
details.group{margin:.4rem 0}details.group summary{cursor:pointer;font-weight:600}
.legend span{display:inline-block;padding:2px 8px;margin-right:6px;border:1px solid #ddd}
"""

#: click a column heading to sort by it (numbers by their data-sort value); no library needed
SORT_JS = """
document.querySelectorAll('table.sortable').forEach(function(t){t.querySelectorAll('thead th').forEach(function(th,i){
 th.addEventListener('click',function(ev){if(ev.target.tagName==='A'&&i>0)return;var tb=t.tBodies[0];var rows=Array.from(tb.rows);
 var asc=th.dataset.asc!=='1';th.dataset.asc=asc?'1':'0';rows.sort(function(a,b){var x=a.cells[i].dataset.sort||a.cells[i].textContent,
 y=b.cells[i].dataset.sort||b.cells[i].textContent;var nx=parseFloat(x),ny=parseFloat(y);
 var c=(!isNaN(nx)&&!isNaN(ny))?nx-ny:x.localeCompare(y);return asc?c:-c;});rows.forEach(function(r){tb.appendChild(r);});});});});
document.querySelectorAll('a[href^="#group-"]').forEach(function(a){a.addEventListener('click',function(){
 var d=document.getElementById(a.hash.slice(1));if(d)d.open=true;});});
"""

LEGEND = ('<p class="legend">Group cells: share of the group\'s elements covered '
          '<span class="q0">0–19%</span><span class="q1">20–39%</span><span class="q2">40–59%</span>'
          '<span class="q3">60–79%</span><span class="q4">80–100%</span> '
          '(partials count as not covered; hover for the numbers); red flags: number raised '
          '<span class="flag-on">2</span>. Element cells: <span class="s-covered">● covered</span>'
          '<span class="s-partial">◐ partial</span><span class="s-missing">○ missing</span>'
          '<span class="s-raised">! red flag</span></p>')


def legend(lang: str = "en") -> str:
    """The legend of the overview tables in the reader's language."""
    t = translator(lang)
    esc = html.escape
    return ('<p class="legend">' + esc(t.gettext("Group cells: share of the group's elements covered")) + ' '
            '<span class="q0">0–19%</span><span class="q1">20–39%</span><span class="q2">40–59%</span>'
            '<span class="q3">60–79%</span><span class="q4">80–100%</span> '
            + esc(t.gettext("(partials count as not covered; hover for the numbers); red flags: number raised")) +
            ' <span class="flag-on">2</span>. ' + esc(t.gettext("Element cells:")) +
            f' <span class="s-covered">● {esc(t.pgettext("status", "covered"))}</span>'
            f'<span class="s-partial">◐ {esc(t.pgettext("status", "partial"))}</span>'
            f'<span class="s-missing">○ {esc(t.pgettext("status", "missing"))}</span>'
            f'<span class="s-raised">! {esc(t.gettext("red flag"))}</span></p>')


def index_html(rows: list[Row], elements: Iterable[Element], errors: dict[str, str],
               link: Callable[[Row, str], str]) -> str:
    """``lexalign batch``'s self-contained index.html: group view, heat map, elements on demand."""
    esc = html.escape
    err_html = ""
    if errors:
        err_html = "<h2>Files that failed</h2><ul>" + "".join(
            f"<li><code>{esc(name)}</code>: {esc(msg)}</li>" for name, msg in sorted(errors.items())) + "</ul>"
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src 'self'">
<title>lexalign batch overview</title><style>
body{{font-family:system-ui,sans-serif;margin:1.5rem;color:#1b1b1b}}{OVERVIEW_CSS}</style></head><body>
<h1>lexalign batch overview</h1>
<p>{len(rows)} documents analysed, {len(errors)} failed. Rows are in clustering order (similar coverage together);
click a column heading to sort, a cell to open the finding, a group below to see its elements.</p>
{LEGEND}
{overview_tables(rows, elements, link)}
<h2>Heat map</h2><p><img src="heatmap.png" alt="heat map: share of each group's elements covered, per statute" style="max-width:100%"></p>
{err_html}
<script>{SORT_JS}</script></body></html>
"""
