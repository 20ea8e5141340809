"""Deliberately broken savers, each a reference saver with one bug, are caught by `run` and by `parity`.

Every broken saver is a wrapper built in the tests (tests/broken_savers.py for
InMemorySaver, js/src/test/broken-savers.ts for MemorySaver), never a patch to
an installed package. Judged with its reference target's known-divergence
list, a broken saver fails `run` where it adds a difference, also in cases the
list already names; put into the memory family as an extra driver, `parity`
reports that difference as residual. The wrapper without a bug passes both.
"""

from __future__ import annotations

import json
import shlex
import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from checkpoint_spec.divergences import judge, known_path, load_known
from checkpoint_spec.execution import run_case
from checkpoint_spec.loading import load_spec
from checkpoint_spec.targets import make_target

from .conftest import REPO, SPEC
from .parity_support import parity

PYTHON_DIR = REPO / "python"
JS_BROKEN = REPO / "js" / "dist" / "test" / "broken-savers.js"
NEED_JS = pytest.mark.skipif(
    not JS_BROKEN.is_file(), reason="js/dist is not built; `python3 noxw -s parity` builds it (npm ci, npm run build)"
)

# (factory in tests/broken_savers.py, a case it fails, and the first mark that is new against py-memory's list)
PYTHON_BROKEN = [
    ("before_inclusive", "list-before-strictly-older", 3, "/0/config/configurable/checkpoint_id", "value"),
    ("delete_all_threads", "delete-thread-other-threads-untouched", 5, "", "type"),
    ("delete_by_prefix", "delete-thread-similar-names-untouched", 5, "", "value"),
    ("delete_keeps_writes", "delete-thread-removes-writes", 5, "/pending_writes/0", "extra"),
    ("delete_root_namespace_only", "delete-thread-every-namespace", 5, "", "type"),
    ("filter_compares_text", "list-filter-type-sensitive", 3, "/0", "extra"),
    ("filter_first_key_only", "list-filter-several-keys", 3, "/0/config/configurable/checkpoint_id", "value"),
    ("filter_null_needs_key", "list-filter-null-value-absent-key", 2, "/0", "missing"),
    ("insertion_order", "list-order-by-id-not-insertion", 3, "/0/config/configurable/checkpoint_id", "value"),
    ("limit_off_by_one", "list-limit-one", 3, "/1", "extra"),
    ("limit_per_namespace", "list-limit-across-namespaces", 3, "/1", "extra"),
    ("limit_zero_unlimited", "list-limit-zero", 3, "/0", "extra"),
    ("metadata_config_wins", "put-metadata-argument-wins", 1, "/metadata/user_id", "value"),
    ("metadata_gains_thread_id", "delete-thread-put-again", 5, "/metadata/thread_id", "extra"),
    (
        "migrates_pending_sends",
        "put-old-format-child-not-migrated",
        3,
        "/checkpoint/channel_values/__pregel_tasks",
        "extra",
    ),
    ("nested_namespace_collides", "delete-thread-every-namespace", 2, "/configurable/checkpoint_ns", "value"),
    ("oldest_first", "isolation-threads-checkpoints", 6, "/0/config/configurable/checkpoint_id", "value"),
    (
        "parent_drops_namespace",
        "get-tuple-parent-config-shape",
        2,
        "/parent_config/configurable/checkpoint_ns",
        "missing",
    ),
    ("parent_is_latest", "get-tuple-latest-without-id", 3, "/parent_config", "type"),
    ("parent_kept_on_overwrite", "put-same-id-replaces-parent", 3, "/parent_config", "type"),
    ("root_namespace_lists_all", "isolation-root-and-child-namespace", 4, "/1", "extra"),
    ("special_writes_by_position", "put-writes-special-channel-order", 2, "/pending_writes/0/1", "value"),
    ("special_writes_first_wins", "put-writes-error-replaced", 3, "/pending_writes/0/2", "value"),
    ("upgrades_format_version", "put-keeps-old-format-version", 1, "/v", "value"),
    ("version_integer_kept", "next-version-from-integer", 0, "", "value"),
    ("version_unpadded", "next-version-format", 0, "", "value"),
    ("writes_ignore_namespace", "delta-history-namespace-scoped", 6, "/ch/writes/0/2", "value"),
    ("writes_ignore_task_path", "delta-history-writes-order", 6, "/ch/writes/0/0", "value"),
    ("writes_index_as_text", "put-writes-index-order-numeric", 2, "/pending_writes/10/1", "value"),
    ("writes_last_wins", "put-writes-same-index-first-wins", 3, "/pending_writes/0/2", "value"),
    ("writes_reversed", "delta-history-writes-order", 6, "/ch/writes/0/0", "value"),
]
# (export of js/dist/test/broken-savers.js, a case js-memory's list already names that the bug makes fail elsewhere)
JS_BROKEN_LISTED = [
    ("listDropsLast", "list-returns-stored-checkpoint"),
    ("listIgnoresFilter", "list-filter-null-value-absent-key"),
    ("listNoLimitYieldsNothing", "list-returns-stored-checkpoint"),
    ("listSkipsNewest", "list-returns-stored-checkpoint"),
    ("namespaceIgnored", "identifiers-checkpoint-ns-proto"),
    ("putConfigWithoutNamespace", "put-returns-stored-config"),
    ("parentConfigWithoutNamespace", "put-old-format-child-not-migrated"),
    ("writesDropLast", "put-writes-typed-values"),
    ("writeFieldsSwapped", "put-writes-typed-values"),
    ("deleteThreadReturnsRemoved", "delete-thread-removes-channel-values"),
    ("metadataExtraKey", "put-metadata-from-configurable"),
    ("versionsNotIncreasing", "next-version-from-previous-version"),
    ("listReversed", "list-thread-filter"),
]


def python_target(name: str) -> str:
    return f"tests.broken_savers:{name}"


def js_target(name: str) -> str:
    return f"./js/dist/test/broken-savers.js:{name}"


@pytest.fixture(scope="module")
def reference_spec() -> Any:
    return load_spec(SPEC)


@pytest.fixture
def in_python_dir(monkeypatch: pytest.MonkeyPatch) -> None:
    # module:factory targets import from the working folder, where tests/ is a package.
    monkeypatch.chdir(PYTHON_DIR)
    monkeypatch.syspath_prepend(str(PYTHON_DIR))


@pytest.mark.parametrize(("name", "case_id", "step", "at", "kind"), PYTHON_BROKEN, ids=[r[0] for r in PYTHON_BROKEN])
@pytest.mark.usefixtures("in_python_dir")
def test_run_catches_each_broken_python_saver(
    reference_spec: Any, name: str, case_id: str, step: int, at: str, kind: str
) -> None:
    known = load_known(known_path(reference_spec, "py-memory"), "py-memory", reference_spec)
    target = make_target(python_target(name))
    judged = {
        item.result.case.id: item
        for item in judge((run_case(c, target, reference_spec) for c in reference_spec.cases), known)
    }
    failing = {case for case, item in judged.items() if not item.ok}
    assert case_id in failing
    found = judged[case_id]
    marks = found.new_marks or tuple(sorted(found.result.fingerprint))
    assert (marks[0].step, marks[0].at, marks[0].kind) == (step, at, kind)


@pytest.mark.usefixtures("in_python_dir")
def test_the_python_wrapper_without_a_bug_passes_the_run(reference_spec: Any) -> None:
    known = load_known(known_path(reference_spec, "py-memory"), "py-memory", reference_spec)
    target = make_target(python_target("clean"))
    judged = judge((run_case(c, target, reference_spec) for c in reference_spec.cases), known)
    assert [item.result.case.id for item in judged if not item.ok] == []
    assert sum(1 for item in judged if item.verdict == "known") == 1


def spec_with_lists(tmp_path: Path, targets: dict[str, str]) -> Path:
    """The spec, with each extra target judged by its reference target's known-divergence list."""
    root = tmp_path / "spec"
    shutil.copytree(SPEC, root)
    for target, reference in targets.items():
        document = json.loads((SPEC / "known-divergences" / f"{reference}.json").read_text())
        document["target"] = target
        (root / "known-divergences" / f"{target}.json").write_text(json.dumps(document))
    return root


def python_driver(name: str) -> str:
    target = python_target(name)
    command = ["env", f"PYTHONPATH={PYTHON_DIR}", sys.executable, "-m", "checkpoint_spec", "driver", "--target", target]
    return f"{target}@memory={shlex.join(command)}"


def js_driver(name: str) -> str:
    target = js_target(name)
    command = ["node", str(REPO / "js" / "dist" / "cli.js"), "driver", "--target", target]
    return f"{target}@memory={shlex.join(command)}"


def residual(document: dict[str, Any], target: str) -> Iterator[tuple[str, dict[str, Any]]]:
    for case in document["cases"]:
        for difference in case["differences"]:
            if not difference["recorded"] and target in difference["targets"]:
                yield case["id"], difference


def spec_ok(document: dict[str, Any], target: str) -> bool:
    return all(case["targets"][target]["verdict"] in ("passed", "known", "skipped") for case in document["cases"])


@NEED_JS
def test_parity_catches_every_broken_saver_as_residual_and_passes_the_wrappers_without_a_bug(
    make_spec: Callable[..., Path], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    python_names = ["clean", *(row[0] for row in PYTHON_BROKEN)]
    js_names = ["noBug", *(row[0] for row in JS_BROKEN_LISTED)]
    # A JS module:factory target is named by its path, which cannot name a list file: the JS wrappers are
    # judged by js-memory's list in the node tests, and here by their differences alone.
    spec = spec_with_lists(tmp_path, {python_target(n): "py-memory" for n in python_names})
    drivers = [arg for n in python_names for arg in ("--driver", python_driver(n))]
    drivers += [arg for n in js_names for arg in ("--driver", js_driver(n))]
    code, lines, _, document = parity(capsys, spec, tmp_path / "out", "--targets", "py-memory,js-memory", *drivers)
    assert code == 1
    # Each is caught beside a reference target. Where its bug lies in a value the case leaves open ($regex,
    # $type, ...), parity does not compare it and the run above catches it; it still differs somewhere else.
    references = {"py-memory", "js-memory"}
    missed: list[str] = []
    for target in [python_target(row[0]) for row in PYTHON_BROKEN] + [js_target(row[0]) for row in JS_BROKEN_LISTED]:
        if not [d for _, d in residual(document, target) if references & set(d["targets"])]:
            missed.append(target)
    # Versions are generated: the cases fix them only by $regex and $gt, so parity leaves them to the run.
    assert missed == [python_target("version_integer_kept"), python_target("version_unpadded")]
    assert list(residual(document, python_target("clean"))) == [] and spec_ok(document, python_target("clean"))
    assert list(residual(document, js_target("noBug"))) == []
    assert any(line.startswith("DIVERGE [py-memory | tests.broken_savers:oldest_first] list ") for line in lines)

    # On its own beside the reference targets, the Python wrapper without a bug passes the whole parity run.
    clean_only = ["--driver", python_driver("clean")]
    code, lines, _, _ = parity(capsys, spec, tmp_path / "clean", "--targets", "py-memory,js-memory", *clean_only)
    assert code == 0, lines[-5:]
