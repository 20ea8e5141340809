"""Databases the production savers run against: a PostgreSQL DSN, from the environment or a throwaway server."""

from __future__ import annotations

from .postgres_server import (
    DSN_ENV,
    NoPostgres,
    PostgresUnreachable,
    ThrowawayServer,
    check_reachable,
    describe_dsn,
    find_binaries,
    redact,
    shared_dsn,
)

__all__ = [
    "DSN_ENV",
    "NoPostgres",
    "PostgresUnreachable",
    "ThrowawayServer",
    "check_reachable",
    "describe_dsn",
    "find_binaries",
    "redact",
    "shared_dsn",
]
