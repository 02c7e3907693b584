"""What a database error is called in the logs: the database's own code, never its message."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from hsc_jit.db_utils import database_error_code


def test_a_locked_sqlite_database_is_named_by_its_code(tmp_path: Path) -> None:
    path = tmp_path / "locked.db"
    holder = sqlite3.connect(path)
    holder.execute("BEGIN EXCLUSIVE")
    engine = create_engine(f"sqlite:///{path}", connect_args={"timeout": 0})
    try:
        with pytest.raises(OperationalError) as caught, engine.begin() as connection:
            connection.execute(text("CREATE TABLE tickets (id TEXT)"))
    finally:
        engine.dispose()
        holder.close()
    assert database_error_code(caught.value) == "SQLITE_BUSY"


def test_an_error_from_elsewhere_has_no_code() -> None:
    assert database_error_code(ValueError("contact: dana@example.com")) is None
