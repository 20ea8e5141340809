"""parity.json shares repeated observations through one table of values."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from checkpoint_spec.parity.reports import with_interop
from checkpoint_spec.parity.reports.json_report import DESCRIPTION, pack, render_json, unpack
from checkpoint_spec.parity.reports.values import ValueTable

from .page_support import diverging_document, interop_sample


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
