"""parity.json shares repeated observations through one table of values; parity.md is a summary linking into the
page and the JSON."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import jsonschema
import pytest

from checkpoint_spec.parity.reports import with_interop
from checkpoint_spec.parity.reports.json_report import DESCRIPTION, pack, render_json, report_schema, unpack
from checkpoint_spec.parity.reports.markdown import LISTED, failure_lines, render_markdown
from checkpoint_spec.parity.reports.values import ValueTable

from .conftest import case_file
from .page_support import diverging_document, interop_sample
from .parity_support import parity, simple_case


def test_values_are_stored_once_by_their_json_text() -> None:
    table = ValueTable()
    indexes = [table.index(value) for value in ({"a": 1, "b": 2}, {"a": 1, "b": 2}, {"b": 2, "a": 1}, 1, 1.0, True)]
    assert indexes == [0, 0, 1, 2, 3, 4]
    assert table.values == [{"a": 1, "b": 2}, {"b": 2, "a": 1}, 1, 1.0, True]


def test_parity_json_stores_each_observation_once_and_unpacks_to_the_document(
    make_spec: Callable[..., Path], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    document = with_interop(diverging_document(make_spec, capsys, tmp_path / "out"), interop_sample("Because."))
    packed = json.loads(render_json(document))
    assert packed["description"] == DESCRIPTION and unpack(packed) == document and pack(document) == packed
    steps = [step for case in packed["cases"] for target in case["targets"].values() for step in target["steps"]]
    assert all("observation" not in step for step in steps)
    texts = [json.dumps(value) for value in packed["values"]]
    assert len(texts) == len(set(texts)) < len(steps)  # three targets, mostly agreeing
    (read,) = packed["interop"]["findings"][0]["reads"]
    assert packed["values"][read["written_index"]] == interop_sample("")["findings"][0]["reads"][0]["written"]
    assert "written" not in read and read["diff"]  # the diff the terminal and tests read is kept
    validator = jsonschema.Draft202012Validator(report_schema())
    validator.validate(packed)
    # An observation in place, where the index belongs, is not the packed report.
    packed["cases"][0]["targets"]["fake"]["steps"][0]["observation"] = {"result": None}
    assert not validator.is_valid(packed)


def test_parity_md_links_each_residual_difference_into_the_page_and_the_json(
    make_spec: Callable[..., Path], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    document = diverging_document(make_spec, capsys, out)
    markdown = (out / "parity.md").read_text(encoding="utf-8")
    assert markdown.startswith("# checkpoint-spec parity report\n\n**FAIL**: " + document["summary_line"])
    assert "| divergence with residual differences | 1 |" in markdown
    assert "| py-memory | 4 | 0 | 0 | 0 | 0 | 0 |" in markdown  # the verdicts per target
    residual = [
        line for line in markdown.splitlines() if line.startswith("- [second](parity.html#case-second) _reference_ ")
    ]
    assert residual and all("py-memory" in line and "fake" in line for line in residual)
    assert "## Failures: 0\n\nNone." in markdown
    # Every JSON pointer it names is a residual difference of parity.json.
    packed = json.loads((out / "parity.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(report_schema()).validate(packed)  # with no interop section too
    for line in residual:
        _, _, case, _, index = line.rsplit("`", 2)[1].split("/")
        assert packed["cases"][int(case)]["differences"][int(index)]["recorded"] is False
    assert "```json" not in markdown  # no observations: those are in the page and the JSON


def test_parity_md_lists_failures_and_stops_at_a_bound(
    make_spec: Callable[..., Path], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    cases = [simple_case(case_id) for case_id in ("first", "second", "third")]
    for case in cases[:2]:
        case["steps"][1]["expect"] = {"result": {"$type": "string"}}
    spec = make_spec({"put.json": case_file(*cases)})
    code, lines, _, packed = parity(capsys, spec, tmp_path / "out", "--targets", "py-memory")
    assert code == 1, lines
    markdown = (tmp_path / "out" / "parity.md").read_text(encoding="utf-8")
    assert "## Failures: 2" in markdown
    assert (
        "- [first](parity.html#case-first) _contract_ **py-memory** failed: step 1 get_tuple: result at /: expected"
        in markdown
    )
    assert "(parity.json `/cases/1/targets/py-memory`)" in markdown
    document = unpack(packed)
    many = {**document, "cases": document["cases"][:1] * (LISTED + 5)}
    assert len(failure_lines(many)) == LISTED + 5
    shown = render_markdown(many)
    assert shown.count("**py-memory** failed") == LISTED and "- … and 5 more failures (parity.html and " in shown


def test_every_report_gives_each_case_its_level_and_the_divergences_per_level(
    make_spec: Callable[..., Path], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # `second` is a reference case and diverges unexplained; the three contract cases agree.
    out = tmp_path / "out"
    document = diverging_document(make_spec, capsys, out)
    assert {case["id"]: case["level"] for case in document["cases"]} == {
        "first": "contract",
        "second": "reference",
        "third": "contract",
        "fourth": "contract",
    }
    assert document["levels"] == {
        "contract": {"cases": 3, "divergences": 0, "unrecorded": 0, "failures": 0},
        "reference": {"cases": 1, "divergences": 1, "unrecorded": 1, "failures": 1},
    }
    line = "diverging cases: 0 contract, 1 reference; failing cases: 0 contract, 1 reference"
    assert document["levels_line"] == line
    # Built-in targets are judged on all levels: the reference case's divergence still fails the run.
    assert document["ok"] is False and document["summary"]["failures"] == 1
    summary = (out / "summary.txt").read_text(encoding="utf-8").splitlines()
    assert line in summary and summary.index(line) < len(summary) - 2  # before the page and the closing line
    markdown = (out / "parity.md").read_text(encoding="utf-8")
    assert (
        "| level | cases and scenarios | diverging | with residual differences | failing |\n|---|---|---|---|---|\n"
        "| contract | 3 | 0 | 0 | 0 |\n| reference | 1 | 1 | 1 | 1 |\n"
    ) in markdown
    packed = json.loads((out / "parity.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(report_schema())
    validator.validate(packed)
    # A case without its level, a level that is not one, or the counts of only one level is not the report.
    del packed["cases"][0]["level"]
    assert not validator.is_valid(packed)
    packed["cases"][0]["level"] = "both"
    assert not validator.is_valid(packed)
    packed["cases"][0]["level"] = "contract"
    del packed["levels"]["reference"]
    assert not validator.is_valid(packed)
