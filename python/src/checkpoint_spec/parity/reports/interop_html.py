# ruff: noqa: E501 - the section's inline CSS and script are kept as written, one rule or statement a line
"""The interop section of parity.html: added to the rendered page, with its own data, style and script.

The section (between the causes and the matrix) holds, per kind, a table of operations by direction with the
counts of reads that came back equal, changed or unreadable (and where the
writer's own saver raised), and every finding group with its recorded reason
and its reads, each with the error or a diff, behind a click. The page's own
text filter (case id) also filters the reads; the section has filters of its
own for kind, direction and verdict. Everything stays inline: no network.
"""

from __future__ import annotations

import json
from typing import Any

MARKERS = ("</head>", '<section id="matrix"', "</body>")


def _embed(data: Any) -> str:
    # Safe inside <script>: no "</script>", "<!--" or line separators can appear literally.
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return (
        text.replace("<", "\\u003c").replace(">", "\\u003e").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    )


def section_data(section: dict[str, Any]) -> dict[str, Any]:
    """What the page needs: counts, problems, and each read's error or diff (not the whole observations)."""
    return {
        "ok": section["ok"],
        "kinds": section["kinds"],
        "cases": section["cases"],
        "registry": section["registry"],
        "summary_line": section["summary_line"],
        "counts": section["counts"],
        "errors": section["errors"],
        "problems": section["problems"],
        "table": section["table"],
        "findings": [
            {
                **{key: finding[key] for key in ("group", "kind", "direction", "op", "verdict", "recorded", "reason")},
                "reads": [
                    {key: item[key] for key in ("case", "step", "detail", "error", "diff")} for item in finding["reads"]
                ],
            }
            for finding in section["findings"]
        ],
    }


def add_interop_section(page: str, section: dict[str, Any]) -> str:
    """The page with the interop section before the matrix, its style in <head>, its data and script at the end."""
    missing = [marker for marker in MARKERS if page.count(marker) != 1]
    if missing:
        raise ValueError(f"parity.html has no single {', '.join(missing)} to add the interop section at")
    section_html = (
        '<section id="interop" aria-label="storage interop"><h2>Storage interop</h2>'
        '<p class="empty">drawn by the page\'s script</p></section>\n'
    )
    data = f'<script id="interop-data" type="application/json">{_embed(section_data(section))}</script>\n'
    return (
        page.replace("</head>", f"<style>{CSS}</style>\n</head>")
        .replace('<section id="matrix"', section_html + '<section id="matrix"')
        .replace("</body>", data + f"<script>{SCRIPT}</script>\n</body>")
    )


CSS = """
#interop { scroll-margin-top:110px; }
#interop .intro { color:var(--mute, #667085); margin:0 0 8px; max-width:980px; }
#interop .ifilters { display:flex; gap:10px; align-items:center; flex-wrap:wrap; margin:8px 0 4px; font-size:12.5px; }
#interop .ifilters select { font:inherit; padding:2px 6px; border-radius:6px; border:1px solid #cfd5df; }
#interop .kinds { display:grid; grid-template-columns:repeat(auto-fit, minmax(600px, 1fr)); gap:14px; }
#interop table.counts { width:100%; border-collapse:separate; border-spacing:0; background:#fff; border:1px solid #e3e6eb; border-radius:8px; overflow:hidden; font-variant-numeric:tabular-nums; }
#interop .counts caption { text-align:left; font-weight:650; padding:4px 2px 6px; font-size:14px; }
#interop .counts th, #interop .counts td { padding:4px 6px; border-bottom:1px solid #e3e6eb; text-align:right; }
#interop .counts th { background:#eef1f5; font-size:12px; color:#3b4558; font-weight:600; }
#interop .counts th.dir { text-align:center; border-left:2px solid #d5dae2; }
#interop .counts td.first, #interop .counts th.first { border-left:2px solid #d5dae2; }
#interop .counts td.op, #interop .counts th.op { text-align:left; font-family:ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size:12.5px; }
#interop .counts tr:last-child td { border-bottom:0; }
#interop .n { display:inline-block; min-width:38px; padding:0 6px; border-radius:999px; text-align:center; }
#interop .n.zero { color:#b0b8c6; }
#interop .n.equal { background:#e3f5ea; color:#137a3f; }
#interop .n.changed { background:#fff1cc; color:#8a5a00; font-weight:650; }
#interop .n.unreadable { background:#fde7e5; color:#b42318; font-weight:650; }
#interop .n.writer-error { background:#eceff3; color:#5d6b82; }
#interop a.n { text-decoration:none; } #interop a.n:hover { outline:2px solid currentColor; }
#interop .finding { scroll-margin-top:110px; }
#interop details.findings > summary { cursor:pointer; margin:16px 0 6px; }
#interop details.findings > summary > h2 { display:inline; margin:0; }
#interop details.findings > summary > h2 small { margin-left:8px; }
#interop .finding h3 { font-size:14px; }
#interop .finding .why { font-family:inherit; font-size:13.5px; margin:4px 0 6px; }
#interop .finding .why b { color:#3b4558; }
#interop .reads { list-style:none; margin:6px 0 0; padding:0; }
#interop .reads li { margin:4px 0; padding:5px 8px; background:#f7f8fa; border-radius:6px; }
#interop .reads .case { font-family:ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size:12.5px; font-weight:600; }
#interop .reads .detail { font-family:ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size:12px; color:#344054; }
#interop pre.diff { background:#fff; border:1px solid #e3e6eb; border-radius:6px; padding:6px 8px; margin-top:4px; max-height:360px; overflow:auto; }
#interop pre.diff .add { background:#e6f6ea; color:#0f5d2f; display:block; }
#interop pre.diff .del { background:#fdeceb; color:#8f1d14; display:block; }
#interop pre.diff .at { color:#6b2fb3; display:block; }
#interop .problem { color:#b42318; }
"""

SCRIPT = r"""
(function () {
  "use strict";
  var node = document.getElementById("interop-data");
  var root = document.getElementById("interop");
  if (!node || !root) return;
  var data = JSON.parse(node.textContent);
  var VERDICTS = ["equal", "changed", "unreadable", "writer-error"];
  var DIRECTIONS = ["python->typescript", "typescript->python"];
  function el(tag, attrs, children) {
    var n = document.createElement(tag);
    if (attrs) for (var k in attrs) {
      if (k === "text") n.textContent = attrs[k];
      else if (k === "cls") n.className = attrs[k];
      else n.setAttribute(k, attrs[k]);
    }
    (children || []).forEach(function (c) { if (c != null) n.appendChild(typeof c === "string" ? document.createTextNode(c) : c); });
    return n;
  }
  function arrow(d) { return d.replace("->", " \u2192 "); }
  function anchor(f) { return "interop-" + [f.kind, f.direction.replace("->", "-to-"), f.op, f.verdict].join("-"); }
  var byGroup = {};
  data.findings.forEach(function (f) { byGroup[f.group] = f; });

  root.textContent = "";
  root.appendChild(el("h2", null, ["Storage interop", el("small", { text: data.summary_line.replace(/^storage interop: /, "") })]));
  root.appendChild(el("p", { cls: "intro", text: "What one language's SQLite or PostgreSQL saver wrote through the spec's cases, read back by the other language's saver of the same kind, each case on a fresh file or schema. Equal: the reader read what the writer's own saver reads; changed: both read, something differs; unreadable: the reader raised. Pending writes inside get_tuple are judged on their own. Findings and their reasons: " + data.registry }));
  Object.keys(data.errors).forEach(function (k) { root.appendChild(el("p", { cls: "problem", text: k + " could not run: " + data.errors[k] })); });
  data.problems.forEach(function (p) { root.appendChild(el("p", { cls: "problem", text: p })); });

  // Counts: one table per kind, operations by direction.
  var kinds = el("div", { cls: "kinds" });
  data.kinds.forEach(function (kind) {
    var rows = data.table.filter(function (r) { return r.kind === kind; });
    if (!rows.length) return;
    var ops = [];
    rows.forEach(function (r) { if (ops.indexOf(r.op) < 0) ops.push(r.op); });
    var head1 = el("tr", null, [el("th", { cls: "op", rowspan: "2", text: "operation" })].concat(DIRECTIONS.map(function (d) { return el("th", { cls: "dir", colspan: String(VERDICTS.length), text: arrow(d) }); })));
    var head2 = el("tr");
    DIRECTIONS.forEach(function () { VERDICTS.forEach(function (v, i) { head2.appendChild(el("th", { cls: i === 0 ? "first" : "", text: v === "writer-error" ? "writer error" : v })); }); });
    var body = el("tbody");
    ops.forEach(function (op) {
      var tr = el("tr", { "data-kind": kind, "data-op": op }, [el("td", { cls: "op", text: op })]);
      DIRECTIONS.forEach(function (d) {
        var r = rows.filter(function (x) { return x.direction === d && x.op === op; })[0];
        VERDICTS.forEach(function (v, i) {
          var count = r ? r[v] : 0;
          var f = byGroup[[kind, d, op, v].join(" ")];
          var cell = f && count ? el("a", { cls: "n " + v, href: "#" + anchor(f), title: f.reason || "not recorded", text: String(count) }) : el("span", { cls: "n " + (count ? v : "zero"), text: r ? String(count) : "\u2013" });
          if (f && count) cell.addEventListener("click", function () { openFinding(f); });
          tr.appendChild(el("td", { cls: i === 0 ? "first" : "" }, [cell]));
        });
      });
      body.appendChild(tr);
    });
    kinds.appendChild(el("table", { cls: "counts", "data-kind": kind }, [el("caption", { text: kind }), el("thead", null, [head1, head2]), body]));
  });
  root.appendChild(kinds);

  // Filters of the section; the header's text filter (case id) applies to the reads too.
  function select(label, values, show) {
    var s = el("select", null, [el("option", { value: "", text: "all" })]);
    values.forEach(function (v) { s.appendChild(el("option", { value: v, text: show ? show(v) : v })); });
    s.addEventListener("change", apply);
    return [el("label", null, [label + " ", s]), s];
  }
  var fk = select("kind", data.kinds), fd = select("direction", DIRECTIONS, arrow), fv = select("verdict", ["changed", "unreadable"]);
  var shown = el("span", { cls: "shown" });
  var readCount = data.findings.reduce(function (n, f) { return n + f.reads.length; }, 0);
  var outer = el("details", { cls: "findings", id: "interop-findings" }, [
    el("summary", null, [el("h2", null, ["Reads that do not read back equal", el("small", { text: readCount + " reads in " + data.findings.length + " groups, each group with its recorded reason" })])]),
    el("div", { cls: "ifilters" }, [fk[0], fd[0], fv[0], shown])
  ]);
  root.appendChild(outer);

  // Findings: one card per group, its reason, and its reads behind a click.
  function diffBlock(lines) {
    var pre = el("pre", { cls: "diff" });
    lines.forEach(function (line) {
      var cls = line.indexOf("@@") === 0 ? "at" : line.indexOf("+++") === 0 || line.indexOf("---") === 0 ? "at" : line[0] === "+" ? "add" : line[0] === "-" ? "del" : "";
      pre.appendChild(el("span", { cls: cls, text: line + "\n" }));
    });
    return pre;
  }
  var cards = [];
  data.findings.forEach(function (f) {
    var items = [];
    var list = el("ul", { cls: "reads" });
    f.reads.forEach(function (r) {
      var li = el("li", { "data-case": r.case }, [el("span", { cls: "case", text: r.case }), " step " + r.step + ": ", el("span", { cls: "detail", text: (f.verdict === "unreadable" && r.error ? "[" + r.error + "] " : "") + (r.detail || "") })]);
      if (r.diff && r.diff.length) li.appendChild(diffBlock(r.diff));
      items.push(li);
      list.appendChild(li);
    });
    var summary = el("summary", { text: (f.reads.length === 1 ? "the read" : "the " + f.reads.length + " reads") + ", with " + (f.verdict === "changed" ? "the first difference and a diff (writer's saver \u2212, reader's saver +)" : "the error the reader raised") });
    var details = el("details", { cls: "inputs" }, [summary, list]);
    var card = el("article", { cls: "card finding " + (f.recorded ? "warn" : "bad"), id: anchor(f), "data-kind": f.kind, "data-direction": f.direction, "data-verdict": f.verdict }, [
      el("h3", null, [el("span", { cls: "badge " + (f.verdict === "changed" ? "v-known" : "v-failed"), text: f.verdict }), " " + f.kind + " \u00b7 " + arrow(f.direction) + " \u00b7 " + f.op + " ", el("small", { text: "(" + f.reads.length + (f.reads.length === 1 ? " read, " : " reads, ") + (f.recorded ? "recorded" : "not recorded") + ")" })]),
      el("div", { cls: "why" }, f.reason ? [el("b", { text: "why: " }), f.reason] : [el("span", { cls: "problem", text: "not recorded in " + data.registry + ": run with --update-registry, then write the reason" })]),
      details
    ]);
    cards.push({ card: card, items: items, details: details });
    outer.appendChild(card);
  });
  function openFinding(f) {
    outer.open = true;
    cards.forEach(function (c) { if (c.card.id === anchor(f)) c.details.open = true; });
  }
  // Something to fix is shown at once: the findings open when a group is not recorded.
  if (data.findings.some(function (f) { return !f.recorded; })) outer.open = true;
  var text = document.getElementById("filter-text");
  function apply() {
    var q = text ? text.value.trim().toLowerCase() : "", visibleReads = 0, total = 0;
    cards.forEach(function (c) {
      var on = (!fk[1].value || c.card.getAttribute("data-kind") === fk[1].value) &&
        (!fd[1].value || c.card.getAttribute("data-direction") === fd[1].value) &&
        (!fv[1].value || c.card.getAttribute("data-verdict") === fv[1].value);
      var count = 0;
      c.items.forEach(function (li) {
        var match = !q || li.getAttribute("data-case").indexOf(q) >= 0;
        li.classList.toggle("hidden", !match);
        if (match) count++;
      });
      total += c.items.length;
      on = on && count > 0;
      c.card.classList.toggle("hidden", !on);
      if (on) visibleReads += count;
    });
    shown.textContent = visibleReads + " of " + total + " reads shown";
  }
  if (text) text.addEventListener("input", apply);
  apply();

  // A chip in the sticky header that leads here.
  var chips = document.getElementById("chips");
  if (chips) {
    var differ = data.counts.changed + data.counts.unreadable;
    var chip = el("a", { cls: "chip " + (data.ok ? "warn" : "bad"), href: "#interop", title: data.summary_line }, [el("b", { text: String(differ) }), "interop reads differ"]);
    chip.style.color = "inherit"; chip.style.textDecoration = "none";
    chips.appendChild(chip);
  }
  if (location.hash && location.hash.indexOf("#interop") === 0) {
    var target = document.getElementById(location.hash.slice(1));
    if (target && target.classList.contains("finding")) { outer.open = true; target.querySelector("details").open = true; }
    if (target) target.scrollIntoView();
  }
  document.body.setAttribute("data-interop-rendered", "true");
})();
"""
