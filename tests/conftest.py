"""Shared test fixtures and helpers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parents[1]

# Property tests never depend on the machine's speed: no per-example deadline and no "input
# generation is slow" health check (both fail on a loaded CI machine, not on a wrong answer).
# A test may still set its own limits with @settings.
settings.register_profile(
    "smmkit", deadline=None, suppress_health_check=[HealthCheck.too_slow], print_blob=True
)
settings.load_profile("smmkit")
SHARED = ROOT.parent / "shared"


def shared_path(*parts: str) -> Path:
    """A path inside ../shared/; the calling test is skipped with a clear reason if it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"shared data not found at {path} (the ../shared/ folder is absent)")
    return path


@pytest.fixture
def repo_root() -> Path:
    return ROOT


@pytest.fixture(name="shared_path")
def _shared_path_fixture() -> object:
    """Fixture form of :func:`shared_path` (``shared_path("data", "nab")``)."""
    return shared_path


# -- databases for the store, runner and workspace tests ------------------------------------------
# SQLite needs nothing. PostgreSQL needs a server: ``source .ci/install-postgres`` starts one and
# exports SMMKIT_TEST_POSTGRES_URL; each test gets a database of its own, dropped afterwards.
# Without the variable the PostgreSQL cases skip, unless SMMKIT_REQUIRE_POSTGRES=1 (set by
# .ci/run), which makes them fail instead.


def _postgres_database() -> Iterator[str]:
    import os
    import uuid

    admin = os.environ.get("SMMKIT_TEST_POSTGRES_URL")
    if not admin:
        reason = "SMMKIT_TEST_POSTGRES_URL is not set (run: source .ci/install-postgres)"
        if os.environ.get("SMMKIT_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"SMMKIT_REQUIRE_POSTGRES=1 but {reason}")
        pytest.skip(reason)
    import psycopg
    from sqlalchemy.engine import make_url

    name = f"smmkit_t_{uuid.uuid4().hex[:12]}"
    url = make_url(admin)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def store_target(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Where to open a store: a SQLite file, then a fresh PostgreSQL database."""
    if request.param == "sqlite":
        yield str(tmp_path / "store.db")
    else:
        yield from _postgres_database()


@pytest.fixture
def postgres_target() -> Iterator[str]:
    """A fresh PostgreSQL database URL (skips or fails as described above)."""
    yield from _postgres_database()
