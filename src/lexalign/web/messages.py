"""The workbench's own sentences outside the templates: job stages, server messages, the script's words.

Server messages are English sentences (the JSON API returns them as they are); a page shows them
in the reader's language when they are one of the known sentences or templates below, and as they
are otherwise (an ingest error quoting a file, say).
"""
from __future__ import annotations

import functools
import re

from ..i18n import translator
from ..phrasing import N_

STAGES = [N_("waiting for the checker"), N_("done"), N_("reading the file"), N_("reading the files"),
          N_("analysing: provisions, element rules"), N_("analysing: provisions, element rules, embeddings"),
          N_("preparing the report page"), N_("reading both drafts"), N_("analysing both drafts"),
          N_("preparing the comparison page")]

#: server messages with a slot ({path}, {id}) that a page translates
_MESSAGES = [
    (r"(?P<path>/\S*): no such page", N_("{path}: no such page")),
    (r"no report (?P<id>\S+)", N_("no report {id}")),
    (r"no comparison (?P<id>\S+)", N_("no comparison {id}")),
    (r"no job (?P<id>\S+): jobs are forgotten when the server restarts \(reports are kept\)",
     N_("no job {id}: jobs are forgotten when the server restarts (reports are kept)")),
]
_FIXED = [N_("the server was started without --corpus: there is no folder to overview"),
          N_("Choose a file or paste the text of a statute first."),
          N_("Give one earlier draft and one later draft (a file or pasted text for each)."),
          N_("request refused")]


def stage_label(stage: str, lang: str) -> str:
    return translator(lang).gettext(stage) if stage else ""


@functools.lru_cache(maxsize=1)
def _compiled():
    return [(re.compile(rx + r"\Z"), msg) for rx, msg in _MESSAGES]


def message_label(message: str | None, lang: str) -> str:
    """A server message in the reader's language (as it is when it is not a known sentence)."""
    if not message:
        return ""
    t = translator(lang)
    if t.has(None, message):
        return t.gettext(message)
    for rx, msg in _compiled():
        m = rx.match(message)
        if m:
            return t.gettext(msg).format(**m.groupdict())
    return message


#: what app.js writes into pages (progress, filters, reviews), by key
JS_STRINGS = {
    "elapsed": N_("{elapsed} s elapsed; about {expected} s expected."),
    "ahead": N_("{n} check(s) ahead"),
    "rests_on": N_("{name}: rests on {provisions}"),
    "highlighted": N_("the highlighted words"),
    "no_words": N_("{name}: no words of the statute support it."),
    "shown": N_("{shown} of {total} findings shown"),
    "give_name": N_("Give your name: reviews are kept with the reviewer's name."),
    "saving": N_("Saving…"),
    "not_saved": N_("The review was not saved."),
    "saved": N_("Saved."),
    "now_disagree": N_("Reviewers now disagree on this finding."),
    "disagree": N_("reviewers disagree"),
    "reviewed": N_("reviewed:"),
    "no_answer": N_("The server did not answer; the review was not saved."),
    "confirm": N_("Confirm “{verdict}”"),
    "confirm_title": N_("The engine's verdict is right"),
    "covered": N_("covered"), "partial": N_("partial"), "missing": N_("missing"),
    "raised": N_("red flag raised"), "not_raised": N_("not raised"),
    "reviewers_cite": N_("{name}: the reviewers cite {evidence} (the engine quoted no words)."),
    "n_reviewed": N_("{reviewed} of {total} reviewed"),
    "n_overriding": N_("{n} overriding the engine"),
    "n_disagreeing": N_("{n} with reviewers disagreeing"),
    "reviewed_override": N_("reviewed: {verdict} · engine: {engine}"),
    "reviewed_confirmed": N_("reviewed: confirmed"),
    "withdrew": N_("withdrew their review"),
    "evidence": N_("evidence:"),
    "edit": N_("edit"), "withdraw": N_("withdraw"),
    "review_so_far": N_("Review this finding ({n} so far)"),
    "save_review": N_("Save review"), "save_edit": N_("Save the edit"),
    "not_withdrawn": N_("The review was not withdrawn."), "withdrawn": N_("Withdrawn."),
    "considered_for": N_("{citation} was considered for {element}"),
    "no_provision": N_("No provision {citation} in this text."),
    "showing_instead": N_("No {citation} in this text: showing {other}."),
    "n_hits": N_("{n} hits"), "no_hit": N_("no hit"), "hit_of": N_("{n} of {total}"),
}


def js_strings(lang: str) -> dict[str, str]:
    t = translator(lang)
    out = {k: t.gettext(v) for k, v in JS_STRINGS.items()}
    out.update({s: t.gettext(s) for s in STAGES})
    return out
