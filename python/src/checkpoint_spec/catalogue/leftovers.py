"""What a saver's run left behind: files in its scratch folder, processes of its run, and data in its servers."""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import signal
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

# MariaDB's own databases; any other one is a case's.
SYSTEM_DATABASES = frozenset({"information_schema", "mysql", "performance_schema", "sys"})


def folder_leftovers(folder: Path) -> list[str]:
    """Everything under `folder`, as paths relative to it (a folder's contents listed, not the folder)."""
    if not folder.exists():
        return []
    found = []
    for path in sorted(folder.rglob("*")):
        if path.is_file() or path.is_symlink() or (path.is_dir() and not any(path.iterdir())):
            found.append(path.relative_to(folder).as_posix())
    return found


def _session_of(stat: str) -> int:
    # /proc/PID/stat: pid (comm) state ppid pgrp session ...; comm may hold spaces and parentheses.
    fields = stat[stat.rindex(")") + 2 :].split()
    return int(fields[3])


def session_processes(session: int, proc: Path = Path("/proc")) -> list[int]:
    """The pids still in the session `session` (a run started with start_new_session has its pid as session id)."""
    found = []
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, ValueError, IndexError):
            if _session_of((entry / "stat").read_text()) == session:
                found.append(int(entry.name))
    return sorted(found)


def end_processes(pids: list[int]) -> None:
    """SIGKILL each left-behind process of a run this module started, by its pid."""
    for pid in pids:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGKILL)


def mariadb_leftovers(url: str) -> list[str]:
    """Databases other than MariaDB's own, as `database NAME`."""
    # The MySQL saver's own client, installed with it (the runner does not depend on it).
    pymysql: Any = importlib.import_module("pymysql")

    parsed = urlparse(url)
    connection = pymysql.connect(
        host=parsed.hostname, port=parsed.port or 3306, user=parsed.username or "root", password=parsed.password or ""
    )
    with connection, connection.cursor() as cursor:
        cursor.execute("SHOW DATABASES")
        names = sorted(str(row[0]) for row in cursor.fetchall())
    return [f"database {name}" for name in names if name not in SYSTEM_DATABASES]


def redis_leftovers(url: str) -> list[str]:
    """Keys in any of the server's databases, as `N keys in db D`."""
    # The Redis saver's own client, installed with it.
    redis: Any = importlib.import_module("redis")

    with redis.Redis.from_url(url) as client:
        keyspace: dict[str, Any] = client.info("keyspace")
    return [f"{info['keys']} keys in {db}" for db, info in sorted(keyspace.items()) if int(info.get("keys", 0))]


def dynamodb_leftovers(url: str) -> list[str]:
    """Tables in the emulator, as `table NAME` (ListTables, paged)."""
    names: list[str] = []
    start: str | None = None
    while True:
        body: dict[str, Any] = {"Limit": 100} | ({"ExclusiveStartTableName": start} if start else {})
        request = urllib.request.Request(
            url,
            data=json.dumps(body).encode(),
            headers={
                "Content-Type": "application/x-amz-json-1.0",
                "X-Amz-Target": "DynamoDB_20120810.ListTables",
                # The emulator wants a signature's shape, not a valid one.
                "Authorization": "AWS4-HMAC-SHA256 Credential=spec/20260101/us-east-1/dynamodb/aws4_request, "
                "SignedHeaders=host, Signature=0",
                "X-Amz-Date": "20260101T000000Z",
            },
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            answer = json.loads(response.read())
        names += answer.get("TableNames", [])
        start = answer.get("LastEvaluatedTableName")
        if not start:
            return [f"table {name}" for name in names]


PROBES: dict[str, Callable[[str], list[str]]] = {
    "mariadb": mariadb_leftovers,
    "redis": redis_leftovers,
    "dynalite": dynamodb_leftovers,
}
