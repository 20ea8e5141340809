// @ts-check
// The script of parity.html: draws the run embedded in <script id="parity-data"> (no network, works from file://).
// Type-checked by js/tsconfig.page.json (checkJs, strict) and linted by `npm run lint` in js/.
"use strict";

/**
 * @typedef {{ name: string, family: string, language: string, via: string, libraries: Record<string, string> }} Target
 * @typedef {{ targets: string[], step: number | null, pointer: string, why: string, recorded: boolean,
 *   causes: string[] }} Difference
 * @typedef {{ stdout?: string | null, stderr?: string | null }} Fault
 * @typedef {{ verdict: string, status: string, reason: string | null, problem: string | null,
 *   known_reason: string | null, fault: Fault | null }} TargetVerdict
 * @typedef {{ id: string, title: string, level: string, operation: string, kind: string, where: string, parity: string,
 *   ok: boolean,
 *   classes: string[][], families: Record<string, string>, differences: Difference[], differing_steps: number[],
 *   targets: Record<string, TargetVerdict> }} Case
 * @typedef {Omit<Case, "targets"> & { targets: Record<string, number> }} PackedCase
 * @typedef {{ op: string, as?: string }} Step
 * @typedef {{ steps: Step[], graph: unknown, observations: Record<string, number[]> }} Detail
 * @typedef {{ id: string, cases: number, explanation: string, issue: string | null }} Cause
 * @typedef {{ case: string, step: number, detail: string | null, error: string | null, written: number | null,
 *   read: number | null }} Read
 * @typedef {{ group: string, anchor: string, kind: string, direction: string, op: string, verdict: string,
 *   recorded: boolean, reason: string | null, reads: Read[] }} Finding
 * @typedef {{ kind: string, direction: string, op: string, counts: Record<string, number> }} InteropRow
 * @typedef {{ ok: boolean, kinds: string[], directions: string[], verdicts: string[], registry: string,
 *   summary_line: string, counts: Record<string, number>, errors: Record<string, string>, problems: string[],
 *   table: InteropRow[], findings: Finding[] }} Interop
 * @typedef {{ cases: number, divergences: number, unrecorded: number, failures: number }} LevelCounts
 * @typedef {{ ok: boolean, seconds: number, summary: Record<string, number>, summary_line: string,
 *   levels: Record<string, LevelCounts>, levels_line: string, registry: { problems: string[] }, causes: Cause[], targets: Target[], cases: PackedCase[],
 *   details: Record<string, Detail>, values: unknown[], verdicts: TargetVerdict[], interop: Interop | null }} PageData
 * @typedef {{ kind: "same" | "del" | "add", line: string }} DiffLine
 * @typedef {Record<string, string>} Attributes
 * @typedef {Node | string | null} Child
 */

/** Cells of the table lineDiff fills at most; a longer middle counts as all changed. */
const DIFF_CELLS = 4000000;
/** Unchanged lines kept around each change in a unified diff. */
const DIFF_CONTEXT = 2;
/** Lines a unified diff shows at most. */
const DIFF_LINES = 120;

/**
 * The element with this id, which the page's markup always has.
 * @param {string} id
 * @returns {HTMLElement}
 */
function byId(id) {
  const node = document.getElementById(id);
  if (!node) throw new Error("parity.html has no #" + id);
  return node;
}

/**
 * An element; attrs "text" and "cls" set its text and class.
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Attributes | null} [attrs]
 * @param {Child[]} [children]
 * @returns {HTMLElementTagNameMap[K]}
 */
function el(tag, attrs, children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (key === "text") node.textContent = value;
    else if (key === "cls") node.className = value;
    else node.setAttribute(key, value);
  }
  for (const child of children ?? []) {
    if (child !== null) node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return node;
}

/**
 * Members in name order, so a diff shows values that differ, not the order each language keeps.
 * @param {unknown} value
 * @returns {unknown}
 */
function sorted(value) {
  if (Array.isArray(value)) return value.map(sorted);
  if (value !== null && typeof value === "object") {
    /** @type {Record<string, unknown>} */
    const out = {};
    const members = /** @type {Record<string, unknown>} */ (value);
    for (const key of Object.keys(members).sort()) out[key] = sorted(members[key]);
    return out;
  }
  return value;
}

/**
 * @param {unknown} value
 * @returns {string[]}
 */
function prettyLines(value) {
  return value === undefined ? ["(no observation)"] : JSON.stringify(sorted(value), null, 2).split("\n");
}

/**
 * The page's one line diff, for both sections: a longest common subsequence of a and b between their common ends;
 * every line of either, in order, kept ("same"), only in a ("del") or only in b ("add").
 * @param {string[]} a
 * @param {string[]} b
 * @returns {DiffLine[]}
 */
function lineDiff(a, b) {
  const { start, endA, endB } = commonEnds(a, b);
  /** @type {DiffLine[]} */
  const head = a.slice(0, start).map((line) => ({ kind: "same", line }));
  /** @type {DiffLine[]} */
  const tail = a.slice(endA).map((line) => ({ kind: "same", line }));
  return head.concat(middleDiff(a.slice(start, endA), b.slice(start, endB)), tail);
}

/**
 * The common start of a and b, and where their common end begins in each (never before start).
 * @param {string[]} a
 * @param {string[]} b
 * @returns {{ start: number, endA: number, endB: number }}
 */
function commonEnds(a, b) {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  return { start, endA, endB };
}

/**
 * The diff of the parts between the common ends: by a longest common subsequence, or, past DIFF_CELLS table cells,
 * every line of a deleted then every line of b added.
 * @param {string[]} a
 * @param {string[]} b
 * @returns {DiffLine[]}
 */
function middleDiff(a, b) {
  /** @type {DiffLine[]} */
  const out = [];
  const n = a.length;
  const m = b.length;
  if (n * m > DIFF_CELLS) {
    for (const line of a) out.push({ kind: "del", line });
    for (const line of b) out.push({ kind: "add", line });
    return out;
  }
  const table = lcsTable(a, b);
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      out.push({ kind: "same", line: a[i] });
      i++;
      j++;
    } else if (j >= m || (i < n && table[i + 1][j] >= table[i][j + 1])) {
      out.push({ kind: "del", line: a[i] });
      i++;
    } else {
      out.push({ kind: "add", line: b[j] });
      j++;
    }
  }
  return out;
}

/**
 * table[i][j]: the length of the longest common subsequence of a[i..] and b[j..].
 * @param {string[]} a
 * @param {string[]} b
 * @returns {Int32Array[]}
 */
function lcsTable(a, b) {
  /** @type {Int32Array[]} */
  const table = [];
  for (let i = 0; i <= a.length; i++) table.push(new Int32Array(b.length + 1));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      table[i][j] = a[i] === b[j] ? table[i + 1][j + 1] + 1 : Math.max(table[i + 1][j], table[i][j + 1]);
    }
  }
  return table;
}

/**
 * Observations side by side, [[target, observation]]; lines that differ from any other column are highlighted.
 * @param {[string, unknown][]} observations
 * @returns {HTMLElement}
 */
function sideBySide(observations) {
  const texts = observations.map(([, value]) => {
    // An error is compared by its kind and detail, not its language's stack.
    if (value !== null && typeof value === "object" && "error" in value) {
      return prettyLines({ error: value.error, detail: "detail" in value ? value.detail : undefined });
    }
    return prettyLines(value);
  });
  const grid = el("div", { cls: "side" });
  grid.style.gridTemplateColumns = "repeat(" + String(observations.length) + ", minmax(0, 1fr))";
  observations.forEach(([name], k) => {
    const changed = texts[k].map(() => false);
    texts.forEach((other, q) => {
      if (q === k) return;
      let line = 0;
      for (const found of lineDiff(other, texts[k])) {
        if (found.kind === "del") continue;
        if (found.kind === "add") changed[line] = true;
        line++;
      }
    });
    const pre = el("pre");
    texts[k].forEach((line, index) => {
      pre.appendChild(el("span", { cls: "line" + (changed[index] ? " changed" : ""), text: line + "\n" }));
    });
    grid.appendChild(el("div", { cls: "col" }, [el("h4", { text: name }), pre]));
  });
  return grid;
}

/**
 * A unified diff of two values (before -, after +): the changed lines and DIFF_CONTEXT lines around them.
 * @param {unknown} before
 * @param {unknown} after
 * @param {string} beforeName
 * @param {string} afterName
 * @returns {HTMLElement}
 */
function unifiedDiff(before, after, beforeName, afterName) {
  const lines = lineDiff(prettyLines(before), prettyLines(after));
  const near = lines.map(() => false);
  lines.forEach((found, index) => {
    if (found.kind === "same") return;
    const last = Math.min(lines.length - 1, index + DIFF_CONTEXT);
    for (let k = Math.max(0, index - DIFF_CONTEXT); k <= last; k++) near[k] = true;
  });
  const pre = el("pre", { cls: "diff" }, [
    el("span", { cls: "at", text: "--- " + beforeName + "\n" }),
    el("span", { cls: "at", text: "+++ " + afterName + "\n" }),
  ]);
  let shown = 0;
  let gap = false;
  lines.forEach((found, index) => {
    if (!near[index]) {
      gap = true;
      return;
    }
    if (shown === DIFF_LINES) pre.appendChild(el("span", { cls: "at", text: "... more lines differ\n" }));
    if (shown++ >= DIFF_LINES) return;
    if (gap) pre.appendChild(el("span", { cls: "at", text: "@@\n" }));
    gap = false;
    const mark = found.kind === "add" ? "+" : found.kind === "del" ? "-" : " ";
    pre.appendChild(el("span", { cls: found.kind, text: mark + found.line + "\n" }));
  });
  return pre;
}

/** @type {Record<string, string>} */
const VERDICT = {
  passed: "passed",
  known: "known div.",
  failed: "failed",
  stale: "stale",
  skipped: "skipped",
  errored: "errored",
};
/** @type {Record<string, string>} */
const PARITY = {
  agree: "agree",
  recorded: "divergence",
  unrecorded: "unrecorded!",
  incomplete: "incomplete",
  not_compared: "not compared",
};

/**
 * The groups of identical behaviour, family by family: "memory: a = b != c; sqlite: ...".
 * @param {Case} c
 * @param {Record<string, string>} familyOf
 * @returns {string}
 */
function familyTip(c, familyOf) {
  /** @type {Map<string, string[]>} */
  const parts = new Map();
  for (const group of c.classes) {
    const family = familyOf[group[0]] || group[0];
    parts.set(family, [...(parts.get(family) ?? []), group.join(" = ")]);
  }
  return Array.from(parts, ([family, groups]) => {
    const status = c.families[family] ? " (" + c.families[family] + ")" : "";
    return family + status + ": " + groups.join("  \u2260  ");
  }).join("; ");
}

/**
 * The status keys a case answers to, for the status filter.
 * @param {Case} c
 * @param {string[]} names
 * @returns {string}
 */
function statuses(c, names) {
  const keys = [];
  const verdicts = names.map((name) => c.targets[name].verdict);
  if (!c.ok) keys.push("problem");
  if (c.parity === "recorded" || c.parity === "unrecorded") keys.push("divergence");
  if (c.parity === "agree") keys.push("agree");
  if (verdicts.some((v) => v === "failed" || v === "stale")) keys.push("failure");
  for (const verdict of ["known", "errored", "skipped"]) if (verdicts.includes(verdict)) keys.push(verdict);
  return keys.join(" ");
}

/**
 * @param {Case} c
 * @returns {string}
 */
function causesOf(c) {
  return Array.from(new Set(c.differences.flatMap((x) => x.causes))).join(" ");
}

/**
 * Cases group by operation, scenarios by topic; the scenarios come after the cases.
 * @param {Case} c
 * @returns {string}
 */
function groupOf(c) {
  return c.kind === "scenario" ? "scenario: " + c.operation : c.operation;
}

/**
 * The attributes the filters read, on a matrix row and on a card alike.
 * @param {Case} c
 * @param {string[]} names
 * @returns {Attributes}
 */
function filterAttributes(c, names) {
  return {
    "data-op": groupOf(c),
    "data-level": c.level,
    "data-status": statuses(c, names),
    "data-causes": causesOf(c),
    "data-text": (c.id + " " + c.title).toLowerCase(),
  };
}

/**
 * @param {HTMLElement} node
 * @param {string} name
 * @param {string} value
 * @returns {boolean}
 */
function hasWord(node, name, value) {
  return (" " + (node.getAttribute(name) ?? "") + " ").includes(" " + value + " ");
}

/**
 * @param {HTMLSelectElement} select
 * @param {string[]} values
 * @param {(value: string) => string} [show]
 */
function addOptions(select, values, show) {
  for (const value of values) select.appendChild(el("option", { value, text: show ? show(value) : value }));
}

/**
 * @param {string} id
 * @returns {HTMLSelectElement}
 */
function selectById(id) {
  const node = byId(id);
  if (!(node instanceof HTMLSelectElement)) throw new Error("#" + id + " is not a select");
  return node;
}

/**
 * @param {string} id
 * @returns {HTMLInputElement}
 */
function inputById(id) {
  const node = byId(id);
  if (!(node instanceof HTMLInputElement)) throw new Error("#" + id + " is not an input");
  return node;
}

/**
 * The header: verdict, counts, the exact library versions of every target; then the registry's problems.
 * @param {PageData} data
 */
function drawHeader(data) {
  const s = data.summary;
  const verdict = byId("verdict");
  verdict.textContent = data.ok ? "PASS" : "FAIL";
  verdict.className = "verdict " + (data.ok ? "pass" : "fail");
  verdict.title = data.summary_line;
  const chips = byId("chips");
  /** @type {[string, number, string][]} */
  const counts = [
    ["cases", s.cases, ""],
    ["scenarios", s.scenarios || 0, ""],
    ["targets", s.targets, ""],
    ["agreements", s.agreements, "good"],
    ["divergences", s.divergences, s.unrecorded ? "bad" : "warn"],
    ["failures", s.failures, s.failures ? "bad" : "good"],
  ];
  for (const [label, count, cls] of counts) {
    chips.appendChild(el("span", { cls: "chip " + cls }, [el("b", { text: String(count) }), label]));
  }
  // Built-in targets are judged on every level; the level says whose behaviour a divergence is about.
  for (const [level, n] of Object.entries(data.levels)) {
    const title = String(n.cases) + " " + level + " cases and scenarios, " + String(n.failures) + " failing";
    const cls = "chip " + (n.unrecorded ? "bad" : n.divergences ? "warn" : "good");
    chips.appendChild(el("span", { cls, title }, [el("b", { text: String(n.divergences) }), level + " diverging"]));
  }
  chips.appendChild(el("span", { cls: "chip", text: String(data.seconds) + " s" }));
  const versions = byId("versions");
  for (const t of data.targets) {
    const libraries = Object.keys(t.libraries)
      .sort()
      .map((name) => name + " " + t.libraries[name])
      .join(", ");
    const via = t.via === "in-process" ? "in-process" : "driver";
    versions.appendChild(el("b", { text: t.name, title: t.via }));
    versions.appendChild(el("code", { text: (libraries || "not started") + "  \u00b7  " + t.language + ", " + via }));
  }
  const problems = byId("registry-problems");
  for (const p of data.registry.problems) problems.appendChild(el("p", { cls: "problem", text: "registry: " + p }));
}

/**
 * Each behavioural difference, explained once, with how many cases it explains.
 * @param {Cause[]} causes
 * @param {HTMLSelectElement} causeSelect
 * @param {() => void} apply
 */
function drawCauses(causes, causeSelect, apply) {
  if (!causes.length) return;
  const body = el("tbody");
  for (const k of causes) {
    causeSelect.appendChild(el("option", { value: k.id, text: k.id + " (" + String(k.cases) + ")" }));
    const pick = el("a", { href: "#", text: k.id });
    pick.addEventListener("click", (event) => {
      event.preventDefault();
      causeSelect.value = k.id;
      apply();
    });
    /** @type {Child[]} */
    const explanation = [k.explanation];
    if (k.issue) explanation.push(" ", el("a", { href: k.issue, text: "upstream" }));
    const cells = [el("td", { cls: "case" }, [pick]), el("td", { text: String(k.cases) }), el("td", null, explanation)];
    body.appendChild(el("tr", null, cells));
  }
  const head = el("tr", null, ["cause", "cases", "explanation"].map((text) => el("th", { text })));
  const small = el("small", { text: String(causes.length) + " causes, each explained once in the registry" });
  byId("causes").appendChild(
    el("details", { cls: "group causes" }, [
      el("summary", null, [el("h2", null, ["causes of the recorded divergences", small])]),
      el("table", { cls: "matrix" }, [el("thead", null, [head]), body]),
    ]),
  );
}

/**
 * The matrix: one table per operation, one row per case, one column per target, and parity. Returns the rows.
 * @param {Case[]} all
 * @param {PageData} data
 * @param {string[]} names
 * @param {Record<string, string>} familyOf
 * @param {HTMLSelectElement} opSelect
 * @returns {HTMLElement[]}
 */
function drawMatrix(all, data, names, familyOf, opSelect) {
  /** @type {Map<string, Case[]>} */
  const groups = new Map();
  for (const c of all) groups.set(groupOf(c), [...(groups.get(groupOf(c)) ?? []), c]);
  addOptions(opSelect, Array.from(groups.keys()), (op) => op + " (" + String((groups.get(op) ?? []).length) + ")");
  /** @type {HTMLElement[]} */
  const rows = [];
  const matrix = byId("matrix");
  for (const [op, cases] of groups) {
    const head = el("tr", null, [
      el("th", { text: "case" }),
      ...names.map((n) => el("th", { text: n, title: "family " + (familyOf[n] || n) })),
      el("th", { text: "parity", title: "compared within each family; agree when every family agrees" }),
    ]);
    const body = el("tbody");
    for (const c of cases) {
      const id = el("div", { cls: "id" }, [c.id, levelTag(c)]);
      const title = [id, el("div", { cls: "title", text: c.title })];
      /** @type {Child[]} */
      const cells = [el("td", { cls: "case" }, title)];
      for (const n of names) {
        const t = c.targets[n];
        const tip = t.problem ?? t.known_reason ?? (t.status === "skipped" ? "skipped" : "");
        cells.push(el("td", null, [el("span", { cls: "badge v-" + t.verdict, title: tip, text: VERDICT[t.verdict] })]));
      }
      /** @type {Attributes} */
      const attrs = { cls: "badge p-" + c.parity, text: PARITY[c.parity], title: familyTip(c, familyOf) };
      if (c.id in data.details) attrs.href = "#case-" + c.id;
      cells.push(el("td", null, [el(c.id in data.details ? "a" : "span", attrs)]));
      const row = el("tr", { ...filterAttributes(c, names), "data-case": c.id }, cells);
      rows.push(row);
      body.appendChild(row);
    }
    const noun = cases[0].kind === "scenario" ? " scenarios" : " cases";
    matrix.appendChild(
      el("div", { cls: "group", "data-op": op }, [
        el("h2", null, [op, el("small", { text: String(cases.length) + noun })]),
        el("table", { cls: "matrix" }, [el("thead", null, [head]), body]),
      ]),
    );
  }
  return rows;
}

/**
 * The small tag of a case's level (spec/README.md 1.2).
 * @param {Case} c
 * @returns {HTMLElement}
 */
function levelTag(c) {
  return el("span", { cls: "level " + c.level, text: c.level });
}

/**
 * A case's differences and the targets that failed, stale or errored on it.
 * @param {Case} c
 * @param {string[]} names
 * @returns {HTMLElement}
 */
function problemList(c, names) {
  const list = el("ul", { cls: "diffs" });
  for (const x of c.differences) list.appendChild(differenceItem(x));
  for (const n of names) {
    const t = c.targets[n];
    if (t.verdict === "failed" || t.verdict === "stale" || t.verdict === "errored") list.appendChild(verdictItem(n, t));
  }
  return list;
}

/**
 * One difference between two targets: explained or residual, where, why and its causes.
 * @param {Difference} x
 * @returns {HTMLElement}
 */
function differenceItem(x) {
  const where = x.step === null ? "" : " at step " + String(x.step) + " " + (x.pointer || "/");
  const badge = x.recorded ? "p-recorded" : "p-unrecorded";
  const item = el("li", null, [
    el("span", { cls: "badge " + badge, text: x.recorded ? "explained" : "residual" }),
    " ",
    el("b", { text: x.targets[0] + " \u2260 " + x.targets[1] }),
    where + ": ",
    el("span", { cls: "why", text: x.why }),
  ]);
  if (x.causes.length) {
    item.appendChild(el("div", { cls: "reason" }, [el("b", { text: "causes: " }), x.causes.join(", ")]));
  }
  return item;
}

/**
 * A target that failed, stale or errored on the case: its verdict, its problem and what its driver wrote.
 * @param {string} n
 * @param {TargetVerdict} t
 * @returns {HTMLElement}
 */
function verdictItem(n, t) {
  const badge = el("span", { cls: "badge v-" + t.verdict, text: t.verdict });
  const item = el("li", null, [badge, " ", el("b", { text: n }), ": ", t.problem ?? t.reason ?? ""]);
  const fault = el("div", { cls: "fault" });
  /** @type {[string, string | null | undefined][]} */
  const streams = [["stdout", t.fault?.stdout], ["stderr (end)", t.fault?.stderr]];
  for (const [label, text] of streams) {
    if (text) fault.appendChild(el("div", null, [el("b", { text: label }), el("pre", { text })]));
  }
  if (fault.childNodes.length) item.appendChild(fault);
  return item;
}

/**
 * Details: for every divergence, failure and scenario, the inputs and each target's observations side by side.
 * @param {Case[]} all
 * @param {PageData} data
 * @param {string[]} names
 * @returns {HTMLElement[]}
 */
function drawDetails(all, data, names) {
  const root = byId("details");
  /** @type {HTMLElement[]} */
  const cards = [];
  const shownCases = all.filter((c) => c.id in data.details);
  if (shownCases.length) {
    const small = el("small", { text: String(shownCases.length) + " cases and scenarios" });
    root.appendChild(el("h2", null, ["Divergences, failures and scenarios", small]));
  }
  for (const c of shownCases) {
    const d = data.details[c.id];
    const tone = !c.differences.length && c.ok ? "good" : c.ok ? "warn" : "bad";
    const card = el("article", { cls: "card " + tone, id: "case-" + c.id, ...filterAttributes(c, names) });
    card.appendChild(el("h3", null, [c.id, levelTag(c)]));
    card.appendChild(el("div", { cls: "sub", text: c.title + " \u2014 " + groupOf(c) + " \u2014 " + c.where }));
    card.appendChild(problemList(c, names));
    const graph = c.kind === "scenario" ? " and its graph" : "";
    const inputs = el("summary", { text: "inputs: the " + c.kind + "'s " + String(d.steps.length) + " steps" + graph });
    const shownInputs = prettyLines(d.graph ? { graph: d.graph, steps: d.steps } : d.steps).join("\n");
    card.appendChild(el("details", { cls: "inputs" }, [inputs, el("pre", { cls: "block", text: shownInputs })]));
    const shown = names.filter((n) => c.targets[n].status !== "errored");
    const same = el("div");
    d.steps.forEach((step, i) => {
      /** @type {[string, unknown][]} */
      const observations = shown.map((n) => {
        const index = i < d.observations[n].length ? d.observations[n][i] : -1;
        return [n, index < 0 ? undefined : data.values[index]];
      });
      const differs = c.differing_steps.includes(i);
      const label = el("div", { cls: "step" }, [
        "step " + String(i) + " \u00b7 " + step.op + (step.as ? " as " + step.as : ""),
        el("span", { cls: "tag " + (differs ? "diff" : "same"), text: differs ? "differs" : "same" }),
      ]);
      const into = differs ? card : same;
      into.appendChild(label);
      into.appendChild(sideBySide(observations));
    });
    if (same.childNodes.length) {
      const summary = el("summary", { text: "steps on which every target observed the same" });
      card.appendChild(el("details", { cls: "same" }, [summary, same]));
    }
    cards.push(card);
    root.appendChild(card);
  }
  return cards;
}

/**
 * @param {string} direction
 * @returns {string}
 */
function arrow(direction) {
  return direction.replace("->", " \u2192 ");
}

/**
 * The counts of the interop section: one table per kind, operations by direction, each count of a finding linked.
 * @param {Interop} interop
 * @param {(f: Finding) => void} openFinding
 * @returns {HTMLElement}
 */
function interopCounts(interop, openFinding) {
  /** @type {Map<string, Finding>} */
  const byGroup = new Map(interop.findings.map((f) => [f.group, f]));
  const kinds = el("div", { cls: "kinds" });
  for (const kind of interop.kinds) {
    const rows = interop.table.filter((r) => r.kind === kind);
    if (!rows.length) continue;
    const width = String(interop.verdicts.length);
    const head1 = el("tr", null, [
      el("th", { cls: "op", rowspan: "2", text: "operation" }),
      ...interop.directions.map((d) => el("th", { cls: "dir", colspan: width, text: arrow(d) })),
    ]);
    const head2 = el("tr");
    const labels = interop.verdicts.map((v, i) => [i === 0 ? "first" : "", v === "writer-error" ? "writer error" : v]);
    for (const [cls, text] of interop.directions.flatMap(() => labels)) head2.appendChild(el("th", { cls, text }));
    const body = el("tbody");
    for (const op of new Set(rows.map((r) => r.op))) {
      const tr = el("tr", { "data-kind": kind, "data-op": op }, [el("td", { cls: "op", text: op })]);
      for (const d of interop.directions) {
        const row = rows.find((x) => x.direction === d && x.op === op);
        interop.verdicts.forEach((v, i) => {
          const count = row ? row.counts[v] || 0 : 0;
          const f = byGroup.get([kind, d, op, v].join(" "));
          /** @type {HTMLElement} */
          let cell;
          if (f && count) {
            const title = f.reason ?? "not recorded";
            cell = el("a", { cls: "n " + v, href: "#" + f.anchor, title, text: String(count) });
            cell.addEventListener("click", () => {
              openFinding(f);
            });
          } else {
            cell = el("span", { cls: "n " + (count ? v : "zero"), text: row ? String(count) : "\u2013" });
          }
          tr.appendChild(el("td", { cls: i === 0 ? "first" : "" }, [cell]));
        });
      }
      body.appendChild(tr);
    }
    const parts = [el("caption", { text: kind }), el("thead", null, [head1, head2]), body];
    kinds.appendChild(el("table", { cls: "counts", "data-kind": kind }, parts));
  }
  return kinds;
}

/**
 * One finding group: its verdict, its reason, and its reads (the error, or a diff of the two reads) behind a click.
 * @param {Interop} interop
 * @param {Finding} f
 * @param {unknown[]} values
 * @returns {{ card: HTMLElement, items: HTMLElement[], reads: HTMLDetailsElement }}
 */
function findingCard(interop, f, values) {
  const [writer, reader] = f.direction.split("->");
  const list = el("ul", { cls: "reads" });
  const items = f.reads.map((r) => {
    const error = f.verdict === "unreadable" && r.error ? "[" + r.error + "] " : "";
    const item = el("li", { "data-case": r.case }, [
      el("span", { cls: "case", text: r.case }),
      " step " + String(r.step) + ": ",
      el("span", { cls: "detail", text: error + (r.detail ?? "") }),
    ]);
    if (r.written !== null && r.read !== null) {
      const names = ["read by the writer (" + writer + ")", "read by the reader (" + reader + ")"];
      item.appendChild(unifiedDiff(values[r.written], values[r.read], names[0], names[1]));
    }
    list.appendChild(item);
    return item;
  });
  const what =
    f.verdict === "changed"
      ? "the first difference and a diff (writer's saver \u2212, reader's saver +)"
      : "the error the reader raised";
  const count = f.reads.length === 1 ? "the read" : "the " + String(f.reads.length) + " reads";
  const reads = el("details", { cls: "inputs" }, [el("summary", { text: count + ", with " + what }), list]);
  const recorded = f.recorded ? "recorded" : "not recorded";
  const counted = "(" + String(f.reads.length) + (f.reads.length === 1 ? " read, " : " reads, ") + recorded + ")";
  const missing = "not recorded in " + interop.registry + ": run with --update-registry, then write the reason";
  const why = f.reason ? [el("b", { text: "why: " }), f.reason] : [el("span", { cls: "problem", text: missing })];
  const attrs = { cls: "card finding " + (f.recorded ? "warn" : "bad"), id: f.anchor, "data-kind": f.kind };
  const card = el("article", { ...attrs, "data-direction": f.direction, "data-verdict": f.verdict }, [
    el("h3", null, [
      el("span", { cls: "badge " + (f.verdict === "changed" ? "v-known" : "v-failed"), text: f.verdict }),
      " " + f.kind + " \u00b7 " + arrow(f.direction) + " \u00b7 " + f.op + " ",
      el("small", { text: counted }),
    ]),
    el("div", { cls: "why" }, why),
    reads,
  ]);
  return { card, items, reads };
}

/**
 * The storage interop section: the counts, then every finding group, with filters of its own for kind, direction
 * and verdict; the header's text filter (case id) filters the reads too.
 * @param {Interop} interop
 * @param {unknown[]} values
 * @param {HTMLInputElement} text
 */
function drawInterop(interop, values, text) {
  const root = byId("interop");
  root.textContent = "";
  const line = interop.summary_line.replace(/^storage interop: /, "");
  root.appendChild(el("h2", null, ["Storage interop", el("small", { text: line })]));
  const intro =
    "What one language's SQLite or PostgreSQL saver wrote through the spec's cases, read back by the other " +
    "language's saver of the same kind, each case on a fresh file or schema. Equal: the reader read what the " +
    "writer's own saver reads; changed: both read, something differs; unreadable: the reader raised. Pending " +
    "writes inside get_tuple are judged on their own. Findings and their reasons: " +
    interop.registry;
  root.appendChild(el("p", { cls: "intro", text: intro }));
  for (const [kind, message] of Object.entries(interop.errors)) {
    root.appendChild(el("p", { cls: "problem", text: kind + " could not run: " + message }));
  }
  for (const p of interop.problems) root.appendChild(el("p", { cls: "problem", text: p }));

  const outer = el("details", { cls: "findings", id: "interop-findings" });
  const cards = interop.findings.map((f) => findingCard(interop, f, values));
  /** @param {Finding} f */
  const openFinding = (f) => {
    outer.open = true;
    for (const c of cards) if (c.card.id === f.anchor) c.reads.open = true;
  };
  root.appendChild(interopCounts(interop, openFinding));

  /**
   * @param {string} label
   * @param {string[]} choices
   * @param {(value: string) => string} [show]
   * @returns {[HTMLElement, HTMLSelectElement]}
   */
  const select = (label, choices, show) => {
    const s = el("select", null, [el("option", { value: "", text: "all" })]);
    addOptions(s, choices, show);
    s.addEventListener("change", apply);
    return [el("label", null, [label + " ", s]), s];
  };
  /** @type {[HTMLElement, HTMLSelectElement][]} */
  const filters = [
    select("kind", interop.kinds),
    select("direction", interop.directions, arrow),
    select("verdict", ["changed", "unreadable"]),
  ];
  const names = ["data-kind", "data-direction", "data-verdict"];
  const shown = el("span", { cls: "shown" });
  const readCount = interop.findings.reduce((n, f) => n + f.reads.length, 0);
  const groups = String(readCount) + " reads in " + String(interop.findings.length) + " groups";
  const small = el("small", { text: groups + ", each group with its recorded reason" });
  outer.appendChild(el("summary", null, [el("h2", null, ["Reads that do not read back equal", small])]));
  outer.appendChild(el("div", { cls: "ifilters" }, [...filters.map((f) => f[0]), shown]));
  for (const c of cards) outer.appendChild(c.card);
  root.appendChild(outer);
  // Something to fix is shown at once: the findings open when a group is not recorded.
  if (interop.findings.some((f) => !f.recorded)) outer.open = true;

  function apply() {
    const q = text.value.trim().toLowerCase();
    let visible = 0;
    let total = 0;
    for (const { card, items } of cards) {
      let on = filters.every(([, s], k) => !s.value || card.getAttribute(names[k]) === s.value);
      let count = 0;
      for (const item of items) {
        const match = !q || (item.getAttribute("data-case") ?? "").includes(q);
        item.classList.toggle("hidden", !match);
        if (match) count++;
      }
      total += items.length;
      on = on && count > 0;
      card.classList.toggle("hidden", !on);
      if (on) visible += count;
    }
    shown.textContent = String(visible) + " of " + String(total) + " reads shown";
  }
  text.addEventListener("input", apply);
  apply();

  // A chip in the sticky header that leads here.
  const differ = (interop.counts.changed || 0) + (interop.counts.unreadable || 0);
  const tone = interop.ok ? "warn" : "bad";
  const chip = el("a", { cls: "chip " + tone, href: "#interop", title: interop.summary_line }, [
    el("b", { text: String(differ) }),
    "interop reads differ",
  ]);
  chip.style.color = "inherit";
  chip.style.textDecoration = "none";
  byId("chips").appendChild(chip);
  const wanted = decodeURIComponent(location.hash.slice(1));
  const finding = interop.findings.find((f) => f.anchor === wanted);
  if (finding) openFinding(finding);
  document.body.setAttribute("data-interop-rendered", "true");
}

function main() {
  /** @type {unknown} */
  const parsed = JSON.parse(byId("parity-data").textContent);
  const data = /** @type {PageData} */ (parsed);
  const names = data.targets.map((t) => t.name);
  /** @type {Record<string, string>} */
  const familyOf = {};
  for (const t of data.targets) familyOf[t.name] = t.family || t.name;
  drawHeader(data);
  const opSelect = selectById("filter-op");
  const levelSelect = selectById("filter-level");
  const statusSelect = selectById("filter-status");
  const causeSelect = selectById("filter-cause");
  const text = inputById("filter-text");
  /** @type {HTMLElement[]} */
  let rows = [];
  /** @type {HTMLElement[]} */
  let cards = [];

  /**
   * @param {HTMLElement} node
   * @returns {boolean}
   */
  function visible(node) {
    const q = text.value.trim().toLowerCase();
    if (opSelect.value && node.getAttribute("data-op") !== opSelect.value) return false;
    if (levelSelect.value && node.getAttribute("data-level") !== levelSelect.value) return false;
    if (causeSelect.value && !hasWord(node, "data-causes", causeSelect.value)) return false;
    if (statusSelect.value && !hasWord(node, "data-status", statusSelect.value)) return false;
    return !q || (node.getAttribute("data-text") ?? "").includes(q);
  }
  function apply() {
    let count = 0;
    for (const row of rows) {
      const on = visible(row);
      row.classList.toggle("hidden", !on);
      if (on) count++;
    }
    for (const group of Array.from(byId("matrix").querySelectorAll(".group"))) {
      group.classList.toggle("hidden", !group.querySelector("tbody tr:not(.hidden)"));
    }
    for (const card of cards) card.classList.toggle("hidden", !visible(card));
    byId("shown").textContent = String(count) + " of " + String(rows.length) + " cases and scenarios shown";
  }

  drawCauses(data.causes, causeSelect, apply);
  if (data.interop) drawInterop(data.interop, data.values, text);
  // Each target's verdict on a case is an index into the shared verdicts.
  const cases = data.cases.map((c) => {
    /** @type {[string, TargetVerdict][]} */
    const targets = Object.entries(c.targets).map(([name, index]) => [name, data.verdicts[index]]);
    return { ...c, targets: Object.fromEntries(targets) };
  });
  rows = drawMatrix(cases, data, names, familyOf, opSelect);
  cards = drawDetails(cases, data, names);
  for (const select of [opSelect, levelSelect, statusSelect, causeSelect]) select.addEventListener("change", apply);
  text.addEventListener("input", apply);
  apply();
  // The content is drawn by this script, after the browser looked for the #fragment: look again.
  const target = location.hash ? document.getElementById(decodeURIComponent(location.hash.slice(1))) : null;
  if (target) {
    if (target.tagName === "ARTICLE") {
      for (const inputs of Array.from(target.querySelectorAll("details.inputs"))) inputs.setAttribute("open", "");
    }
    target.scrollIntoView();
  }
  document.body.setAttribute("data-rendered", "true");
}

main();
