"""Opening the configured question-log store: SQLite in DATA_DIR, or PostgreSQL."""

from __future__ import annotations

from bot import ConfigError
from operations.ops_settings import OpsSettings
from operations.questionlog.sqlite import SQLiteStore
from operations.questionlog.store import Store, reason


def open_store(settings: OpsSettings, *, offline: bool = False) -> Store:
    """The configured store, migrated to the latest schema. ConfigError if it cannot be used.

    `offline=True` (for the question log's writer): a database that cannot be reached now is
    no error; the store is returned unmigrated (`store.migrated` is False) and the writer
    migrates it once it answers. One that refuses the connection (a wrong password, no such
    database) is an error either way: waiting would not fix it.
    """
    url = settings.database_url
    store: Store
    if url and url.split(":", 1)[0] in ("postgresql", "postgres"):
        from operations.questionlog.postgres import PostgresStore

        store = PostgresStore(url)
    else:
        store = SQLiteStore(settings.sqlite_path)
    try:
        store.migrate()
    except ConfigError:
        store.close()
        raise
    except store.outage as exc:
        refused = store.refused(exc)
        if offline and refused is None:
            return store
        store.close()
        why = f"the server refused: {refused}" if refused else f"cannot connect ({reason(exc)})"
        raise ConfigError(f"question log {store.target}: {why}") from None
    except store.errors as exc:
        store.close()
        raise ConfigError(f"question log {store.target}: cannot prepare it ({exc})") from None
    return store
