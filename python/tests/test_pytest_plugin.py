"""The pytest plugin turns each case on each target into one test named by the case id."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import case_file, entry, put_step

GOOD = {"id": "good", "title": "t", "steps": [put_step(expect={"result": {"$type": "object"}})]}
BAD = {"id": "bad", "title": "t", "steps": [put_step(expect={"result": None})]}
NEEDS_PRUNE = {
    "id": "needs-prune",
    "title": "t",
    "requires": ["prune"],
    "steps": [{"op": "prune", "args": {"thread_ids": []}}],
}


def test_cases_become_tests(pytester: pytest.Pytester, make_spec: Callable[..., Path]) -> None:
    root = make_spec(
        {"a.json": case_file(GOOD, BAD, NEEDS_PRUNE)},
        known={"py-memory": {"bad": entry("It differs.", (0, "", "type"))}},
    )
    result = pytester.runpytest_inprocess(
        "-p", "no:cacheprovider", "-rs", "-v", "--checkpoint-spec-target", "py-memory", "--checkpoint-spec", str(root)
    )
    result.assert_outcomes(passed=2, skipped=1)
    result.stdout.fnmatch_lines(
        ["*good?py-memory? PASSED*", "*bad?py-memory? PASSED*", "*target py-memory does not support prune*"]
    )


def test_listed_case_failing_elsewhere_fails(pytester: pytest.Pytester, make_spec: Callable[..., Path]) -> None:
    root = make_spec({"a.json": case_file(BAD)}, known={"py-memory": {"bad": entry("It differs.", (0, "/x", "value"))}})
    result = pytester.runpytest_inprocess(
        "-p", "no:cacheprovider", "--checkpoint-spec-target", "py-memory", "--checkpoint-spec", str(root)
    )
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        ["*listed as a known divergence, but it fails where the list does not say: step 0 at /: type*"]
    )


def test_unlisted_failure_fails_with_the_step(pytester: pytest.Pytester, make_spec: Callable[..., Path]) -> None:
    root = make_spec({"a.json": case_file(GOOD, BAD)})
    result = pytester.runpytest_inprocess(
        "-p", "no:cacheprovider", "--checkpoint-spec-target", "py-memory-async", "--checkpoint-spec", str(root)
    )
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*FAIL bad (*step 0 put: result at /: expected null*"])


def test_invalid_spec_is_a_usage_error(pytester: pytest.Pytester, make_spec: Callable[..., Path]) -> None:
    root = make_spec({"a.json": "not json"})
    result = pytester.runpytest_inprocess("--checkpoint-spec-target", "py-memory", "--checkpoint-spec", str(root))
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*a.json: not JSON*"])


def test_bad_target_is_a_usage_error(pytester: pytest.Pytester, make_spec: Callable[..., Path]) -> None:
    root = make_spec({"a.json": case_file(GOOD)})
    result = pytester.runpytest_inprocess("--checkpoint-spec-target", "no-such-target", "--checkpoint-spec", str(root))
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*no-such-target*not a built-in target*"])


def test_known_entry_naming_no_case_is_a_usage_error(pytester: pytest.Pytester, make_spec: Callable[..., Path]) -> None:
    root = make_spec({"a.json": case_file(GOOD)}, known={"py-memory": {"ghost": entry("Gone.", (0, "", "value"))}})
    result = pytester.runpytest_inprocess("--checkpoint-spec-target", "py-memory", "--checkpoint-spec", str(root))
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
        "-p", "no:cacheprovider", "--checkpoint-spec-target", target, "--checkpoint-spec", str(root)
    )
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines(["*ERROR good-2 (*): making the saver raised OSError: (no message)*"])
