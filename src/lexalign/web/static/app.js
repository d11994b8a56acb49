/* lexalign workbench: the little the pages need, no library, no build step. */
(function () {
  "use strict";
  var page = document.body.dataset.page;
  var csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";

  function $(sel, root) { return (root || document).querySelector(sel); }
  function $$(sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); }

  /* the page's words in its language (base.html writes them as JSON); {name} slots filled from vars */
  var WORDS = {};
  try { WORDS = JSON.parse((document.getElementById("i18n-strings") || {}).textContent || "{}"); } catch (e) { /* English */ }
  function T(key, fallback, vars) {
    var s = WORDS[key] || fallback;
    Object.keys(vars || {}).forEach(function (k) { s = s.split("{" + k + "}").join(vars[k]); });
    return s;
  }

  /* does this pane scroll on its own (side by side), or does the window scroll it (a phone)? */
  function scrolls(pane) {
    var o = getComputedStyle(pane).overflowY;
    return (o === "auto" || o === "scroll") && pane.scrollHeight > pane.clientHeight + 1;
  }

  /* scroll a pane (not the window) so that el sits just below the pane's sticky bar, if any;
     where the panes are stacked (narrow screens), scroll the window instead */
  function scrollInto(pane, el, instant) {
    if (!pane || !el) return;
    var behavior = instant ? "auto" : "smooth";
    if (!scrolls(pane)) { el.scrollIntoView({block: "start", behavior: behavior}); return; }
    var bar = pane.querySelector(".filters, .statute-tools, .focus-line");
    var room = (bar && getComputedStyle(bar).position === "sticky" ? bar.offsetHeight : 0) + 16;
    var rect = el.getBoundingClientRect ? el.getBoundingClientRect() : null;
    var top = rect.top - pane.getBoundingClientRect().top + pane.scrollTop - room;
    pane.scrollTo({top: Math.max(0, top), behavior: behavior});
  }

  /* ---------------------------------------------------------------- progress of a check */
  if (page === "job") {
    var box = $("#job");
    var poll = function () {
      fetch("/api/jobs/" + box.dataset.job, {headers: {"Accept": "application/json"}})
        .then(function (r) { return r.json(); })
        .then(function (j) {
          if (j.error && !j.state) { $("#job-error").textContent = j.error; $("#running").hidden = true; $("#job-failed").hidden = false; return; }
          var ahead = j.queue_position ? " (" + T("ahead", "{n} check(s) ahead", {n: j.queue_position}) + ")" : "";
          $("#stage").textContent = T(j.stage, j.stage) + ahead;
          $("#timing").textContent = T("elapsed", "{elapsed} s elapsed; about {expected} s expected.",
                                       {elapsed: j.elapsed_s, expected: Math.round(j.estimate_s)});
          var pct = j.state === "done" ? 100 : Math.min(95, 100 * j.elapsed_s / Math.max(1, j.estimate_s));
          $("#bar").style.width = pct + "%";
          $(".progress").setAttribute("aria-valuenow", Math.round(pct));
          if (j.state === "done") {
            /* several files checked each on its own: stay, so that the list of the others stays in view */
            if ($("#others")) { $("#running").hidden = true; $("#job-link").href = j.url; $("#job-done").hidden = false; return; }
            window.location.replace(j.url); return;
          }
          if (j.state === "failed") {
            $("#job-title").textContent = $("#job-title").dataset.failed;
            $("#job-error").textContent = j.error; $("#running").hidden = true; $("#job-failed").hidden = false; return;
          }
          setTimeout(poll, 400);
        })
        .catch(function () { setTimeout(poll, 1500); });
    };
    var stop = $("#job-cancel");
    if (stop) stop.addEventListener("click", function () {
      stop.disabled = true;
      fetch("/api/jobs/" + box.dataset.job + "/cancel", {method: "POST", headers: {"X-CSRF-Token": csrf}});
    });
    if (box.dataset.state === "done" && box.dataset.url && !$("#others")) window.location.replace(box.dataset.url);
    else if (box.dataset.state !== "failed") poll();
  }

  /* ---------------------------------------------------------------- the report page */
  if (page === "report") {
    var textPane = $("#text-pane"), findingsPane = $("#findings-pane");
    var current = null;

    var focusFinding = function (el, target, scrollFindings) {
      $$(".focus").forEach(function (n) { n.classList.remove("focus"); });
      var card = document.getElementById("finding-" + el);
      if (!card) return;
      current = el;
      card.classList.add("focus");
      if (scrollFindings) {
        if (card.hidden || card.closest("[hidden]")) resetFilters();
        scrollInto(findingsPane, card);
      }
      var marks = $$('mark.ev[data-el~="' + CSS.escape(el) + '"]');
      marks.forEach(function (m) { m.classList.add("focus"); var p = m.closest(".prov"); if (p) p.classList.add("focus"); });
      var nameEl = card.querySelector(".f-name");
      var line = $("#focus-line"), code = (nameEl ? nameEl.textContent : el) + " (" + T(card.dataset.status, card.dataset.status.replace("_", " ")) + ")";
      var provs = marks.map(function (m) { var p = m.closest(".prov"); return p ? p.dataset.citation : ""; })
        .filter(function (c, i, a) { return c && a.indexOf(c) === i; });
      line.textContent = marks.length ? T("rests_on", "{name}: rests on {provisions}",
          {name: code, provisions: provs.length ? provs.join(", ") : T("highlighted", "the highlighted words")})
        : T("no_words", "{name}: no words of the statute support it.", {name: code});
      /* a reviewer's verdict without the engine's words: show what the reviewer cites */
      var cited = $(".history li:not(.superseded) .r-evidence", card);
      if (!marks.length && cited && card.dataset.reviewed === "1") {
        line.textContent = T("reviewers_cite", "{name}: the reviewers cite {evidence} (the engine quoted no words).",
          {name: code, evidence: cited.textContent});
        var hit = findCitation(cited.textContent.split(/[;,]/)[0]);
        if (hit) { landOn(hit.node); return; }
      }
      var first = target ? document.getElementById(target) : null;
      var mark = first ? (first.querySelector('mark.ev[data-el~="' + CSS.escape(el) + '"]') || first) : marks[0];
      if (mark) scrollInto(textPane, mark);
    };

    $$(".f-head").forEach(function (h) {
      var go = function () { focusFinding(h.closest(".finding").dataset.el, null, false); };
      h.addEventListener("click", go);
      h.addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); go(); } });
    });
    $$("button.cite:not(.cand)").forEach(function (b) {
      b.addEventListener("click", function () { focusFinding(b.dataset.el, b.dataset.target, false); });
    });
    /* a provision considered for a missing element: show it, and say what it lacked */
    $$("button.cand").forEach(function (b) {
      b.addEventListener("click", function () {
        var target = document.getElementById(b.dataset.target);
        if (!target) return;
        var lacked = b.parentNode.querySelector(".lacked");
        /* the line first: it may grow the sticky bar the scroll must clear */
        var card = b.closest(".finding"), nm = card ? card.querySelector(".f-name") : null;
        $("#focus-line").textContent = T("considered_for", "{citation} was considered for {element}",
          {citation: b.textContent.trim(), element: nm ? nm.textContent : b.dataset.el}) +
          (lacked ? ": " + lacked.textContent.trim() : "");
        landOn(target);
      });
    });
    $$("a.chip, a.jump").forEach(function (a) {
      a.addEventListener("click", function (e) { e.preventDefault(); focusFinding(a.dataset.el, null, true); });
    });
    /* a click in the statute shows the finding(s) these words support */
    textPane.addEventListener("click", function (e) {
      var m = e.target.closest("mark.ev");
      if (!m) return;
      var els = m.dataset.el.split(" ");
      var next = els[(els.indexOf(current) + 1) % els.length];
      focusFinding(next, null, true);
    });
    /* highlighted words take the keyboard's focus: Enter or Space opens their finding */
    textPane.addEventListener("keydown", function (e) {
      var m = e.target.closest && e.target.closest("mark.ev");
      if (!m || (e.key !== "Enter" && e.key !== " ")) return;
      e.preventDefault();
      m.click();
      var card = document.getElementById("finding-" + current);
      var head = card && $(".f-head", card);
      if (head) head.focus({preventScroll: true});
    });

    /* ---- the way around a long statute: contents, go to a citation, find words */
    var landOn = function (el) {
      if (!el) return;
      $$(".prov.focus").forEach(function (n) { n.classList.remove("focus"); });
      var prov = el.classList.contains("prov") ? el : el.closest(".prov");
      if (prov) prov.classList.add("focus");
      scrollInto(textPane, el, true);
      if (!el.hasAttribute("tabindex")) el.setAttribute("tabindex", "-1");
      el.focus({preventScroll: true});
    };
    var toc = $("#toc");
    $$(".toc-list a").forEach(function (a) {
      a.addEventListener("click", function (e) {
        e.preventDefault();
        landOn(document.getElementById(a.dataset.target));
        if (toc) toc.open = false;
        history.replaceState(null, "", "#" + a.dataset.target);
      });
    });
    /* "s. 4(2)", "section 4 (2)", "art. 3", "4" and "Part II" all find their provision */
    var normCite = function (c) {
      return c.toLowerCase().replace(/^\s*(s\.|ss\.|sec\.|section|art\.|arts?\b|article|artículo|artigo|§)\s*/, "")
        .replace(/\s+/g, "").replace(/[.,;:]+$/, "");
    };
    var citeIndex = null;
    var findCitation = function (wanted) {
      if (!citeIndex) {
        citeIndex = {};
        $$("[data-citation]", textPane).forEach(function (n) {
          var k = normCite(n.dataset.citation);
          if (!(k in citeIndex)) citeIndex[k] = n;
        });
      }
      var key = normCite(wanted), tried = key;
      while (key) {
        if (citeIndex[key]) return {node: citeIndex[key], exact: key === tried};
        var shorter = key.replace(/\([^()]*\)$/, "");
        if (shorter === key) break;
        key = shorter;
      }
      return null;
    };
    var gotoForm = $("#goto");
    if (gotoForm) gotoForm.addEventListener("submit", function (e) {
      e.preventDefault();
      var wanted = $("#goto-input").value.trim(), line = $("#focus-line");
      if (!wanted) return;
      var hit = findCitation(wanted);
      if (!hit) { line.textContent = T("no_provision", "No provision {citation} in this text.", {citation: wanted}); return; }
      line.textContent = hit.exact ? "" + hit.node.dataset.citation
        : T("showing_instead", "No {citation} in this text: showing {other}.", {citation: wanted, other: hit.node.dataset.citation});
      landOn(hit.node);
    });

    /* find words: every hit marked (CSS highlights, the DOM untouched), Enter / Shift+Enter go through them */
    var hits = [], hitAt = -1;
    var canHighlight = typeof Highlight === "function" && window.CSS && CSS.highlights;
    var textNodes = function () {
      var out = [];
      $$(".statute", textPane).forEach(function (root) {
        var w = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {acceptNode: function (n) {
          return n.parentNode.closest(".cite") ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT; }});
        var n; while ((n = w.nextNode())) out.push(n);
        out.push(null); /* no hit runs from one document into the next */
      });
      return out;
    };
    var runFind = function (q) {
      hits = []; hitAt = -1;
      if (canHighlight) { CSS.highlights.delete("find"); CSS.highlights.delete("find-current"); }
      q = q.trim();
      if (q.length < 2) { $("#find-count").textContent = ""; return; }
      var nodes = textNodes(), text = "", starts = [], owners = [];
      nodes.forEach(function (n) { starts.push(text.length); owners.push(n); text += n ? n.data.toLowerCase() : "\u0000"; });
      var needle = q.toLowerCase(), at = text.indexOf(needle), k = 0;
      var locate = function (pos) {
        while (k + 1 < starts.length && starts[k + 1] <= pos) k++;
        return [owners[k], pos - starts[k]];
      };
      while (at >= 0 && hits.length < 2000) {
        var a = locate(at), b = locate(at + needle.length - 1);
        var r = document.createRange();
        r.setStart(a[0], a[1]); r.setEnd(b[0], b[1] + 1);
        hits.push(r);
        at = text.indexOf(needle, at + needle.length);
      }
      if (canHighlight && hits.length) CSS.highlights.set("find", new Highlight(...hits));
      $("#find-count").textContent = hits.length ? T("n_hits", "{n} hits", {n: hits.length}) : T("no_hit", "no hit");
    };
    var showHit = function (step) {
      if (!hits.length) return;
      hitAt = (hitAt + step + hits.length) % hits.length;
      var r = hits[hitAt];
      if (canHighlight) { var cur = new Highlight(r); cur.priority = 1; CSS.highlights.set("find-current", cur); }
      else { var sel = getSelection(); sel.removeAllRanges(); sel.addRange(r); }
      var holder = r.startContainer.parentNode;
      scrollInto(textPane, {getBoundingClientRect: function () { return r.getBoundingClientRect(); },
        scrollIntoView: function () { holder.scrollIntoView({block: "center"}); }}, true);
      $("#find-count").textContent = T("hit_of", "{n} of {total}", {n: hitAt + 1, total: hits.length});
    };
    var findInput = $("#find-input"), findTimer = null, lastQuery = "";
    if (findInput) {
      findInput.addEventListener("input", function () {
        clearTimeout(findTimer);
        findTimer = setTimeout(function () {
          if (findInput.value === lastQuery) return;  /* Enter already searched these words */
          lastQuery = findInput.value; runFind(lastQuery);
        }, 150);
      });
      $("#find").addEventListener("submit", function (e) {
        e.preventDefault();
        clearTimeout(findTimer);
        if (findInput.value !== lastQuery) { lastQuery = findInput.value; runFind(lastQuery); }
        showHit(1);
      });
      findInput.addEventListener("keydown", function (e) {
        if (e.key === "Enter" && e.shiftKey) { e.preventDefault(); clearTimeout(findTimer); if (findInput.value !== lastQuery) { lastQuery = findInput.value; runFind(lastQuery); } showHit(-1); }
      });
      $("#find-prev").addEventListener("click", function () { showHit(-1); });
    }

    /* filters: group, status, red flags only, disagreements */
    var form = $("#filters");
    var applyFilters = function () {
      var group = $("#f-group").value;
      var statuses = $$('input[name="status"]:checked', form).map(function (i) { return i.value; });
      var flagsOnly = $("#f-flags").checked, disagree = $("#f-disagree").checked;
      var unreviewed = $("#f-unreviewed").checked, override = $("#f-override").checked;
      var shown = 0;
      $$(".finding").forEach(function (c) {
        var ok = (!group || c.dataset.group === group) && statuses.indexOf(c.dataset.status) >= 0 &&
          (!flagsOnly || c.dataset.flag === "1") && (!disagree || c.dataset.disagree === "1") &&
          (!unreviewed || c.dataset.reviewed !== "1") && (!override || c.dataset.override === "1");
        c.hidden = !ok;
        if (ok) shown++;
      });
      $$("section.group").forEach(function (s) { s.hidden = !$(".finding:not([hidden])", s); });
      $("#f-count").textContent = T("shown", "{shown} of {total} findings shown", {shown: shown, total: $$(".finding").length});
    };
    var resetFilters = function () {
      form.reset(); applyFilters();
    };
    form.addEventListener("change", applyFilters);
    applyFilters();

    /* reviews: posted as JSON with the page's CSRF token; the reviewer's name is remembered here */
    var nameKey = "lexalign.reviewer";
    var remembered = "";
    try { remembered = localStorage.getItem(nameKey) || ""; } catch (e) { /* private mode */ }
    var doc = $("#report").dataset.document;
    var newKey = function () {
      /* getRandomValues works on plain http (a LAN address), where crypto.randomUUID does not */
      var a = new Uint8Array(16);
      window.crypto.getRandomValues(a);
      return Array.prototype.map.call(a, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
    };
    var LABEL = {covered: T("covered", "covered"), partial: T("partial", "partial"), missing: T("missing", "missing"),
                 raised: T("raised", "red flag raised"), not_raised: T("not_raised", "not raised")};
    var label = function (s) { return LABEL[s] || s.replace("_", " "); };
    var send = function (url, body) {
      return fetch(url, {method: "POST", headers: {"Content-Type": "application/json", "X-CSRF-Token": csrf},
        body: JSON.stringify(body)})
        .then(function (r) { return r.json().then(function (j) { return {ok: r.ok, body: j}; }); });
    };
    /* the summary line, the mandatory line and the card follow every saved review, without a reload */
    var showSummary = function (sum) {
      Object.keys(sum.counts).forEach(function (k) { var n = $('[data-count="' + k + '"]'); if (n) n.textContent = sum.counts[k]; });
      $("#reviewed-count").textContent = T("n_reviewed", "{reviewed} of {total} reviewed", {reviewed: sum.reviewed, total: sum.elements});
      $("#override-count").textContent = sum.overrides ? ", " + T("n_overriding", "{n} overriding the engine", {n: sum.overrides}) : "";
      var dis = $("#disagree-count"); dis.textContent = "";
      if (sum.disagreements) { var b = document.createElement("b"); b.className = "disagree-text"; b.textContent = T("n_disagreeing", "{n} with reviewers disagreeing", {n: sum.disagreements}); dis.appendChild(document.createTextNode(", ")); dis.appendChild(b); }
      $("#engine-counts").hidden = !sum.overrides;
      var list = $("#mandatory-list"); list.textContent = "";
      sum.mandatory_missing.forEach(function (m, i) {
        if (i) list.appendChild(document.createTextNode(", "));
        var a = document.createElement("a"); a.href = "#finding-" + m; a.className = "jump"; a.dataset.el = m;
        var c = document.createElement("code"); c.textContent = m; a.appendChild(c);
        a.addEventListener("click", function (e) { e.preventDefault(); focusFinding(m, null, true); });
        list.appendChild(a);
      });
      $("#mandatory").hidden = !sum.mandatory_missing.length;
    };
    var showCard = function (card, r) {
      card.dataset.disagree = r.disagreement ? "1" : "0";
      card.dataset.reviewed = r.reviewed ? "1" : "0";
      card.dataset.override = r.override ? "1" : "0";
      card.dataset.status = r.effective;
      ["covered", "partial", "missing", "raised", "not_raised"].forEach(function (s) { card.classList.remove(s); });
      card.classList.add(r.effective);
      var head = $(".f-head", card), verdict = $(".badge.verdict", head);
      verdict.className = "badge verdict " + r.effective; verdict.textContent = label(r.effective);
      var old = $(".badge.disagree, .badge.reviewed, .badge.override", head);
      if (old) old.remove();
      if (!r.reviewed) return;
      var badge = document.createElement("span");
      badge.className = "badge " + (r.disagreement ? "disagree" : (r.override ? "override" : "reviewed"));
      badge.textContent = r.disagreement ? T("disagree", "reviewers disagree") :
        (r.override ? T("reviewed_override", "reviewed: {verdict} \u00b7 engine: {engine}", {verdict: label(r.effective), engine: label(card.dataset.engine)})
          : T("reviewed_confirmed", "reviewed: confirmed"));
      head.appendChild(badge);
    };
    var historyItem = function (r) {
      var li = document.createElement("li");
      li.dataset.id = r.id; li.dataset.reviewer = r.reviewer; li.dataset.status = r.status;
      var b = document.createElement("b"); b.textContent = r.reviewer; li.appendChild(b);
      if (r.withdrawn) li.appendChild(document.createTextNode(" " + T("withdrew", "withdrew their review")));
      else {
        li.appendChild(document.createTextNode(": "));
        var s = document.createElement("span"); s.className = "badge " + r.status; s.textContent = label(r.status); li.appendChild(s);
      }
      var t = document.createElement("span"); t.className = "muted"; t.textContent = " " + r.created.slice(0, 16).replace("T", " "); li.appendChild(t);
      if (r.note && !r.withdrawn) { li.appendChild(document.createTextNode(" \u2014 ")); var n = document.createElement("span"); n.className = "r-note quote"; n.textContent = r.note; li.appendChild(n); }
      if (r.evidence && !r.withdrawn) {
        li.appendChild(document.createElement("br"));
        var m = document.createElement("span"); m.className = "muted"; m.textContent = T("evidence", "evidence:") + " "; li.appendChild(m);
        var ev = document.createElement("span"); ev.className = "r-evidence quote"; ev.textContent = r.evidence; li.appendChild(ev);
      }
      if (!r.withdrawn) {
        var acts = document.createElement("span"); acts.className = "r-actions";
        ["edit", "withdraw"].forEach(function (k) {
          var btn = document.createElement("button"); btn.type = "button"; btn.className = "link r-" + k; btn.textContent = k === "edit" ? T("edit", "edit") : T("withdraw", "withdraw");
          acts.appendChild(document.createTextNode(" ")); acts.appendChild(btn);
        });
        li.appendChild(acts);
      }
      return li;
    };
    var saved = function (box, r, msgText) {
      var hist = $(".history", box);
      if (r.supersedes) {
        var prev = $('li[data-id="' + r.supersedes + '"]', hist);
        if (prev) { prev.classList.add("superseded"); var acts = $(".r-actions", prev); if (acts) acts.remove(); }
      }
      hist.insertBefore(historyItem(r), hist.firstChild);
      var n = $$("li", hist).length;
      $("summary", box).textContent = T("review_so_far", "Review this finding ({n} so far)", {n: n});
      showCard(box.closest(".finding"), r);
      showSummary(r.summary);
      var f = $("form.review", box);
      if (f) {
        var msg = $(".review-msg", f);
        msg.textContent = msgText + (r.disagreement ? " " + T("now_disagree", "Reviewers now disagree on this finding.") : ""); msg.className = "review-msg";
      }
    };
    var reviewerOf = function (f) {
      var reviewer = f.elements.reviewer.value.trim(), msg = $(".review-msg", f);
      if (!reviewer) { msg.textContent = T("give_name", "Give your name: reviews are kept with the reviewer's name."); msg.className = "review-msg bad"; f.elements.reviewer.focus(); return ""; }
      remembered = reviewer;
      try { localStorage.setItem(nameKey, reviewer); } catch (e) { /* ignore */ }
      $$(".reviewer").forEach(function (i) { if (!i.value) i.value = reviewer; });
      return reviewer;
    };
    var endEdit = function (f) {
      f.elements.supersedes.value = ""; $(".cancel-edit", f).hidden = true;
      $("button[type=submit]", f).textContent = T("save_review", "Save review");
    };
    var post = function (f, status) {
      var msg = $(".review-msg", f), box = f.closest(".review-box");
      var reviewer = reviewerOf(f);
      if (!reviewer) return;
      msg.textContent = T("saving", "Saving\u2026"); msg.className = "review-msg";
      var body = {document: doc, element: box.dataset.el, status: status, note: f.elements.note.value,
        evidence: f.elements.evidence.value, reviewer: reviewer};
      if (f.elements.supersedes.value) body.supersedes = parseInt(f.elements.supersedes.value, 10);
      /* one key per review: sending the same review again after a lost answer does not store it twice */
      var pending = JSON.stringify(body);
      if (f.dataset.pending !== pending || !f.dataset.key) { f.dataset.pending = pending; f.dataset.key = newKey(); }
      body.client_key = f.dataset.key;
      send("/api/reviews", body).then(function (res) {
        if (!res.ok) { msg.textContent = res.body.error || T("not_saved", "The review was not saved."); msg.className = "review-msg bad"; return; }
        delete f.dataset.pending; delete f.dataset.key;
        f.elements.note.value = ""; f.elements.evidence.value = ""; endEdit(f);
        saved(box, res.body, T("saved", "Saved."));
      }).catch(function () { msg.textContent = T("no_answer", "The server did not answer; the review was not saved."); msg.className = "review-msg bad"; });
    };
    var addForm = function (box) {
      if ($("form.review", box)) return $("form.review", box);
      var f = document.importNode($("#review-template").content, true).querySelector("form");
      box.dataset.statuses.split(" ").forEach(function (s) {
        var o = document.createElement("option"); o.value = s; o.textContent = label(s);
        if (s === box.dataset.engine) o.selected = true;
        f.elements.status.appendChild(o);
      });
      var confirm = $(".confirm", f);
      confirm.textContent = T("confirm", "Confirm \u201c{verdict}\u201d", {verdict: label(box.dataset.engine)});
      confirm.title = T("confirm_title", "The engine's verdict is right");
      if (remembered) f.elements.reviewer.value = remembered;
      box.insertBefore(f, $(".history", box));
      f.addEventListener("submit", function (e) { e.preventDefault(); post(f, f.elements.status.value); });
      confirm.addEventListener("click", function () { f.elements.status.value = box.dataset.engine; post(f, box.dataset.engine); });
      $(".cancel-edit", f).addEventListener("click", function () { endEdit(f); });
      return f;
    };
    $$("details.review-box").forEach(function (box) {
      box.addEventListener("toggle", function () { if (box.open) addForm(box); });
      /* edit: the form takes the review's words and saves a row that replaces it; withdraw: a row that
         withdraws it. Nothing is deleted: the history keeps every word */
      $(".history", box).addEventListener("click", function (e) {
        var btn = e.target.closest("button"), li = e.target.closest("li");
        if (!btn || !li) return;
        var f = addForm(box);
        if (btn.classList.contains("r-edit")) {
          f.elements.status.value = li.dataset.status;
          f.elements.reviewer.value = li.dataset.reviewer;
          var note = $(".r-note", li), ev = $(".r-evidence", li);
          f.elements.note.value = note ? note.textContent : "";
          f.elements.evidence.value = ev ? ev.textContent : "";
          f.elements.supersedes.value = li.dataset.id;
          $(".cancel-edit", f).hidden = false;
          $("button[type=submit]", f).textContent = T("save_edit", "Save the edit");
          f.elements.status.focus();
        } else if (btn.classList.contains("r-withdraw")) {
          var msg = $(".review-msg", f);
          send("/api/reviews/" + li.dataset.id + "/withdraw", {reviewer: li.dataset.reviewer, document: doc}).then(function (res) {
            if (!res.ok) { msg.textContent = res.body.error || T("not_withdrawn", "The review was not withdrawn."); msg.className = "review-msg bad"; return; }
            saved(box, res.body, T("withdrawn", "Withdrawn."));
          });
        }
      });
    });

    if (location.hash.indexOf("#finding-") === 0) focusFinding(decodeURIComponent(location.hash.slice(9)), null, true);
  }

  /* ---------------------------------------------------------------- comparing two drafts */
  if (page === "diff") {
    /* the two panes scroll together: the provision at the top of one brings its match to the top of the other */
    var panesBox = $("#panes"), paneOf = {old: $("#pane-old"), new: $("#pane-new")};
    var partner = {old: {}, new: {}};
    try {
      JSON.parse(panesBox.dataset.pairs || "[]").forEach(function (p) { partner.old[p[0]] = p[1]; partner.new[p[1]] = p[0]; });
    } catch (e) { /* no pairs */ }
    var provsOf = {old: $$(".prov", paneOf.old), new: $$(".prov", paneOf.new)};
    var byCite = {old: {}, new: {}};
    ["old", "new"].forEach(function (side) { provsOf[side].forEach(function (p) { byCite[side][p.dataset.citation] = p; }); });
    var steering = null, release = null;
    var follow = function (side) {
      var sync = $("#sync");
      if ((sync && !sync.checked) || steering && steering !== side) return;
      var pane = paneOf[side], other = side === "old" ? "new" : "old", top = pane.getBoundingClientRect().top;
      var lead = null;
      for (var i = 0; i < provsOf[side].length; i++) {
        var r = provsOf[side][i].getBoundingClientRect();
        if (r.bottom > top + 4) { lead = provsOf[side][i]; break; }
      }
      if (!lead) return;
      /* a provision without a match follows the nearest earlier one that has one */
      var k = provsOf[side].indexOf(lead), mate = null;
      while (k >= 0 && !mate) { mate = byCite[other][partner[side][provsOf[side][k].dataset.citation]]; if (!mate) k--; }
      if (!mate) return;
      var lr = lead.getBoundingClientRect(), frac = Math.max(0, Math.min(1, (top - lr.top) / Math.max(1, lr.height)));
      if (provsOf[side][k] !== lead) frac = 1;
      var otherPane = paneOf[other];
      var mr = mate.getBoundingClientRect();
      var target = mr.top - otherPane.getBoundingClientRect().top + otherPane.scrollTop + frac * mr.height;
      steering = side;
      otherPane.scrollTop = target;
      clearTimeout(release);
      release = setTimeout(function () { steering = null; }, 120);
    };
    ["old", "new"].forEach(function (side) {
      var ticking = false;
      paneOf[side].addEventListener("scroll", function () {
        if (ticking) return;
        ticking = true;
        requestAnimationFrame(function () { ticking = false; follow(side); });
      });
    });
    $$("button.change").forEach(function (b) {
      b.addEventListener("click", function () {
        $$(".focus").forEach(function (n) { n.classList.remove("focus"); });
        ["old", "new"].forEach(function (side) {
          var pane = document.getElementById("pane-" + side);
          var marks = $$('mark.ev[data-el~="' + CSS.escape(b.dataset.el) + '"]', pane);
          marks.forEach(function (m) { m.classList.add("focus"); });
          if (marks[0]) scrollInto(pane, marks[0]);
        });
      });
    });
  }

  /* ---------------------------------------------------------------- the corpus overview */
  if (page === "corpus") {
    var pending = parseInt($("#corpus").dataset.pending || "0", 10);
    if (pending > 0) setTimeout(function () { window.location.reload(); }, 4000);
  }
})();
