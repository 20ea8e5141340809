/**
 * The lint's rules (spec/README.md 7.3): every problem the lint reports ends with the id of one of them.
 *
 * The same table, id for id, is python/src/checkpoint_spec/lint_rules.py and the `rules` of spec/selftest/lint.json.
 */

export const LINT_RULES = {
  "spec-folder": "the spec folder has a cases/ folder",
  "json-reading": "every JSON file is readable under the reading rules of section 1.1",
  "schema": "every file satisfies its schema",
  "schema-file": "every schema file is a usable JSON Schema 2020-12",
  "stray-file": "every *.json file is in a place section 1.1 names",
  "unknown-tag": "every $-tag is one of section 2",
  "dollar-member": "a plain object has no member whose name starts with $ (wrap it in $object)",
  "tag-argument": "every tag takes an argument of the form section 2 gives it",
  "int-bounds": "integers outside ±(2^53-1) are $int, and $int values lie outside it",
  "datetime": "a $datetime is ISO 8601 text with a UTC offset",
  "regex-grammar": "a $regex pattern is in the subset of section 2.3",
  "merge-operand": "a $merge operand is a plain object or a reference",
  "matcher-in-args": "matchers appear only in expectations",
  "opaque-in-args": "$opaque appears only in expectations",
  "unknown-fixture": "every $fixture names a file in fixtures/",
  "ref-outside-step": "$ref appears only in a step",
  "ref-earlier-step": "every $ref names an earlier step of its case",
  "ref-pointer": "the part of a $ref after # is a JSON pointer",
  "fixture-cycle": "no fixture uses itself",
  "fixture-bounds": "every fixture, expanded, is within the depth and size of section 2.2",
  "duplicate-id": "case and scenario ids are unique across files",
  "duplicate-as": "step names (as) are unique within a case",
  "unknown-op": "every case step's op is an operation of section 3",
  "requires-extended": "every extended operation a case uses is listed in its requires",
  "missing-argument": "a step gives every argument its operation needs",
  "unknown-argument": "a step gives no argument its operation does not take",
  "null-argument": "an optional argument whose default is not null is left out, not null",
  "writes-form": "put_writes' writes are written out as [channel, value] pairs",
  "graph-bounds": "a graph nests at most 8 subgraph levels and has at most 200 nodes expanded",
  "graph-cycle": "no graph contains itself",
  "unknown-graph": "a graph name names a graph in its file's graphs",
  "unknown-node": "every node a graph or a step names exists in that graph",
  "unknown-channel": "every channel a graph names is one of its channels",
  "start-edge": "every graph has an edge or branch from __start__",
  "last-action": "send and goto are the last action of their node",
  "resume-needs-interrupt": "a step that resumes belongs to a scenario whose graph can interrupt",
  "alias-form": "a literal alias argument has the form of its kind",
  "last-step": "a scenario's last step is checkpoints",
  "known-target": "a known-divergence file's target is its file name's TARGET",
  "unknown-case": "every known-divergence entry and self-test verdict names a case",
  "duplicate-mark": "a known-divergence entry lists each mark once",
  "reason-placeholder": "every strict-list entry gives a reason, not a placeholder",
  "family-outside": "a parity cause's difference names only families of its cause",
  "no-difference": "a parity cause's difference does not say both sides are absent",
  "missing-verdict": "selftest/verdicts.json gives a verdict for every self-test case",
} as const satisfies Record<string, string>;

/** The id of a lint rule. */
export type LintRule = keyof typeof LINT_RULES;
