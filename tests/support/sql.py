"""Counting the SQL an engine sends, to pin down N+1 regressions."""

from __future__ import annotations

from typing import Any


class StatementCounter:
    """Counts the SQL statements an engine sends (a `before_cursor_execute` listener)."""

    def __init__(self) -> None:
        self.statements: list[str] = []

    def __call__(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        self.statements.append(statement)

    @property
    def count(self) -> int:
        return len(self.statements)
