"""No password of CHECKPOINT_SPEC_POSTGRES_DSN in any message, whatever the DSN's form; a DSN problem is bad input."""

from __future__ import annotations

import psycopg
import pytest

from checkpoint_spec.cli import main
from checkpoint_spec.databases import postgres_server
from checkpoint_spec.databases.dsn import DSN_ENV, InvalidDsn, check_dsn, connection_failure, passwords, redact
from checkpoint_spec.targets.postgres import _describer

# Every DSN below has a password made of s3cret and Pw, whole or in pieces; a valid one's as libpq reads it.
VALID = {
    "postgresql://alice:s3cret-Pw@127.0.0.1:1/spec": "s3cret-Pw",
    "postgres://alice:s3cret%2DPw@127.0.0.1:1/spec": "s3cret-Pw",
    "postgresql://127.0.0.1:1/spec?user=alice&password=s3cret-Pw": "s3cret-Pw",
    "host=127.0.0.1 port=1 user=alice password=s3cret-Pw dbname=spec": "s3cret-Pw",
    "host=127.0.0.1 port=1 user=alice password='s3cret Pw'": "s3cret Pw",
    "host=127.0.0.1 port=1 user=alice password = 's3cret\\'Pw'": "s3cret'Pw",
}
INVALID = [
    "postgresql://alice:s3cret-Pw%zz@127.0.0.1/spec",
    "postgresql://127.0.0.1/spec?password=s3cret-Pw%zz",
    "postgresql://alice:s3cret-Pw@[::1",
    "postgresql://alice:s3cret Pw%zz@127.0.0.1/spec",
    "postgresql://alice:s3cret-Pw@127.0.0.1/spec?sslmode=s3cret-Pw%",
    "host=127.0.0.1 password='s3cret Pw",
    "host=127.0.0.1 password=s3cret Pw",
    "host=127.0.0.1 password=s3cret-Pw junk",
    "password=s3cret-Pw host=127.0.0.1 =x",
]
PIECES = ("s3cret", "Pw")


def assert_no_password(text: str) -> None:
    assert not any(piece in text for piece in PIECES), text


@pytest.mark.parametrize("dsn", [*VALID, *INVALID])
def test_redact_takes_out_the_password_whatever_the_form(dsn: str) -> None:
    found = passwords(dsn)
    assert any("s3cret" in secret for secret in found)
    for secret in found:
        assert_no_password(redact(f'libpq said "{secret}" about it', dsn))
    assert redact(f"in {dsn}", dsn) == "in <dsn>"
    if dsn in VALID:
        assert_no_password(redact(f"libpq read {VALID[dsn]}", dsn))


@pytest.mark.parametrize("dsn", INVALID)
def test_a_dsn_that_does_not_parse_is_described_without_quoting_it(dsn: str) -> None:
    with pytest.raises(InvalidDsn) as raised:
        check_dsn(dsn)
    message = str(raised.value)
    assert message.startswith("not a connection string PostgreSQL accepts: ")
    assert_no_password(message)
    assert_no_password(connection_failure(dsn, RuntimeError(f"failed for {dsn}")))


@pytest.mark.parametrize(("dsn", "password"), VALID.items())
def test_a_connection_failure_names_no_password(dsn: str, password: str) -> None:
    check_dsn(dsn)
    failure = psycopg.OperationalError(f"password authentication failed with {password} for {dsn}")
    for describe in (_describer(dsn), lambda exc: connection_failure(dsn, exc)):
        message = describe(failure)
        assert message.startswith("cannot connect to PostgreSQL at 127.0.0.1:1")
        assert_no_password(message)
    assert_no_password(_describer(dsn)(RuntimeError(f"cannot create the schema as {password}")))


@pytest.mark.parametrize("dsn", INVALID)
@pytest.mark.parametrize("target", ["py-postgres", "py-postgres-async"])
def test_an_invalid_dsn_in_the_environment_is_bad_input_without_its_password(
    dsn: str, target: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(DSN_ENV, dsn)
    assert main(["run", "--target", target, "--case", "put-*"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1
    assert err.startswith(f"error: {DSN_ENV}: not a connection string PostgreSQL accepts: ")
    assert_no_password(err)
    assert postgres_server.run_with_postgres(["true"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {DSN_ENV}: not a connection string PostgreSQL accepts: ")
    assert_no_password(err)
