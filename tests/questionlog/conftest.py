"""The question-log suite runs against SQLite and a real PostgreSQL server alike.

    def test_x(log_settings):   # parametrized: "sqlite" (a temp DATA_DIR), "postgres" (a fresh DB)

The PostgreSQL server is started once per session (tests/pg.py). Under CI (CI=true) a server
that cannot start fails the run; elsewhere those tests skip, saying why.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from operations.ops_settings import OpsSettings
from tests.pg import PostgresServer, Unavailable

_databases = itertools.count(1)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    try:
        with PostgresServer.start() as server:
            yield server
    except Unavailable as exc:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI must run the PostgreSQL tests: {exc}")
        pytest.skip(f"no PostgreSQL server: {exc}")


@pytest.fixture(params=["sqlite", "postgres"])
def log_settings(request: pytest.FixtureRequest, tmp_path: Path) -> OpsSettings:
    """Settings for an empty question log of each kind."""
    if request.param == "sqlite":
        return OpsSettings(data_dir=tmp_path / "data")
    server: PostgresServer = request.getfixturevalue("postgres_server")
    url = server.create_database(f"log_{os.getpid()}_{next(_databases)}")
    return OpsSettings(data_dir=tmp_path / "data", database_url=url)
