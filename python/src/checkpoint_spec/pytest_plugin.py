"""pytest plugin: every spec case and scenario on every chosen target is one pytest test.

    pytest --checkpoint-spec-target py-memory [--checkpoint-spec-target ...] [--checkpoint-spec DIR]
           [--checkpoint-spec-known FILE ...] [--checkpoint-spec-async] [--checkpoint-spec-level LEVEL]

The session gets one collector, `checkpoint-spec`, holding one collector per target, each holding one item
per case, so the test ids read `checkpoint-spec::TARGET::CASE_ID` and `pytest --collect-only` lists them. A
listed known divergence passes while the case still fails as listed and fails once it passes (strict); an
unsupported case is skipped with the reason. A case of a level the target is not judged on (spec/README.md
6.4: all for a built-in target, the contract for module.path:factory, unless --checkpoint-spec-level says)
is deselected, as `-k` deselects, so the counts say how many. An invalid spec, a target that cannot be made, and a
known-divergence file that is invalid, names a case that does not exist or a target not chosen, and a
level that is not one stop the session as usage errors, before anything is collected.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from .divergences import KnownDivergences, judge, known_path, load_known
from .errors import SpecError, TargetError, exception_text
from .execution import run_case
from .levels import Judging, is_judged, parse_level
from .loading import Case, InvalidSpec, Spec, load_spec, read_valid
from .report import failure_lines
from .roots import SPEC_HELP, default_spec_root
from .targets import BUILTIN, Target, make_target

ROOT_NAME = "checkpoint-spec"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("checkpoint-spec")
    group.addoption(
        "--checkpoint-spec-target",
        action="append",
        default=[],
        metavar="TARGET",
        help=f"run the checkpoint spec on this target (repeatable): built-in ({', '.join(BUILTIN)}) "
        "or module.path:factory",
    )
    group.addoption("--checkpoint-spec", type=Path, default=None, metavar="DIR", help=SPEC_HELP)
    group.addoption(
        "--checkpoint-spec-known",
        action="append",
        type=Path,
        default=[],
        metavar="FILE",
        help="known-divergence file for the target its `target` names (repeatable; "
        "default: the spec's known-divergences/TARGET.json)",
    )
    group.addoption(
        "--checkpoint-spec-async",
        action="store_true",
        help="drive the async API of the module.path:factory targets (a built-in target's name says its API)",
    )
    group.addoption(
        "--checkpoint-spec-level",
        default=None,
        metavar="LEVEL",
        help="collect the contract, reference or all cases; the others are deselected "
        "(default: all for a built-in target, contract for module.path:factory)",
    )


@dataclass(frozen=True)
class Chosen:
    """What the options chose, made and checked once at the session's start."""

    spec: Spec
    targets: tuple[tuple[Target, KnownDivergences, Judging], ...]


CHOSEN = pytest.StashKey[Chosen]()


def pytest_sessionstart(session: pytest.Session) -> None:
    config = session.config
    names: list[str] = list(dict.fromkeys(config.getoption("--checkpoint-spec-target")))
    if not names:
        return
    root: Path = config.getoption("--checkpoint-spec") or default_spec_root()
    level: str | None = config.getoption("--checkpoint-spec-level")
    try:
        parse_level(level, builtin=False, option="--checkpoint-spec-level")
        spec = load_spec(root)
        targets = _make_targets(names, use_async=config.getoption("--checkpoint-spec-async"))
        files = _known_files(config.getoption("--checkpoint-spec-known"), spec, [target.name for target in targets])
        chosen = tuple(
            (
                target,
                load_known(files.get(target.name) or known_path(spec, target.name), target.name, spec),
                parse_level(level, builtin=target.name in BUILTIN, option="--checkpoint-spec-level"),
            )
            for target in targets
        )
    except InvalidSpec as exc:
        raise pytest.UsageError(f"invalid spec:\n{exc}") from None
    except (SpecError, TargetError) as exc:
        raise pytest.UsageError(str(exc)) from None
    config.stash[CHOSEN] = Chosen(spec, chosen)


def _make_targets(names: list[str], *, use_async: bool) -> list[Target]:
    if use_async and all(name in BUILTIN for name in names):
        raise TargetError(
            "--checkpoint-spec-async applies to module.path:factory targets, and every target given is built in "
            f"({', '.join(names)}; a built-in target's name says its API: "
            f"{', '.join(name for name in BUILTIN if name.endswith('-async'))})"
        )
    targets = [make_target(name, "async" if use_async and name not in BUILTIN else "sync") for name in names]
    for target in targets:
        # Collecting is set-up: a factory whose first call fails is refused at once (the command line
        # errors every case instead, spec/README.md section 6).
        failure = getattr(target, "failure", None)
        if failure is not None:
            why = exception_text(failure)
            raise TargetError(f"--checkpoint-spec-target {target.name}: making the saver raised {why}")
    return targets


def _known_files(paths: list[Path], spec: Spec, targets: list[str]) -> dict[str, Path]:
    """Each --checkpoint-spec-known file by the target it lists, which must be one of this session's."""
    files: dict[str, Path] = {}
    for path in paths:
        if not path.is_file():
            raise SpecError("--checkpoint-spec-known", f"{path}: no such file")
        target = read_valid(path, spec.root / "schema" / "known-divergences.schema.json")["target"]
        if target not in targets:
            raise SpecError(
                str(path), f"lists target {target!r}, which is not a target of this session ({', '.join(targets)})"
            )
        if target in files:
            raise SpecError(str(path), f"a second known-divergence file for {target!r} (the first is {files[target]})")
        files[target] = path
    return files


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(collector: pytest.Collector) -> Any:
    """The session's children, and after them the spec's collector when targets were chosen."""
    report = yield
    chosen = collector.config.stash.get(CHOSEN, None)
    if isinstance(collector, pytest.Session) and chosen is not None and report.passed:
        report.result.append(
            SpecCollector.from_parent(collector, name=ROOT_NAME, nodeid=ROOT_NAME, path=chosen.spec.root)
        )
    return report


class SpecCollector(pytest.Collector):
    """`checkpoint-spec`: one TargetCollector per chosen target."""

    def collect(self) -> list[pytest.Item | pytest.Collector]:
        chosen = self.config.stash[CHOSEN]
        return [
            TargetCollector.from_parent(
                self, name=target.name, spec=chosen.spec, target=target, known=known, judging=judging
            )
            for target, known, judging in chosen.targets
        ]


class TargetCollector(pytest.Collector):
    """`checkpoint-spec::TARGET`: one CaseItem per case and scenario of the spec, in the spec's order."""

    def __init__(self, *, spec: Spec, target: Target, known: KnownDivergences, judging: Judging, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.spec = spec
        self.target = target
        self.known = known
        self.judging = judging

    def collect(self) -> list[pytest.Item | pytest.Collector]:
        return [CaseItem.from_parent(self, name=case.id, case=case) for case in self.spec.cases]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Deselect each case of a level its target is not judged on: in a test runner a case is a test."""
    if CHOSEN not in config.stash:
        return
    kept: list[pytest.Item] = []
    deselected: list[pytest.Item] = []
    for item in items:
        judged = not isinstance(item, CaseItem) or is_judged(item.case.level, item.target_collector.judging)
        (kept if judged else deselected).append(item)
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = kept


class CaseItem(pytest.Item):
    """`checkpoint-spec::TARGET::CASE_ID`: one case on one target, judged against the target's known list."""

    def __init__(self, *, case: Case, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.case = case

    @property
    def target_collector(self) -> TargetCollector:
        parent = self.parent
        assert isinstance(parent, TargetCollector)
        return parent

    def runtest(self) -> None:
        owner = self.target_collector
        result = run_case(self.case, owner.target, owner.spec)
        (judged,) = judge([result], owner.known)
        if judged.verdict == "skipped":
            pytest.skip(result.reason or "unsupported")
        if not judged.ok:
            raise CaseFailed("\n".join(failure_lines(judged)))

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, CaseFailed):
            return str(excinfo.value)
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.case.file, None, f"{self.case.id} on {self.target_collector.target.name}"


class CaseFailed(Exception):
    """A case that did not match the spec nor its known divergence."""
