"""PostgreSQL connection strings (DSNs), whatever their form, and messages about them that never show a password.

A DSN is a libpq URI (`postgresql://user:password@host/db?password=...`) or
`key=value` pairs (`password='...'`). libpq's own messages about a DSN it
cannot parse quote pieces of it (`invalid percent-encoded token: "..."`), so
`redact` takes out every password it can find in any form, and a DSN that does
not parse is described without quoting anything of it.
"""

from __future__ import annotations

import contextlib
import re
from typing import Any
from urllib.parse import unquote

DSN_ENV = "CHECKPOINT_SPEC_POSTGRES_DSN"
CONNECT_TIMEOUT_SECONDS = 3
HIDDEN = "***"

_URI_USERINFO = re.compile(r"^\s*[A-Za-z][A-Za-z0-9+.-]*://([^@/?#]*)@")
_URI_PASSWORD = re.compile(r"[?&]password=([^&#]*)")
# key=value: a quoted value (its end quote may be missing), else up to the next space.
_PAIR_PASSWORD = re.compile(r"(?:^|\s)password\s*=\s*('(?:[^'\\]|\\.)*'?|\S*)")
_QUOTED = re.compile(r'"[^"]*"')


class InvalidDsn(Exception):
    """A DSN that libpq does not accept; the message quotes nothing of the DSN."""


def conninfo(dsn: str) -> dict[str, Any]:
    from psycopg.conninfo import conninfo_to_dict

    return dict(conninfo_to_dict(dsn))


def passwords(dsn: str) -> set[str]:
    """Every text that may be the DSN's password, as written and as decoded, parsed by libpq or not."""
    found: set[str] = set()
    with contextlib.suppress(Exception):
        found.add(str(conninfo(dsn).get("password") or ""))
    written: list[str] = []
    if userinfo := _URI_USERINFO.match(dsn):
        _, colon, password = userinfo.group(1).partition(":")
        if colon:
            written.append(password)
    written += _URI_PASSWORD.findall(dsn)
    for value in _PAIR_PASSWORD.findall(dsn):
        written.append(value)
        if value.startswith("'"):
            inner = value[1:-1] if len(value) > 1 and value.endswith("'") else value[1:]
            written += [inner, re.sub(r"\\(.)", r"\1", inner)]
    for value in written:
        found.update((value, unquote(value)))
    return {item for item in found if item}


def redact(text: str, dsn: str) -> str:
    """`text` with every password of the DSN (and the DSN itself) taken out, whatever the DSN's form."""
    if dsn:
        text = text.replace(dsn, "<dsn>")
    for secret in sorted(passwords(dsn), key=len, reverse=True):
        text = text.replace(secret, HIDDEN)
    return text


def check_dsn(dsn: str) -> None:
    """Raise InvalidDsn, saying why without quoting the DSN, unless libpq accepts it."""
    try:
        conninfo(dsn)
    except Exception as exc:  # noqa: BLE001 - whatever libpq says about it, said safely
        # libpq quotes the piece it stumbled on, which may be (part of) a password.
        why = _QUOTED.sub(f'"{HIDDEN}"', " ".join(redact(str(exc), dsn).split()))
        raise InvalidDsn(f"not a connection string PostgreSQL accepts: {why}") from None


def describe_dsn(dsn: str) -> str:
    """host:port, database and user of a DSN; never its password."""
    try:
        info = conninfo(dsn)
    except Exception:  # noqa: BLE001 - a DSN that does not parse is described, never echoed
        return "a DSN that cannot be parsed"
    host = info.get("host") or info.get("hostaddr") or "the default socket"
    port = info.get("port") or "5432"
    parts = [f"{host}:{port}"]
    if info.get("dbname"):
        parts.append(f"database {info['dbname']}")
    if info.get("user"):
        parts.append(f"user {info['user']}")
    return redact(", ".join(parts), dsn)


def with_options(dsn: str, *, search_path: str | None = None) -> str:
    """The DSN with a connect timeout (unless it sets one) and, when given, a search_path."""
    from psycopg.conninfo import make_conninfo

    extra: dict[str, Any] = {}
    info = conninfo(dsn)
    if not info.get("connect_timeout"):
        extra["connect_timeout"] = CONNECT_TIMEOUT_SECONDS
    if search_path is not None:
        options = str(info.get("options") or "")
        extra["options"] = f"{options} -c search_path={search_path}".strip()
    return make_conninfo(dsn, **extra)


def connection_failure(dsn: str, exc: BaseException) -> str:
    """A one-line, password-free reason why connecting with the DSN failed."""
    try:
        check_dsn(dsn)
    except InvalidDsn as invalid:
        return str(invalid)
    detail = " ".join(redact(str(exc), dsn).split())
    return f"cannot connect to PostgreSQL at {describe_dsn(dsn)}: {detail}"
