"""pytest plugin: every spec case on every chosen target is one pytest test.

    pytest --checkpoint-spec-target py-memory [--checkpoint-spec-target ...] [--checkpoint-spec DIR]

Test ids are `CASE_ID[TARGET]`. A listed known divergence passes while the
case still fails as listed and fails once it passes (strict); an unsupported
case is skipped with the reason. An invalid spec, a target that cannot be
made and a known-divergence file naming a case that does not exist stop the
session as usage errors, before any test runs.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from .divergences import KnownDivergences, judge, known_path, load_known
from .errors import TargetError
from .execution import run_case
from .loading import Case, InvalidSpec, Spec, load_spec
from .report import failure_lines
from .roots import default_spec_root
from .targets import Target, make_target


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("checkpoint-spec")
    group.addoption(
        "--checkpoint-spec-target",
        action="append",
        default=[],
        metavar="TARGET",
        help="run the checkpoint spec on this target (repeatable)",
    )
    group.addoption(
        "--checkpoint-spec",
        type=Path,
        default=None,
        metavar="DIR",
        help="spec folder (default: the repository's spec/)",
    )


@cache
def _spec(root: Path) -> Spec:
    return load_spec(root)


@cache
def _target(name: str) -> Target:
    return make_target(name)


def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    targets: list[str] = config.getoption("--checkpoint-spec-target")
    if not targets:
        return
    root = config.getoption("--checkpoint-spec") or default_spec_root()
    try:
        spec = _spec(Path(root))
        for target in targets:
            _target(target)
            load_known(known_path(spec, target), target, spec)
    except InvalidSpec as exc:
        raise pytest.UsageError(f"invalid spec:\n{exc}") from None
    except TargetError as exc:
        raise pytest.UsageError(str(exc)) from None
    collector = SpecCollector.from_parent(session, name=f"checkpoint-spec[{root}]", spec=spec, targets=targets)
    items.extend(collector.collect_items())


class SpecCollector(pytest.Collector):
    def __init__(self, *, spec: Spec, targets: list[str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.spec = spec
        self.targets = targets

    def collect(self) -> list[pytest.Item | pytest.Collector]:
        return list(self.collect_items())

    def collect_items(self) -> Iterator[pytest.Item]:
        for target in self.targets:
            known = load_known(known_path(self.spec, target), target, self.spec)
            for case in self.spec.cases:
                yield CaseItem.from_parent(self, name=f"{case.id}[{target}]", case=case, target=target, known=known)


class CaseItem(pytest.Item):
    def __init__(self, *, case: Case, target: str, known: KnownDivergences, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.case = case
        self.target_name = target
        self.known = known

    def runtest(self) -> None:
        parent = self.parent
        assert isinstance(parent, SpecCollector)
        result = run_case(self.case, _target(self.target_name), parent.spec)
        (judged,) = judge([result], self.known)
        if judged.verdict == "skipped":
            pytest.skip(result.reason or "unsupported")
        if not judged.ok:
            raise CaseFailed("\n".join(failure_lines(judged)))

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, CaseFailed):
            return str(excinfo.value)
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.case.file, None, f"{self.case.id} on {self.target_name}"


class CaseFailed(Exception):
    """A case that did not match the spec nor its known divergence."""
