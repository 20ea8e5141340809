"""py-postgres and py-postgres-async: PostgresSaver and AsyncPostgresSaver on a real server.

The server is CHECKPOINT_SPEC_POSTGRES_DSN's, else a throwaway one started for
the process (databases.postgres_server). Each case gets a fresh schema: the
saver's connection has it as its search_path, the saver's own `setup()` creates
its tables there, and the schema is dropped when the case ends.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

from ..databases.dsn import DSN_ENV, InvalidDsn, connection_failure, redact, with_options
from ..databases.postgres_server import NoPostgres, PostgresUnreachable, check_reachable, shared_dsn
from ..deadlines import DEFAULT_TIMEOUT
from ..errors import TargetError, exception_text
from .database import DatabaseTarget, missing_extra
from .saver import Api

PACKAGES = ("langgraph-checkpoint-postgres", "psycopg", "psycopg-pool")
SCHEMA_PREFIX = "checkpoint_spec_"


def _saver_classes(target: str) -> tuple[Any, Any]:
    try:
        from langgraph.checkpoint.postgres import PostgresSaver
        from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver
    except ImportError as exc:
        raise missing_extra(target, exc) from None
    return PostgresSaver, AsyncPostgresSaver


def fresh_schema() -> str:
    return SCHEMA_PREFIX + uuid.uuid4().hex[:16]


def postgres_factory(name: str, api: Api, dsn: str, schema: str | None = None) -> Callable[[], Any]:
    """A factory of fresh savers: each in its own new schema (dropped afterwards), or all in `schema` (kept)."""
    sync_class, async_class = _saver_classes(name)

    @contextlib.contextmanager
    def sync_saver() -> Iterator[Any]:
        name = schema or fresh_schema()
        with sync_class.from_conn_string(with_options(dsn, search_path=name)) as saver:
            saver.conn.execute(f'CREATE SCHEMA IF NOT EXISTS "{name}"')
            try:
                saver.setup()
                yield saver
            finally:
                if schema is None:
                    # The server may be gone; the case already says so.
                    with contextlib.suppress(Exception):
                        saver.conn.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')

    @contextlib.asynccontextmanager
    async def async_saver() -> AsyncIterator[Any]:
        name = schema or fresh_schema()
        async with async_class.from_conn_string(with_options(dsn, search_path=name)) as saver:
            await saver.conn.execute(f'CREATE SCHEMA IF NOT EXISTS "{name}"')
            try:
                await saver.setup()
                yield saver
            finally:
                if schema is None:
                    with contextlib.suppress(Exception):
                        await saver.conn.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')

    return sync_saver if api == "sync" else async_saver


def _describer(dsn: str) -> Callable[[BaseException], str]:
    def describe(exc: BaseException) -> str:
        import psycopg

        if isinstance(exc, psycopg.OperationalError):
            return connection_failure(dsn, exc)
        return redact(exception_text(exc), dsn)

    return describe


def postgres_target(
    name: str, api: Api, dsn: str | None = None, schema: str | None = None, timeout: float = DEFAULT_TIMEOUT
) -> DatabaseTarget:
    given = dsn
    try:
        dsn = dsn or shared_dsn()
        check_reachable(dsn)
    except InvalidDsn as exc:
        # The environment's DSN is the user's input: named as such, with nothing of it quoted.
        raise TargetError(f"{DSN_ENV if given is None else f'--target: {name}'}: {exc}") from None
    except (NoPostgres, PostgresUnreachable) as exc:
        raise TargetError(f"--target: {name}: {exc}") from None
    return DatabaseTarget(
        name, postgres_factory(name, api, dsn, schema), api, PACKAGES, _describer(dsn), timeout=timeout
    )


def py_postgres(timeout: float = DEFAULT_TIMEOUT) -> DatabaseTarget:
    return postgres_target("py-postgres", "sync", timeout=timeout)


def py_postgres_async(timeout: float = DEFAULT_TIMEOUT) -> DatabaseTarget:
    return postgres_target("py-postgres-async", "async", timeout=timeout)
