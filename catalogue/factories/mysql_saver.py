"""langgraph-checkpoint-mysql (PyMySQL) on MariaDB: a database of its own per case, dropped when the case ends.

The --target-arg is the server's URL without a database (mysql://root@127.0.0.1:PORT/).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pymysql
from catalogue.factories._timed import timed
from langgraph.checkpoint.mysql.pymysql import PyMySQLSaver


def _admin(server: str) -> pymysql.Connection:  # type: ignore[type-arg]
    return pymysql.connect(**PyMySQLSaver.parse_conn_string(server), autocommit=True)


@timed
@contextmanager
def factory(server: str) -> Iterator[PyMySQLSaver]:
    database = f"spec_{uuid.uuid4().hex}"
    with _admin(server) as admin, admin.cursor() as cursor:
        cursor.execute(f"CREATE DATABASE `{database}`")
    try:
        with PyMySQLSaver.from_conn_string(server.rstrip("/") + "/" + database) as saver:
            saver.setup()
            yield saver
    finally:
        with _admin(server) as admin, admin.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS `{database}`")
