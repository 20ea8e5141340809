"""The pytest plugin: one collected node per case and target, `checkpoint-spec::TARGET::CASE_ID`."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

import checkpoint_spec
from checkpoint_spec.loading import load_spec
from checkpoint_spec.roots import default_spec_root

from .conftest import case_file, entry, put_step, write_json

GOOD = {"id": "good", "title": "t", "steps": [put_step(expect={"result": {"$type": "object"}})]}
BAD = {"id": "bad", "title": "t", "steps": [put_step(expect={"result": None})]}
NEEDS_PRUNE = {
    "id": "needs-prune",
    "title": "t",
    "requires": ["prune"],
    "steps": [{"op": "prune", "args": {"thread_ids": []}}],
}
# InMemorySaver whose async put is broken; its sync API is InMemorySaver's own.
ASYNC_BROKEN_SAVERS = """
from langgraph.checkpoint.memory import InMemorySaver

class AsyncBroken(InMemorySaver):
    async def aput(self, config, checkpoint, metadata, new_versions):
        raise RuntimeError("aput is broken")

def factory():
    return AsyncBroken()
"""

# A reference case (spec/README.md 1.2) that fails on InMemorySaver: judged, it fails; not judged, it is deselected.
BAD_REFERENCE = {**BAD, "id": "bad-reference", "level": "reference", "reference": "What the reference savers do."}
MEMORY_SAVERS = """
from langgraph.checkpoint.memory import InMemorySaver

def factory():
    return InMemorySaver()
"""


def known_file(path: Path, target: str, divergences: dict[str, object]) -> Path:
    document = {"$schema": "../schema/known-divergences.schema.json", "target": target, "divergences": divergences}
    return write_json(path, document)


def test_collect_only_lists_every_case_of_the_default_spec(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    # In its own process from an empty folder, as a user runs it: the default spec, one node per case.
    # The child imports the sources under test, whatever a relative PYTHONPATH said in this folder.
    sources = str(Path(checkpoint_spec.__file__).resolve().parents[1])
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([sources, *filter(None, [os.environ.get("PYTHONPATH")])]))
    cases = load_spec(default_spec_root()).cases
    result = pytester.runpytest_subprocess(
        "-p", "no:cacheprovider", "--collect-only", "-q", "--checkpoint-spec-target", "py-memory"
    )
    assert result.ret == pytest.ExitCode.OK
    ids = [line for line in result.outlines if line.startswith("checkpoint-spec::")]
    assert ids == [f"checkpoint-spec::py-memory::{case.id}" for case in cases]
    assert len(ids) == len({case.id for case in cases}) > 0
    result.stdout.fnmatch_lines([f"{len(cases)} tests collected in *"])
    result.stdout.no_fnmatch_line("*no tests collected*")


def test_collect_only_has_one_collector_per_target(pytester: pytest.Pytester, make_spec: Callable[..., Path]) -> None:
    root = make_spec({"a.json": case_file(GOOD, BAD)})
    result = pytester.runpytest_inprocess(
        "-p", "no:cacheprovider", "--collect-only", f"--checkpoint-spec={root}",
        "--checkpoint-spec-target", "py-memory", "--checkpoint-spec-target", "py-memory-async",
        "--checkpoint-spec-target", "py-memory",
    )  # fmt: skip
    assert result.ret == pytest.ExitCode.OK
    result.stdout.fnmatch_lines(
        [
            "<SpecCollector checkpoint-spec>",
            "  <TargetCollector py-memory>",
            "    <CaseItem good>",
            "    <CaseItem bad>",
            "  <TargetCollector py-memory-async>",
            "    <CaseItem good>",
            "    <CaseItem bad>",
            "*4 tests collected*",
        ]
    )


def test_cases_become_tests(pytester: pytest.Pytester, make_spec: Callable[..., Path]) -> None:
    root = make_spec(
        {"a.json": case_file(GOOD, BAD, NEEDS_PRUNE)},
        known={"py-memory": {"bad": entry("It differs.", (0, "", "type"))}},
    )
    result = pytester.runpytest_inprocess(
        "-p", "no:cacheprovider", "-rs", "-v", "--checkpoint-spec-target", "py-memory", f"--checkpoint-spec={root}"
    )
    result.assert_outcomes(passed=2, skipped=1)
    result.stdout.fnmatch_lines(
        [
            "checkpoint-spec::py-memory::good PASSED*",
            "checkpoint-spec::py-memory::bad PASSED*",
            "checkpoint-spec::py-memory::needs-prune SKIPPED*",
            "*target py-memory does not support prune*",
        ]
    )


def test_keyword_selects_cases(pytester: pytest.Pytester, make_spec: Callable[..., Path]) -> None:
    root = make_spec({"a.json": case_file(GOOD, BAD)})
    result = pytester.runpytest_inprocess(
        "-p", "no:cacheprovider", "-k", "good", "--checkpoint-spec-target", "py-memory", f"--checkpoint-spec={root}"
    )
    result.assert_outcomes(passed=1, deselected=1)


def test_listed_case_failing_elsewhere_fails(pytester: pytest.Pytester, make_spec: Callable[..., Path]) -> None:
    root = make_spec({"a.json": case_file(BAD)}, known={"py-memory": {"bad": entry("It differs.", (0, "/x", "value"))}})
    result = pytester.runpytest_inprocess(
        "-p", "no:cacheprovider", "--checkpoint-spec-target", "py-memory", f"--checkpoint-spec={root}"
    )
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        ["*listed as a known divergence, but it fails where the list does not say: step 0 at /: type*"]
    )


def test_unlisted_failure_fails_with_the_step(pytester: pytest.Pytester, make_spec: Callable[..., Path]) -> None:
    root = make_spec({"a.json": case_file(GOOD, BAD)})
    result = pytester.runpytest_inprocess(
        "-p", "no:cacheprovider", "--checkpoint-spec-target", "py-memory-async", f"--checkpoint-spec={root}"
    )
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(
        ["*FAIL bad (*step 0 put: result at /: expected null*", "FAILED checkpoint-spec::py-memory-async::bad*"]
    )


def test_async_option_drives_the_savers_async_api(pytester: pytest.Pytester, make_spec: Callable[..., Path]) -> None:
    root = make_spec({"a.json": case_file(GOOD)})
    pytester.makepyfile(plugin_async_broken=ASYNC_BROKEN_SAVERS)
    target = "plugin_async_broken:factory"
    common = ("-p", "no:cacheprovider", "--checkpoint-spec-target", target, f"--checkpoint-spec={root}")
    pytester.runpytest_inprocess(*common).assert_outcomes(passed=1)
    # A built-in target beside it keeps the API its name says.
    result = pytester.runpytest_inprocess(
        *common, "--checkpoint-spec-target", "py-memory", "--checkpoint-spec-async", "-v"
    )
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(
        [
            f"checkpoint-spec::{target}@async::good FAILED*",
            "checkpoint-spec::py-memory::good PASSED*",
            "*FAIL good (*step 0 put: raised other (RuntimeError: aput is broken)*",
        ]
    )


def test_async_option_with_builtin_targets_only_is_a_usage_error(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest_inprocess("--checkpoint-spec-target", "py-memory", "--checkpoint-spec-async")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        [
            "*--checkpoint-spec-async applies to module.path:factory targets, and every target given is built in "
            "(py-memory; a built-in target's name says its API: py-memory-async, *)"
        ]
    )


def test_known_option_lists_a_users_divergences(pytester: pytest.Pytester, make_spec: Callable[..., Path]) -> None:
    root = make_spec({"a.json": case_file(GOOD, BAD)})
    pytester.makepyfile(plugin_async_broken=ASYNC_BROKEN_SAVERS)
    target = "plugin_async_broken:factory@async"
    mine = known_file(pytester.path / "mine.json", target, {"good": entry("aput raises.", (0, "", "raised:other"))})
    common = ("-p", "no:cacheprovider", "--checkpoint-spec-target", "plugin_async_broken:factory")
    args = (*common, "--checkpoint-spec-async", f"--checkpoint-spec={root}", "-v")
    observed = pytester.runpytest_inprocess(*args)
    observed.assert_outcomes(failed=2)
    observed.stdout.fnmatch_lines(["*FAIL good (*step 0 put*"])
    listed = pytester.runpytest_inprocess(*args, "--checkpoint-spec-known", str(mine))
    # good fails as listed; bad fails unlisted, as before.
    listed.assert_outcomes(passed=1, failed=1)
    listed.stdout.fnmatch_lines([f"checkpoint-spec::{target}::good PASSED*", f"checkpoint-spec::{target}::bad FAILED*"])


def test_known_option_for_a_target_not_chosen_is_a_usage_error(
    pytester: pytest.Pytester, make_spec: Callable[..., Path]
) -> None:
    root = make_spec({"a.json": case_file(GOOD)})
    other = known_file(pytester.path / "other.json", "py-sqlite", {})
    result = pytester.runpytest_inprocess(
        "--checkpoint-spec-target", "py-memory", f"--checkpoint-spec={root}", "--checkpoint-spec-known", str(other)
    )
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        ["*other.json: lists target 'py-sqlite', which is not a target of this session (py-memory)"]
    )


def test_known_option_naming_a_missing_file_is_a_usage_error(
    pytester: pytest.Pytester, make_spec: Callable[..., Path]
) -> None:
    root = make_spec({"a.json": case_file(GOOD)})
    args = ("--checkpoint-spec-target", "py-memory", f"--checkpoint-spec={root}")
    result = pytester.runpytest_inprocess(*args, "--checkpoint-spec-known", "nowhere.json")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*--checkpoint-spec-known: nowhere.json: no such file*"])


def test_two_known_files_for_one_target_are_a_usage_error(
    pytester: pytest.Pytester, make_spec: Callable[..., Path]
) -> None:
    root = make_spec({"a.json": case_file(GOOD)})
    first = known_file(pytester.path / "first.json", "py-memory", {})
    second = known_file(pytester.path / "second.json", "py-memory", {})
    args = ("--checkpoint-spec-target", "py-memory", f"--checkpoint-spec={root}")
    result = pytester.runpytest_inprocess(
        *args, "--checkpoint-spec-known", str(first), "--checkpoint-spec-known", str(second)
    )
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        ["*second.json: a second known-divergence file for 'py-memory' (the first is *first.json)"]
    )


def test_invalid_known_file_is_a_usage_error(pytester: pytest.Pytester, make_spec: Callable[..., Path]) -> None:
    root = make_spec({"a.json": case_file(GOOD)})
    broken = pytester.path / "broken.json"
    broken.write_text(json.dumps({"target": "py-memory"}), encoding="utf-8")
    args = ("--checkpoint-spec-target", "py-memory", f"--checkpoint-spec={root}")
    result = pytester.runpytest_inprocess(*args, "--checkpoint-spec-known", str(broken))
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*broken.json#: '$schema' is a required property [[]schema[]]"])


def test_without_a_target_the_plugin_collects_nothing(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_plain="def test_one():\n    assert True\n")
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider", "--collect-only", "-q")
    assert [line for line in result.outlines if "::" in line] == ["test_plain.py::test_one"]


def test_invalid_spec_is_a_usage_error(pytester: pytest.Pytester, make_spec: Callable[..., Path]) -> None:
    root = make_spec({"a.json": "not json"})
    result = pytester.runpytest_inprocess("--checkpoint-spec-target", "py-memory", f"--checkpoint-spec={root}")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*a.json: not JSON*"])


def test_bad_target_is_a_usage_error(pytester: pytest.Pytester, make_spec: Callable[..., Path]) -> None:
    root = make_spec({"a.json": case_file(GOOD)})
    result = pytester.runpytest_inprocess("--checkpoint-spec-target", "no-such-target", f"--checkpoint-spec={root}")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*no-such-target*not a built-in target*"])


def test_a_factory_whose_first_call_fails_is_a_usage_error(
    pytester: pytest.Pytester, make_spec: Callable[..., Path]
) -> None:
    # Collecting is set-up, refused at once; the command line errors every case instead.
    root = make_spec({"a.json": case_file(GOOD)})
    pytester.makepyfile(plugin_failing_savers="def factory():\n    raise RuntimeError('boom')\n")
    target = "plugin_failing_savers:factory"
    result = pytester.runpytest_inprocess("--checkpoint-spec-target", target, f"--checkpoint-spec={root}")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([f"*--checkpoint-spec-target {target}: making the saver raised RuntimeError: boom*"])


def test_known_entry_naming_no_case_is_a_usage_error(pytester: pytest.Pytester, make_spec: Callable[..., Path]) -> None:
    root = make_spec({"a.json": case_file(GOOD)}, known={"py-memory": {"ghost": entry("Gone.", (0, "", "value"))}})
    result = pytester.runpytest_inprocess("--checkpoint-spec-target", "py-memory", f"--checkpoint-spec={root}")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*py-memory.json#/divergences/ghost: names no case in the spec*"])


def test_a_factory_that_raises_fails_its_case_only(pytester: pytest.Pytester, make_spec: Callable[..., Path]) -> None:
    root = make_spec({"a.json": case_file(GOOD, {**GOOD, "id": "good-2"}, {**GOOD, "id": "good-3"})})
    pytester.makepyfile(
        plugin_flaky_savers="""
from langgraph.checkpoint.memory import InMemorySaver
calls = 0
def factory():
    global calls
    calls += 1
    if calls == 3:
        raise OSError()
    return InMemorySaver()
"""
    )
    target = "plugin_flaky_savers:factory"
    result = pytester.runpytest_inprocess(
        "-p", "no:cacheprovider", "--checkpoint-spec-target", target, f"--checkpoint-spec={root}"
    )
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines(["*ERROR good-2 (*): making the saver raised OSError: (no message)*"])


def test_async_option_calls_the_factory_inside_the_event_loop(
    pytester: pytest.Pytester, make_spec: Callable[..., Path]
) -> None:
    """A saver that captures the running loop when made, from a plain factory and from an async context manager."""
    from . import plugin_savers

    root = make_spec({"a.json": case_file(GOOD, {**GOOD, "id": "good-2"})})
    plugin_savers.CONTEXT_EVENTS.clear()
    result = pytester.runpytest_inprocess(
        "-p", "no:cacheprovider", f"--checkpoint-spec={root}", "--checkpoint-spec-async",
        "--checkpoint-spec-target", "tests.plugin_savers:loop_bound",
        "--checkpoint-spec-target", "tests.plugin_savers:async_context",
    )  # fmt: skip
    result.assert_outcomes(passed=4)
    assert plugin_savers.CONTEXT_EVENTS == ["enter", "exit"] * 3, "left after learning the capabilities and each case"


def test_level_defaults_to_all_for_a_builtin_target_and_contract_for_a_factory(
    pytester: pytest.Pytester, make_spec: Callable[..., Path]
) -> None:
    root = make_spec({"a.json": case_file(GOOD, BAD_REFERENCE)})
    pytester.makepyfile(plugin_memory_savers=MEMORY_SAVERS)
    common = ("-p", "no:cacheprovider", f"--checkpoint-spec={root}")
    builtin = pytester.runpytest_inprocess(*common, "--checkpoint-spec-target", "py-memory")
    builtin.assert_outcomes(passed=1, failed=1)
    factory = "plugin_memory_savers:factory"
    users = pytester.runpytest_inprocess(*common, "--checkpoint-spec-target", factory, "-v")
    users.assert_outcomes(passed=1, deselected=1)
    users.stdout.fnmatch_lines([f"checkpoint-spec::{factory}::good PASSED*"])
    users.stdout.no_fnmatch_line("*bad-reference*")
    # Both in one session: each target by its own default; the ids are the same with or without levels.
    both = pytester.runpytest_inprocess(
        *common, "--collect-only", "-q", "--checkpoint-spec-target", "py-memory", "--checkpoint-spec-target", factory
    )
    assert both.ret == pytest.ExitCode.OK
    assert [line for line in both.outlines if line.startswith("checkpoint-spec::")] == [
        "checkpoint-spec::py-memory::good",
        "checkpoint-spec::py-memory::bad-reference",
        f"checkpoint-spec::{factory}::good",
    ]
    both.stdout.fnmatch_lines(["3/4 tests collected (1 deselected) in *"])


@pytest.mark.parametrize(
    ("level", "kept", "outcomes"),
    [
        ("contract", ["good"], {"passed": 1, "deselected": 1}),
        ("reference", ["bad-reference"], {"failed": 1, "deselected": 1}),
        ("all", ["good", "bad-reference"], {"passed": 1, "failed": 1}),
    ],
)
def test_level_option_chooses_the_cases_collected(
    pytester: pytest.Pytester,
    make_spec: Callable[..., Path],
    level: str,
    kept: list[str],
    outcomes: dict[str, int],
) -> None:
    root = make_spec({"a.json": case_file(GOOD, BAD_REFERENCE)})
    pytester.makepyfile(plugin_memory_savers=MEMORY_SAVERS)
    common = ("-p", "no:cacheprovider", f"--checkpoint-spec={root}", f"--checkpoint-spec-level={level}")
    for target in ("py-memory", "plugin_memory_savers:factory"):
        args = (*common, "--checkpoint-spec-target", target)
        listed = pytester.runpytest_inprocess(*args, "--collect-only", "-q")
        assert [line for line in listed.outlines if line.startswith("checkpoint-spec::")] == [
            f"checkpoint-spec::{target}::{case}" for case in kept
        ]
        pytester.runpytest_inprocess(*args).assert_outcomes(**outcomes)


def test_level_option_with_keyword_counts_both_deselections(
    pytester: pytest.Pytester, make_spec: Callable[..., Path]
) -> None:
    root = make_spec({"a.json": case_file(GOOD, {**GOOD, "id": "good-2"}, BAD_REFERENCE)})
    result = pytester.runpytest_inprocess(
        "-p", "no:cacheprovider", f"--checkpoint-spec={root}", "--checkpoint-spec-target", "py-memory",
        "--checkpoint-spec-level", "contract", "-k", "not good-2",
    )  # fmt: skip
    result.assert_outcomes(passed=1, deselected=2)


def test_bad_level_is_a_usage_error(pytester: pytest.Pytester, make_spec: Callable[..., Path]) -> None:
    root = make_spec({"a.json": case_file(GOOD)})
    result = pytester.runpytest_inprocess(
        "--checkpoint-spec-target", "py-memory", f"--checkpoint-spec={root}", "--checkpoint-spec-level", "Contract"
    )
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(['*--checkpoint-spec-level: must be contract, reference or all, not "Contract"'])
    result.stdout.no_fnmatch_line("*collected*")
