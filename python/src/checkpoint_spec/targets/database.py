"""What the SQLite and PostgreSQL targets share: a saver per case whose storage may fail to open."""

from __future__ import annotations

from typing import Any

from ..deadlines import DEFAULT_TIMEOUT, TimedOut
from ..errors import TargetError, exception_text
from ..versions import library_versions, package_versions
from .saver import Api, SaverFactory, SaverSession, SaverTarget


class StorageUnavailable(Exception):
    """The case's storage could not be opened (for example, the database server went away)."""


class UnavailableSession:
    """A session whose saver could not be made: every step raises, so the case fails with the reason."""

    def __init__(self, reason: str) -> None:
        self.reason = reason

    def call(self, op: str, args: dict[str, Any]) -> Any:
        raise StorageUnavailable(self.reason)

    def close(self) -> None:
        return None


class DatabaseTarget:
    """A SaverTarget whose fresh saver per case lives in a database.

    Opening a case's storage can fail once the run is under way (the server
    stops); that case then fails with the reason instead of ending the run.
    """

    language = "python"

    def __init__(
        self,
        name: str,
        factory: SaverFactory,
        api: Api,
        packages: tuple[str, ...],
        describe_failure: Any = None,
        *,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> None:
        self.name = name
        self.api = api
        self.libraries = {**library_versions(), **package_versions(packages)}
        self._describe_failure = describe_failure or exception_text
        try:
            self._inner = SaverTarget(name, factory, api, self.libraries, timeout)
        except TimedOut as exc:
            raise TargetError(f"--target: {name}: making the saver {exc}") from None
        except Exception as exc:  # noqa: BLE001 - the target cannot be built; say why in one line
            raise TargetError(f"--target: {name}: {self._describe_failure(exc)}") from None
        self.capabilities = self._inner.capabilities

    def open(self) -> SaverSession | UnavailableSession:
        try:
            return self._inner.open()
        except Exception as exc:  # noqa: BLE001 - reported on every step of the case
            return UnavailableSession(self._describe_failure(exc))


def missing_extra(target: str, exc: ImportError) -> TargetError:
    return TargetError(
        f"--target: {target} needs the database savers, which are not installed ({exc.name or exc}): "
        f"pip install 'checkpoint-spec[db]'"
    )
