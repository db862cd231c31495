"""A question-log store that can be "down", as a PostgreSQL server out of reach would be.

    store = DownStore(SQLiteStore(path), down=True)   # every call raises ConnectionRefusedError
    store.down = False                                 # the database is back
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from operations.questionlog import Store
from operations.questionlog.records import Item


class DownStore:
    outage = (ConnectionRefusedError,)

    def __init__(self, store: Store, *, down: bool) -> None:
        self._store = store
        self.down = down
        self.migrated = store.migrated and not down

    def _reach(self) -> None:
        if self.down:
            raise ConnectionRefusedError(111, "Connection refused")

    def migrate(self) -> int:
        self._reach()
        self.migrated = True
        return self._store.migrate()

    def salt(self) -> str:
        self._reach()
        return self._store.salt()

    def write(self, items: Sequence[Item]) -> None:
        self._reach()
        self._store.write(items)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)
