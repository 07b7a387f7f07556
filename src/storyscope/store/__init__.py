"""Storage behind one small interface; SQLite (one file, WAL) is the default backend.

A distributed engine can stand in for :class:`SQLiteStore` by offering the same methods;
nothing outside ``store/`` issues SQL.
"""

from storyscope.store.sqlite import SCHEMA_VERSION, SQLiteStore, fts_query

__all__ = ["SCHEMA_VERSION", "SQLiteStore", "fts_query"]
