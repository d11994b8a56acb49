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

  /* scroll a pane (not the window) so that el sits just below the pane's sticky bar, if any */
  function scrollInto(pane, el) {
    if (!pane || !el) return;
    var bar = pane.querySelector(".filters, .focus-line");
    var room = (bar ? bar.offsetHeight : 0) + 24;
    var top = el.getBoundingClientRect().top - pane.getBoundingClientRect().top + pane.scrollTop - room;
    pane.scrollTo({top: Math.max(0, top), behavior: "smooth"});
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
          if (j.state === "done") { window.location.replace(j.url); return; }
          if (j.state === "failed") {
            $("#job-error").textContent = j.error; $("#running").hidden = true; $("#job-failed").hidden = false; return;
          }
          setTimeout(poll, 400);
        })
        .catch(function () { setTimeout(poll, 1500); });
    };
    if (box.dataset.state === "done" && box.dataset.url) window.location.replace(box.dataset.url);
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
      var first = target ? document.getElementById(target) : null;
      var mark = first ? (first.querySelector('mark.ev[data-el~="' + CSS.escape(el) + '"]') || first) : marks[0];
      if (mark) scrollInto(textPane, mark);
    };

    $$(".f-head").forEach(function (h) {
      var go = function () { focusFinding(h.closest(".finding").dataset.el, null, false); };
      h.addEventListener("click", go);
      h.addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); go(); } });
    });
    $$("button.cite").forEach(function (b) {
      b.addEventListener("click", function () { focusFinding(b.dataset.el, b.dataset.target, false); });
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

    /* filters: group, status, red flags only, disagreements */
    var form = $("#filters");
    var applyFilters = function () {
      var group = $("#f-group").value;
      var statuses = $$('input[name="status"]:checked', form).map(function (i) { return i.value; });
      var flagsOnly = $("#f-flags").checked, disagree = $("#f-disagree").checked;
      var shown = 0;
      $$(".finding").forEach(function (c) {
        var ok = (!group || c.dataset.group === group) && statuses.indexOf(c.dataset.status) >= 0 &&
          (!flagsOnly || c.dataset.flag === "1") && (!disagree || c.dataset.disagree === "1");
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
    var post = function (f, status) {
      var msg = $(".review-msg", f);
      var reviewer = f.elements.reviewer.value.trim();
      if (!reviewer) { msg.textContent = T("give_name", "Give your name: reviews are kept with the reviewer's name."); msg.className = "review-msg bad"; f.elements.reviewer.focus(); return; }
      remembered = reviewer;
      try { localStorage.setItem(nameKey, reviewer); } catch (e) { /* ignore */ }
      $$("input.reviewer").forEach(function (i) { if (!i.value) i.value = reviewer; });
      msg.textContent = T("saving", "Saving…"); msg.className = "review-msg";
      fetch("/api/reviews", {method: "POST", headers: {"Content-Type": "application/json", "X-CSRF-Token": csrf},
        body: JSON.stringify({document: doc, element: f.dataset.el, status: status, note: f.elements.note.value, reviewer: reviewer})})
        .then(function (r) { return r.json().then(function (j) { return {ok: r.ok, body: j}; }); })
        .then(function (res) {
          if (!res.ok) { msg.textContent = res.body.error || T("not_saved", "The review was not saved."); msg.className = "review-msg bad"; return; }
          var r = res.body;
          var li = document.createElement("li");
          var b = document.createElement("b"); b.textContent = r.reviewer; li.appendChild(b);
          li.appendChild(document.createTextNode(": "));
          var s = document.createElement("span"); s.className = "badge " + r.status; s.textContent = T(r.status, r.status.replace("_", " ")); li.appendChild(s);
          var t = document.createElement("span"); t.className = "muted"; t.textContent = " " + r.created.slice(0, 16).replace("T", " "); li.appendChild(t);
          if (r.note) li.appendChild(document.createTextNode(" — " + r.note));
          var hist = f.parentNode.querySelector(".history"); hist.insertBefore(li, hist.firstChild);
          f.elements.note.value = "";
          msg.textContent = T("saved", "Saved.") + (r.disagreement ? " " + T("now_disagree", "Reviewers now disagree on this finding.") : "");
          var card = f.closest(".finding");
          card.dataset.disagree = r.disagreement ? "1" : "0";
          var head = $(".f-head", card), old = $(".badge.disagree, .badge.reviewed", head);
          if (old) old.remove();
          var badge = document.createElement("span");
          badge.className = "badge " + (r.disagreement ? "disagree" : "reviewed");
          badge.textContent = r.disagreement ? T("disagree", "reviewers disagree") : T("reviewed", "reviewed:") + " " + T(r.status, r.status.replace("_", " "));
          head.appendChild(badge);
        })
        .catch(function () { msg.textContent = T("no_answer", "The server did not answer; the review was not saved."); msg.className = "review-msg bad"; });
    };
    var LABEL = {covered: T("covered", "covered"), partial: T("partial", "partial"), missing: T("missing", "missing"),
                 raised: T("raised", "red flag raised"), not_raised: T("not_raised", "not raised")};
    var addForm = function (box) {
      if ($("form.review", box)) return;
      var f = document.importNode($("#review-template").content, true).querySelector("form");
      f.dataset.el = box.dataset.el;
      f.dataset.engine = box.dataset.engine;
      box.dataset.statuses.split(" ").forEach(function (s) {
        var o = document.createElement("option"); o.value = s; o.textContent = LABEL[s] || s;
        if (s === box.dataset.engine) o.selected = true;
        f.elements.status.appendChild(o);
      });
      var confirm = $(".confirm", f);
      confirm.textContent = T("confirm", "Confirm \u201c{verdict}\u201d", {verdict: LABEL[box.dataset.engine] || box.dataset.engine});
      confirm.title = T("confirm_title", "The engine's verdict is right");
      f.elements.reviewer.value = remembered;
      box.insertBefore(f, $(".history", box));
      f.addEventListener("submit", function (e) { e.preventDefault(); post(f, f.elements.status.value); });
      confirm.addEventListener("click", function () { f.elements.status.value = f.dataset.engine; post(f, f.dataset.engine); });
    };
    $$("details.review-box").forEach(function (box) {
      box.addEventListener("toggle", function () { if (box.open) addForm(box); });
    });

    if (location.hash.indexOf("#finding-") === 0) focusFinding(decodeURIComponent(location.hash.slice(9)), null, true);
  }

  /* ---------------------------------------------------------------- comparing two drafts */
  if (page === "diff") {
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
