"""Each deliberately broken saver (tests/broken_savers.py) is caught by `run` and by `parity`; the control is not.

A broken saver is judged with py-memory's known-divergence list, as if it
replaced py-memory: the list is strict (spec/README.md 6.2), so the saver
fails where its bug adds a mark, also in a case the list already names. In
`parity` it is an extra driver of the memory family, and its bug shows as a
residual difference beside the reference targets.
"""

from __future__ import annotations

import json
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

import pytest

from checkpoint_spec.cli import main
from checkpoint_spec.loading import load_spec

from . import broken_savers
from .conftest import REPO, SPEC

PYTHON_DIR = REPO / "python"
REFERENCES = ("py-memory", "js-memory")
NEED_JS = pytest.mark.skipif(
    not (REPO / "js" / "dist" / "cli.js").is_file(),
    reason="js/dist is not built; `python3 noxw -s parity` builds it (or `npm ci && npm run build` in js/)",
)


class Caught(NamedTuple):
    name: str  # the factory in tests/broken_savers.py
    case: str  # a case the bug makes fail
    step: int  # its first failing step
    at: str  # where `run` reports the mismatch (the first place of that step)
    differs: str | None  # where `parity` shows the residual difference; None: the case leaves the value open


CAUGHT = [
    Caught("oldest_first", "list-newest-first", 3, *["/0/config/configurable/checkpoint_id"] * 2),
    Caught("insertion_order", "list-order-by-id-not-insertion", 3, *["/0/config/configurable/checkpoint_id"] * 2),
    Caught("filter_first_key_only", "list-filter-several-keys", 3, *["/0/config/configurable/checkpoint_id"] * 2),
    Caught("filter_null_needs_key", "list-filter-null-value-absent-key", 2, "/0", "/0"),
    Caught("filter_compares_text", "list-filter-type-sensitive", 3, "/0", "/0"),
    Caught("before_inclusive", "list-before-strictly-older", 3, *["/0/config/configurable/checkpoint_id"] * 2),
    Caught("limit_off_by_one", "list-limit-one", 3, "/1", "/1"),
    Caught("limit_zero_unlimited", "list-limit-zero", 3, "/0", "/0"),
    Caught("limit_per_namespace", "list-limit-across-namespaces", 3, "/1", "/1"),
    Caught("root_namespace_lists_all", "list-namespace-filter", 3, "/1", "/1"),
    Caught("nested_namespace_collides", "isolation-nested-namespaces", 1, *["/configurable/checkpoint_ns"] * 2),
    Caught("writes_ignore_namespace", "isolation-writes-per-namespace", 4, "/pending_writes/1", "/pending_writes/1"),
    Caught(
        "parent_drops_namespace", "get-tuple-parent-config-shape", 2, *["/parent_config/configurable/checkpoint_ns"] * 2
    ),
    Caught("parent_is_latest", "get-tuple-latest-without-id", 3, "/parent_config", "/parent_config"),
    Caught("parent_kept_on_overwrite", "put-same-id-replaces-parent", 3, "/parent_config", "/parent_config"),
    Caught("writes_reversed", "put-writes-order-by-task-id", 3, "/pending_writes/0/0", "/pending_writes/0/0"),
    Caught("writes_ignore_task_path", "list-pending-writes-sorted", 4, *["/0/pending_writes/0/0"] * 2),
    Caught("writes_index_as_text", "put-writes-index-order-numeric", 2, "/pending_writes/2/1", "/pending_writes/2/1"),
    Caught("writes_last_wins", "put-writes-same-index-first-wins", 3, "/pending_writes/0/2", "/pending_writes/0/2"),
    Caught("special_writes_first_wins", "put-writes-error-replaced", 3, "/pending_writes/0/2", "/pending_writes/0/2"),
    Caught(
        "special_writes_by_position",
        "put-writes-special-channel-order",
        2,
        "/pending_writes/0/1",
        "/pending_writes/0/1",
    ),
    Caught("delete_all_threads", "delete-thread-other-threads-untouched", 5, "", ""),
    # run sees a list of the wrong length; parity sees which thread is left in its place.
    Caught("delete_by_prefix", "delete-thread-similar-names-untouched", 5, "", "/0/config/configurable/thread_id"),
    Caught("delete_keeps_writes", "delete-thread-removes-writes", 5, "/pending_writes/0", "/pending_writes/0"),
    Caught("delete_root_namespace_only", "delete-thread-every-namespace", 5, "", ""),
    Caught("metadata_gains_thread_id", "put-stores-metadata", 1, "/metadata/thread_id", "/metadata/thread_id"),
    Caught("metadata_config_wins", "put-metadata-argument-wins", 1, "/metadata/user_id", "/metadata/user_id"),
    # Versions are generated: the cases pin them by $regex and $gt only, values parity never compares.
    Caught("version_unpadded", "next-version-padding-keeps-order", 1, "", None),
    Caught("version_integer_kept", "next-version-from-integer", 0, "", None),
    Caught(
        "migrates_pending_sends",
        "put-old-format-child-not-migrated",
        3,
        *["/checkpoint/channel_values/__pregel_tasks"] * 2,
    ),
    Caught("upgrades_format_version", "put-keeps-old-format-version", 1, "/v", "/v"),
]


def target(name: str) -> str:
    return f"tests.broken_savers:{name}"


def write_known(path: Path, name: str) -> Path:
    """py-memory's list, for the target that stands in for py-memory (a list names the target it is for)."""
    document = json.loads((SPEC / "known-divergences" / "py-memory.json").read_text(encoding="utf-8"))
    document["target"] = target(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def run(capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str) -> tuple[int, str, dict[str, Any]]:
    known = write_known(tmp_path / "known.json", name)
    report = tmp_path / "report.json"
    code = main(["run", "--target", target(name), "--level", "all", "--known", str(known), "--json", str(report)])
    out, _ = capsys.readouterr()
    return code, out, json.loads(report.read_text(encoding="utf-8"))


@pytest.fixture
def in_python_dir(monkeypatch: pytest.MonkeyPatch) -> None:
    # A module:factory target is imported from the working folder, where tests/ is a package.
    monkeypatch.chdir(PYTHON_DIR)


def test_every_broken_saver_has_an_expectation() -> None:
    assert sorted(row.name for row in CAUGHT) == sorted(broken_savers.BROKEN)
    assert len(CAUGHT) >= 20


@pytest.mark.usefixtures("in_python_dir")
@pytest.mark.parametrize("row", CAUGHT, ids=[row.name for row in CAUGHT])
def test_run_catches_the_broken_saver(capsys: pytest.CaptureFixture[str], tmp_path: Path, row: Caught) -> None:
    code, out, report = run(capsys, tmp_path, row.name)
    assert code == 1
    lines = [line for line in out.splitlines() if line.startswith(f"FAIL {row.case} (")]
    assert len(lines) == 1, out[-2000:]
    assert f": step {row.step} " in lines[0] and f": result at {row.at or '/'}: " in lines[0], lines[0]
    found = next(case for case in report["cases"] if case["id"] == row.case)
    assert found["verdict"] == "failed"
    assert any(mark["step"] == row.step and mark["at"] == row.at for mark in found["fingerprint"])


@pytest.mark.usefixtures("in_python_dir")
def test_run_passes_the_wrapper_without_a_bug(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, report = run(capsys, tmp_path, "clean")
    assert code == 0, out[-2000:]
    # Exactly py-memory's result: its one known divergence, the unsupported extended operations skipped.
    assert out.splitlines()[-1] == f"{len(load_spec(SPEC).cases) - 15} passed, 0 failed, 15 skipped"
    assert [case["id"] for case in report["cases"] if case["verdict"] == "known"] == ["next-version-counter-overflow"]


# -- parity ----------------------------------------------------------------


def spec_with_lists(root: Path, names: list[str]) -> Path:
    """A copy of the spec where each broken target is judged by py-memory's list, as py-memory is."""
    shutil.copytree(SPEC, root)
    for name in names:
        write_known(root / "known-divergences" / f"{target(name)}.json", name)
    return root


def driver(name: str) -> list[str]:
    # A driver's name must be the target it serves (the start handshake checks it); its folder is the
    # checkout root, so PYTHONPATH lets it import tests.broken_savers.
    command = ["env", f"PYTHONPATH={PYTHON_DIR}", sys.executable, "-m", "checkpoint_spec", "driver"]
    return ["--driver", f"{target(name)}@memory={shlex.join([*command, '--target', target(name)])}"]


class Parity(NamedTuple):
    code: int
    out: str
    document: dict[str, Any]


def parity(spec: Path, out: Path, *argv: str) -> Parity:
    command = [sys.executable, "-m", "checkpoint_spec", "parity", "--spec", str(spec), "--out", str(out)]
    command += ["--targets", ",".join(REFERENCES), "--interop", "none", *argv]
    done = subprocess.run(command, cwd=PYTHON_DIR, capture_output=True, text=True, timeout=300, check=False)
    report = out / "parity.json"
    document = json.loads(report.read_text(encoding="utf-8")) if report.exists() else {}
    return Parity(done.returncode, done.stdout + done.stderr, document)


@pytest.fixture(scope="module")
def broken_parity(tmp_path_factory: pytest.TempPathFactory) -> Parity:
    """One parity run for all broken savers, each its own target, on the cases the table names only."""
    base = tmp_path_factory.mktemp("broken-parity")
    spec = spec_with_lists(base / "spec", [row.name for row in CAUGHT])
    drivers = [arg for row in CAUGHT for arg in driver(row.name)]
    cases = [arg for case in dict.fromkeys(row.case for row in CAUGHT) for arg in ("--case", case)]
    return parity(spec, base / "out", *drivers, *cases)


def residual(document: dict[str, Any], case_id: str) -> Iterator[dict[str, Any]]:
    case = next(case for case in document["cases"] if case["id"] == case_id)
    yield from (difference for difference in case["differences"] if not difference["recorded"])


@NEED_JS
@pytest.mark.parametrize("row", CAUGHT, ids=[row.name for row in CAUGHT])
def test_parity_catches_the_broken_saver(broken_parity: Parity, row: Caught) -> None:
    assert broken_parity.code == 1, broken_parity.out[-2000:]
    name = target(row.name)
    document = broken_parity.document
    found = next(case for case in document["cases"] if case["id"] == row.case)
    # Judged by py-memory's list, it fails the case against the spec as well.
    assert found["targets"][name]["verdict"] == "failed"
    assert any(line.startswith(f"FAIL {row.case} [{name}] step {row.step} ") for line in broken_parity.out.splitlines())
    if row.differs is None:
        return
    places = {
        (difference["step"], difference["pointer"])
        for difference in residual(document, row.case)
        if name in difference["targets"] and set(REFERENCES) & set(difference["targets"])
    }
    assert (row.step, row.differs) in places, sorted(places)
    assert found["parity"] == "unrecorded"
    assert any(line.startswith("DIVERGE [") and name in line for line in broken_parity.out.splitlines())


@NEED_JS
def test_parity_passes_the_wrapper_without_a_bug(tmp_path: Path) -> None:
    spec = spec_with_lists(tmp_path / "spec", ["clean"])
    found = parity(spec, tmp_path / "out", *driver("clean"))
    assert found.code == 0, found.out[-3000:]
    name = target("clean")
    for case in found.document["cases"]:
        assert case["targets"][name]["verdict"] in ("passed", "known", "skipped"), case["id"]
        assert not any(name in d["targets"] and not d["recorded"] for d in case["differences"]), case["id"]
