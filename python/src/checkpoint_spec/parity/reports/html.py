# ruff: noqa: E501 - the page's inline CSS and script are kept as written, one rule or statement a line
"""parity.html: one self-contained page (inline CSS and JS, no network), readable from file://.

The page embeds the run as JSON and its script renders the matrix of cases by
targets, grouped by operation, with filters by operation and status, and for
every divergence or failure the case's steps and each target's observations
side by side, pretty-printed, with the lines that differ highlighted.
"""

from __future__ import annotations

import html
import json
from typing import Any

DETAIL_STEPS = 200


def page_data(document: dict[str, Any]) -> dict[str, Any]:
    """What the page needs: every verdict, and observations only where there is something to see."""
    cases: list[dict[str, Any]] = []
    details: dict[str, Any] = {}
    for case in document["cases"]:
        cases.append(
            {
                "id": case["id"],
                "title": case["title"],
                "operation": case["operation"],
                "kind": case.get("kind", "case"),
                "where": case["where"],
                "parity": case["parity"],
                "ok": case["ok"],
                "classes": case["classes"],
                "families": case.get("families", {}),
                "differences": case["differences"],
                "differing_steps": case["differing_steps"],
                "targets": {
                    name: {key: target[key] for key in ("verdict", "status", "problem", "known_reason", "fault")}
                    for name, target in case["targets"].items()
                },
            }
        )
        # A scenario always shows its steps: its checkpoint stream side by side is the point.
        if case["differences"] or not case["ok"] or case.get("kind") == "scenario":
            details[case["id"]] = {
                "steps": case["case"]["steps"][:DETAIL_STEPS],
                "graph": case["case"].get("graph"),
                "observations": {
                    name: [step["observation"] for step in target["steps"][:DETAIL_STEPS]]
                    for name, target in case["targets"].items()
                },
            }
    return {
        "tool": document["tool"],
        "spec": document["spec"],
        "seconds": document["seconds"],
        "ok": document["ok"],
        "summary": document["summary"],
        "summary_line": document["summary_line"],
        "registry": document["registry"],
        "causes": document["causes"],
        "targets": document["targets"],
        "cases": cases,
        "details": details,
    }


def _embed(data: Any) -> str:
    # Safe inside <script>: no "</script>", "<!--" or line separators can appear literally.
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return (
        text.replace("<", "\\u003c").replace(">", "\\u003e").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    )


def render_html(document: dict[str, Any]) -> str:
    title = f"checkpoint-spec parity: {document['summary_line']}"
    return (
        TEMPLATE.replace("@@TITLE@@", html.escape(title))
        .replace("@@CSS@@", CSS)
        .replace("@@JS@@", SCRIPT)
        .replace("@@DATA@@", _embed(page_data(document)))
    )


TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>@@TITLE@@</title>
<style>@@CSS@@</style>
</head>
<body>
<header id="top">
  <div class="bar">
    <h1>checkpoint-spec <span>parity</span></h1>
    <div id="verdict" class="verdict"></div>
    <div id="chips" class="chips"></div>
  </div>
  <div class="bar second">
    <div id="versions" class="versions"></div>
    <div class="filters">
      <label>operation or topic <select id="filter-op"><option value="">all</option></select></label>
      <label>status <select id="filter-status">
        <option value="">all</option>
        <option value="problem">needs attention</option>
        <option value="divergence">divergences</option>
        <option value="agree">agreements</option>
        <option value="failure">spec failures</option>
        <option value="known">known divergences</option>
        <option value="errored">errored</option>
        <option value="skipped">skipped somewhere</option>
      </select></label>
      <label>cause <select id="filter-cause"><option value="">all</option></select></label>
      <label><input id="filter-text" type="search" placeholder="case id or title"></label>
      <span id="shown" class="shown"></span>
    </div>
  </div>
</header>
<main>
  <noscript><p class="problem">This report is drawn by its inline script; enable JavaScript,
  or read parity.md / parity.json next to this file.</p></noscript>
  <div id="registry-problems"></div>
  <section id="causes" aria-label="causes of the recorded divergences"></section>
  <section id="matrix" aria-label="matrix of cases by targets"></section>
  <section id="details" aria-label="divergences and failures"></section>
</main>
<script id="parity-data" type="application/json">@@DATA@@</script>
<script>@@JS@@</script>
</body>
</html>
"""

CSS = """
:root { --bg:#f6f7f9; --card:#fff; --ink:#1d2330; --mute:#667085; --line:#e3e6eb;
  --ok:#137a3f; --ok-bg:#e3f5ea; --warn:#8a5a00; --warn-bg:#fff1cc; --bad:#b42318; --bad-bg:#fde7e5;
  --err:#6b2fb3; --err-bg:#efe5fb; --skip:#5d6b82; --skip-bg:#eceff3; --hl:#fff3a8; }
* { box-sizing: border-box; }
body { margin:0; background:var(--bg); color:var(--ink);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
header { position:sticky; top:0; z-index:10; background:#121826; color:#e8ecf3;
  box-shadow:0 2px 6px rgba(0,0,0,.25); }
.bar { display:flex; align-items:center; gap:16px; padding:8px 20px; flex-wrap:wrap; }
.bar.second { border-top:1px solid #263047; padding-top:6px; padding-bottom:8px; font-size:12.5px; }
h1 { font-size:18px; margin:0; font-weight:650; letter-spacing:.2px; }
h1 span { color:#8fb4ff; font-weight:500; }
.verdict { font-weight:700; padding:3px 10px; border-radius:999px; font-size:13px; }
.verdict.pass { background:#1f7a46; color:#fff; } .verdict.fail { background:#c0362c; color:#fff; }
.chips { display:flex; gap:8px; flex-wrap:wrap; margin-left:auto; }
.chip { background:#1e2740; border:1px solid #2d3a5c; border-radius:8px; padding:2px 9px; font-size:12.5px; }
.chip b { font-size:14px; margin-right:3px; }
.chip.bad b { color:#ff8f85; } .chip.warn b { color:#ffd27a; } .chip.good b { color:#7fe0a5; }
.versions { display:grid; grid-template-columns:max-content 1fr; column-gap:10px; row-gap:1px; color:#b9c3d6; }
.versions b { color:#fff; font-weight:600; } .versions code { color:#cfe0ff; }
.filters { display:flex; gap:10px; align-items:center; margin-left:auto; flex-wrap:wrap; }
.filters select { max-width:220px; }
.filters select, .filters input { font:inherit; padding:2px 6px; border-radius:6px; border:1px solid #3a4767;
  background:#0d1320; color:#e8ecf3; }
.shown { color:#9aa6bd; }
main { padding:16px 20px 60px; max-width:1500px; margin:0 auto; }
h2 { font-size:15px; margin:22px 0 8px; display:flex; gap:8px; align-items:baseline; }
h2 small { color:var(--mute); font-weight:400; }
table.matrix { width:100%; table-layout:fixed; border-collapse:separate; border-spacing:0; background:var(--card);
  border:1px solid var(--line); border-radius:8px; overflow:hidden; }
.matrix th, .matrix td { padding:5px 10px; border-bottom:1px solid var(--line); text-align:left; vertical-align:middle; }
.matrix th { background:#eef1f5; font-size:12px; text-transform:none; color:#3b4558; font-weight:600; }
.matrix tr:last-child td { border-bottom:0; }
.matrix th:first-child { width:46%; } .matrix th:last-child { width:13%; }
.matrix td.case .id { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size:12.5px; }
.matrix td.case .title { color:var(--mute); font-size:12px; }
.matrix tr:hover td { background:#fafbfd; }
.badge { display:inline-block; min-width:74px; text-align:center; padding:1px 8px; border-radius:999px;
  font-size:12px; font-weight:600; white-space:nowrap; }
.v-passed, .p-agree { background:var(--ok-bg); color:var(--ok); }
.v-known, .p-recorded { background:var(--warn-bg); color:var(--warn); }
.v-failed, .v-stale, .p-unrecorded, .p-stale { background:var(--bad-bg); color:var(--bad); }
.v-errored, .p-incomplete { background:var(--err-bg); color:var(--err); }
.v-skipped { background:var(--skip-bg); color:var(--skip); }
a.badge { text-decoration:none; } a.badge:hover { outline:2px solid currentColor; }
.card { background:var(--card); border:1px solid var(--line); border-radius:10px; margin:14px 0; padding:12px 16px;
  scroll-margin-top:110px; }
.card.bad { border-left:4px solid var(--bad); } .card.warn { border-left:4px solid #e0a100; } .card.good { border-left:4px solid #2e9e5b; }
.card h3 { margin:0 0 2px; font-size:15px; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.card .sub { color:var(--mute); font-size:12.5px; margin-bottom:8px; }
.diffs { margin:6px 0 10px; padding:0; list-style:none; }
.diffs li { margin:4px 0; padding:6px 10px; border-radius:6px; background:#f7f8fa; }
.diffs .why { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size:12px; }
.reason { margin-top:3px; } .reason b { color:#3b4558; }
.problem { color:var(--bad); }
details.causes > summary { cursor:pointer; margin:14px 0 6px; }
details.causes > summary > h2 { display:inline; margin:0; }
details.inputs > summary, details.same > summary { cursor:pointer; color:#344054; font-weight:600; margin:6px 0; }
pre { margin:0; font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; white-space:pre-wrap;
  word-break:break-word; }
pre.block { background:#f4f6f9; border:1px solid var(--line); border-radius:6px; padding:8px; max-height:420px; overflow:auto; }
.step { margin:10px 0 4px; font-weight:600; color:#344054; }
.step .tag { font-weight:600; font-size:11px; border-radius:4px; padding:0 6px; margin-left:6px; }
.step .tag.diff { background:var(--bad-bg); color:var(--bad); } .step .tag.same { background:var(--ok-bg); color:var(--ok); }
.side { display:grid; gap:8px; }
.side .col { border:1px solid var(--line); border-radius:6px; overflow:hidden; min-width:0; }
.side .col h4 { margin:0; padding:4px 8px; font-size:12px; background:#eef1f5; border-bottom:1px solid var(--line); }
.side .col pre { padding:6px 8px; max-height:480px; overflow:auto; }
.side .line { display:block; } .side .line.changed { background:var(--hl); }
.fault { background:var(--err-bg); border-radius:6px; padding:8px; margin:6px 0; }
.hidden { display:none !important; }
.empty { color:var(--mute); padding:20px; text-align:center; }
"""

SCRIPT = r"""
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("parity-data").textContent);
  var names = data.targets.map(function (t) { return t.name; });
  var familyOf = {};
  data.targets.forEach(function (t) { familyOf[t.name] = t.family || t.name; });
  // The groups of identical behaviour, family by family: "memory: a = b \u2260 c; sqlite: ...".
  function familyTip(c) {
    var parts = [], seen = {};
    c.classes.forEach(function (g) {
      var f = familyOf[g[0]] || g[0];
      if (!(f in seen)) { seen[f] = parts.length; parts.push({ family: f, groups: [] }); }
      parts[seen[f]].groups.push(g.join(" = "));
    });
    return parts.map(function (p) {
      var status = c.families && c.families[p.family] ? " (" + c.families[p.family] + ")" : "";
      return p.family + status + ": " + p.groups.join("  \u2260  ");
    }).join("; ");
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) for (var k in attrs) {
      if (k === "text") node.textContent = attrs[k];
      else if (k === "cls") node.className = attrs[k];
      else node.setAttribute(k, attrs[k]);
    }
    (children || []).forEach(function (c) { if (c != null) node.appendChild(typeof c === "string" ? document.createTextNode(c) : c); });
    return node;
  }
  function sorted(v) {
    // Members in name order, so a diff shows values that differ, not the order each language keeps.
    if (Array.isArray(v)) return v.map(sorted);
    if (v && typeof v === "object") { var o = {}; Object.keys(v).sort().forEach(function (k) { o[k] = sorted(v[k]); }); return o; }
    return v;
  }
  function pretty(v) { return v === undefined ? "(no observation)" : JSON.stringify(sorted(v), null, 2); }
  var VERDICT = { passed: "passed", known: "known div.", failed: "failed", stale: "stale", skipped: "skipped", errored: "errored" };
  var PARITY = { agree: "agree", recorded: "divergence", unrecorded: "unrecorded!", incomplete: "incomplete", not_compared: "not compared" };

  // Header: verdict, counts, exact library versions of every target.
  var s = data.summary;
  var verdict = document.getElementById("verdict");
  verdict.textContent = data.ok ? "PASS" : "FAIL";
  verdict.className = "verdict " + (data.ok ? "pass" : "fail");
  verdict.title = data.summary_line;
  var chips = document.getElementById("chips");
  [["cases", s.cases, ""], ["scenarios", s.scenarios || 0, ""], ["targets", s.targets, ""], ["agreements", s.agreements, "good"],
   ["divergences", s.divergences, s.unrecorded ? "bad" : "warn"], ["failures", s.failures, s.failures ? "bad" : "good"]
  ].forEach(function (c) { chips.appendChild(el("span", { cls: "chip " + c[2] }, [el("b", { text: String(c[1]) }), c[0]])); });
  chips.appendChild(el("span", { cls: "chip", text: data.seconds + " s" }));
  var versions = document.getElementById("versions");
  data.targets.forEach(function (t) {
    var libs = Object.keys(t.libraries).sort().map(function (k) { return k + " " + t.libraries[k]; }).join(", ");
    versions.appendChild(el("b", { text: t.name, title: t.via }));
    versions.appendChild(el("code", { text: (libs || "not started") + "  \u00b7  " + t.language + ", " + (t.via === "in-process" ? "in-process" : "driver") }));
  });
  var rp = document.getElementById("registry-problems");
  data.registry.problems.forEach(function (p) { rp.appendChild(el("p", { cls: "problem", text: "registry: " + p })); });

  // Status keys a case answers to, for the status filter.
  function statuses(c) {
    var keys = [];
    var verdicts = names.map(function (n) { return c.targets[n].verdict; });
    if (!c.ok) keys.push("problem");
    if (c.parity === "recorded" || c.parity === "unrecorded") keys.push("divergence");
    if (c.parity === "agree") keys.push("agree");
    if (verdicts.some(function (v) { return v === "failed" || v === "stale"; })) keys.push("failure");
    if (verdicts.indexOf("known") >= 0) keys.push("known");
    if (verdicts.indexOf("errored") >= 0) keys.push("errored");
    if (verdicts.indexOf("skipped") >= 0) keys.push("skipped");
    return keys;
  }

  // Each behavioural difference, explained once, with how many cases it explains.
  function causesOf(c) {
    var ids = [];
    c.differences.forEach(function (x) { (x.causes || []).forEach(function (id) { if (ids.indexOf(id) < 0) ids.push(id); }); });
    return ids;
  }
  var causeSelect = document.getElementById("filter-cause");
  if (data.causes.length) {
    var causeBody = el("tbody");
    data.causes.forEach(function (k) {
      causeSelect.appendChild(el("option", { value: k.id, text: k.id + " (" + k.cases + ")" }));
      var pick = el("a", { href: "#", text: k.id });
      pick.addEventListener("click", function (e) { e.preventDefault(); causeSelect.value = k.id; apply(); });
      var explanation = [k.explanation];
      if (k.issue) explanation.push(" ", el("a", { href: k.issue, text: "upstream" }));
      causeBody.appendChild(el("tr", null, [el("td", { cls: "case" }, [pick]), el("td", { text: String(k.cases) }), el("td", null, explanation)]));
    });
    document.getElementById("causes").appendChild(el("details", { cls: "group causes" }, [
      el("summary", null, [el("h2", null, ["causes of the recorded divergences", el("small", { text: data.causes.length + " causes, each explained once in the registry" })])]),
      el("table", { cls: "matrix" }, [el("thead", null, [el("tr", null, [el("th", { text: "cause" }), el("th", { text: "cases" }), el("th", { text: "explanation" })])]), causeBody])
    ]));
  }

  // The matrix: one table per operation, one row per case, one column per target, and parity.
  var matrix = document.getElementById("matrix");
  var groups = {}, order = [];
  // Cases group by operation, scenarios by topic; the scenarios come after the cases.
  function groupOf(c) { return c.kind === "scenario" ? "scenario: " + c.operation : c.operation; }
  data.cases.forEach(function (c) {
    var key = groupOf(c);
    if (!groups[key]) { groups[key] = []; order.push(key); }
    groups[key].push(c);
  });
  var opSelect = document.getElementById("filter-op");
  order.forEach(function (op) { opSelect.appendChild(el("option", { value: op, text: op + " (" + groups[op].length + ")" })); });
  var rows = [];
  order.forEach(function (op) {
    var head = el("tr", null, [el("th", { text: "case" })].concat(names.map(function (n) { return el("th", { text: n, title: "family " + (familyOf[n] || n) }); }), [el("th", { text: "parity", title: "compared within each family; agree when every family agrees" })]));
    var body = el("tbody");
    groups[op].forEach(function (c) {
      var cells = [el("td", { cls: "case" }, [el("div", { cls: "id", text: c.id }), el("div", { cls: "title", text: c.title })])];
      names.forEach(function (n) {
        var t = c.targets[n];
        var tip = t.problem || t.known_reason || (t.status === "skipped" ? "skipped" : "");
        cells.push(el("td", null, [el("span", { cls: "badge v-" + t.verdict, title: tip, text: VERDICT[t.verdict] })]));
      });
      var hasDetail = !!data.details[c.id];
      var tag = hasDetail ? "a" : "span";
      var attrs = { cls: "badge p-" + c.parity, text: PARITY[c.parity], title: familyTip(c) };
      if (hasDetail) attrs.href = "#case-" + c.id;
      cells.push(el("td", null, [el(tag, attrs)]));
      var row = el("tr", { "data-op": op, "data-status": statuses(c).join(" "), "data-causes": causesOf(c).join(" "), "data-text": (c.id + " " + c.title).toLowerCase(), "data-case": c.id }, cells);
      rows.push(row);
      body.appendChild(row);
    });
    var section = el("div", { cls: "group", "data-op": op }, [
      el("h2", null, [op, el("small", { text: groups[op].length + (groups[op][0].kind === "scenario" ? " scenarios" : " cases") })]),
      el("table", { cls: "matrix" }, [el("thead", null, [head]), body])
    ]);
    matrix.appendChild(section);
  });

  // Details: for every divergence or failure, the inputs and each target's observations side by side.
  function lcsKeep(a, b) {
    // Which lines of b are in a longest common subsequence with a.
    var n = a.length, m = b.length, i, j;
    if (n * m > 400000) return b.map(function (line, k) { return a[k] === line; });
    var t = [];
    for (i = 0; i <= n; i++) { t.push(new Int32Array(m + 1)); }
    for (i = n - 1; i >= 0; i--) for (j = m - 1; j >= 0; j--)
      t[i][j] = a[i] === b[j] ? t[i + 1][j + 1] + 1 : Math.max(t[i + 1][j], t[i][j + 1]);
    var keep = b.map(function () { return false; });
    i = 0; j = 0;
    while (i < n && j < m) {
      if (a[i] === b[j]) { keep[j] = true; i++; j++; }
      else if (t[i + 1][j] >= t[i][j + 1]) i++; else j++;
    }
    return keep;
  }
  function sideBySide(observations) {
    // observations: [[name, observation]]; lines differing from any other column are highlighted.
    var texts = observations.map(function (o) { return pretty(o[1] && "error" in o[1] ? { error: o[1].error, detail: o[1].detail } : o[1]).split("\n"); });
    var grid = el("div", { cls: "side" });
    grid.style.gridTemplateColumns = "repeat(" + observations.length + ", minmax(0, 1fr))";
    observations.forEach(function (o, k) {
      var changed = texts[k].map(function () { return false; });
      texts.forEach(function (other, q) {
        if (q === k) return;
        lcsKeep(other, texts[k]).forEach(function (kept, line) { if (!kept) changed[line] = true; });
      });
      var pre = el("pre");
      texts[k].forEach(function (line, idx) { pre.appendChild(el("span", { cls: "line" + (changed[idx] ? " changed" : ""), text: line + "\n" })); });
      grid.appendChild(el("div", { cls: "col" }, [el("h4", { text: o[0] }), pre]));
    });
    return grid;
  }
  var detailsRoot = document.getElementById("details");
  var cards = [];
  var detailCases = data.cases.filter(function (c) { return !!data.details[c.id]; });
  if (detailCases.length) detailsRoot.appendChild(el("h2", null, ["Divergences, failures and scenarios", el("small", { text: detailCases.length + " cases and scenarios" })]));
  detailCases.forEach(function (c) {
    var d = data.details[c.id];
    var card = el("article", { cls: "card " + (!c.differences.length && c.ok ? "good" : c.ok ? "warn" : "bad"), id: "case-" + c.id, "data-op": groupOf(c), "data-status": statuses(c).join(" "), "data-causes": causesOf(c).join(" "), "data-text": (c.id + " " + c.title).toLowerCase() });
    card.appendChild(el("h3", { text: c.id }));
    card.appendChild(el("div", { cls: "sub", text: c.title + " \u2014 " + groupOf(c) + " \u2014 " + c.where }));
    var list = el("ul", { cls: "diffs" });
    c.differences.forEach(function (x) {
      var where = x.step === null ? "" : " at step " + x.step + " " + (x.pointer || "/");
      var item = el("li", null, [
        el("span", { cls: "badge " + (x.recorded ? "p-recorded" : "p-unrecorded"), text: x.recorded ? "explained" : "residual" }),
        " ", el("b", { text: x.targets[0] + " \u2260 " + x.targets[1] }), where, ": ",
        el("span", { cls: "why", text: x.why })
      ]);
      if (x.causes.length) item.appendChild(el("div", { cls: "reason" }, [el("b", { text: "causes: " }), x.causes.join(", ")]));
      list.appendChild(item);
    });
    names.forEach(function (n) {
      var t = c.targets[n];
      if (t.verdict === "failed" || t.verdict === "stale" || t.verdict === "errored") {
        var li = el("li", null, [el("span", { cls: "badge v-" + t.verdict, text: t.verdict }), " ", el("b", { text: n }), ": ", t.problem || t.reason || ""]);
        if (t.fault) {
          var f = el("div", { cls: "fault" });
          if (t.fault.stdout) f.appendChild(el("div", null, [el("b", { text: "stdout" }), el("pre", { text: t.fault.stdout })]));
          if (t.fault.stderr) f.appendChild(el("div", null, [el("b", { text: "stderr (end)" }), el("pre", { text: t.fault.stderr })]));
          if (f.childNodes.length) li.appendChild(f);
        }
        list.appendChild(li);
      }
    });
    card.appendChild(list);
    card.appendChild(el("details", { cls: "inputs" }, [el("summary", { text: "inputs: the " + c.kind + "'s " + d.steps.length + " steps" + (c.kind === "scenario" ? " and its graph" : "") }), el("pre", { cls: "block", text: pretty(d.graph ? { graph: d.graph, steps: d.steps } : d.steps) })]));
    var shown = names.filter(function (n) { return c.targets[n].status !== "errored"; });
    var same = el("div");
    d.steps.forEach(function (step, i) {
      var obs = shown.map(function (n) { return [n, d.observations[n][i]]; });
      var differs = c.differing_steps.indexOf(i) >= 0;
      var label = el("div", { cls: "step" }, ["step " + i + " \u00b7 " + step.op + (step.as ? " as " + step.as : ""),
        el("span", { cls: "tag " + (differs ? "diff" : "same"), text: differs ? "differs" : "same" })]);
      if (differs) { card.appendChild(label); card.appendChild(sideBySide(obs)); }
      else { same.appendChild(label); same.appendChild(sideBySide(obs)); }
    });
    if (same.childNodes.length) card.appendChild(el("details", { cls: "same" }, [el("summary", { text: "steps on which every target observed the same" }), same]));
    cards.push(card);
    detailsRoot.appendChild(card);
  });

  // Filters.
  var statusSelect = document.getElementById("filter-status");
  var text = document.getElementById("filter-text");
  function visible(node) {
    var op = opSelect.value, st = statusSelect.value, cause = causeSelect.value, q = text.value.trim().toLowerCase();
    if (op && node.getAttribute("data-op") !== op) return false;
    if (cause && (" " + node.getAttribute("data-causes") + " ").indexOf(" " + cause + " ") < 0) return false;
    if (st && (" " + node.getAttribute("data-status") + " ").indexOf(" " + st + " ") < 0) return false;
    if (q && node.getAttribute("data-text").indexOf(q) < 0) return false;
    return true;
  }
  function apply() {
    var count = 0;
    rows.forEach(function (r) { var v = visible(r); r.classList.toggle("hidden", !v); if (v) count++; });
    Array.prototype.forEach.call(matrix.querySelectorAll(".group"), function (g) {
      g.classList.toggle("hidden", !g.querySelector("tbody tr:not(.hidden)"));
    });
    cards.forEach(function (c) { c.classList.toggle("hidden", !visible(c)); });
    document.getElementById("shown").textContent = count + " of " + rows.length + " cases and scenarios shown";
  }
  [opSelect, statusSelect, causeSelect].forEach(function (x) { x.addEventListener("change", apply); });
  text.addEventListener("input", apply);
  apply();
  // The content is drawn by this script, after the browser looked for the #fragment: look again.
  if (location.hash) {
    var target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (target) { if (target.tagName === "ARTICLE") target.querySelectorAll("details.inputs").forEach(function (x) { x.open = true; }); target.scrollIntoView(); }
  }
  document.body.setAttribute("data-rendered", "true");
})();
"""
