// The SQLite layout. Kept in one place so the README's description and the
// code cannot drift apart.

export const SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS meta (
  key   TEXT PRIMARY KEY,
  value INTEGER NOT NULL
) WITHOUT ROWID;
INSERT OR IGNORE INTO meta (key, value) VALUES ('revision', 0), ('compacted', 0);

-- A rowid table with a separate key index, not WITHOUT ROWID: values are
-- kilobytes of JSON, and a clustered key index holding them would fit two or
-- three rows a page (SQLite advises WITHOUT ROWID only for small rows).
CREATE TABLE IF NOT EXISTS objects (
  resource  TEXT NOT NULL,
  namespace TEXT NOT NULL,
  name      TEXT NOT NULL,
  revision  INTEGER NOT NULL,
  value     TEXT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS objects_by_key ON objects (resource, namespace, name);

CREATE TABLE IF NOT EXISTS labels (
  resource  TEXT NOT NULL,
  namespace TEXT NOT NULL,
  name      TEXT NOT NULL,
  key       TEXT NOT NULL,
  value     TEXT NOT NULL,
  PRIMARY KEY (resource, namespace, name, key)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS labels_by_value ON labels (resource, key, value, namespace, name);

CREATE TABLE IF NOT EXISTS events (
  revision      INTEGER PRIMARY KEY,
  type          TEXT NOT NULL,
  resource      TEXT NOT NULL,
  namespace     TEXT NOT NULL,
  name          TEXT NOT NULL,
  value         TEXT NOT NULL,
  previous      TEXT,
  prev_revision INTEGER,
  created_at    INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS events_by_resource ON events (resource, revision);

CREATE TABLE IF NOT EXISTS allocations (
  pool            TEXT NOT NULL,
  value           INTEGER NOT NULL,
  owner_resource  TEXT NOT NULL,
  owner_namespace TEXT NOT NULL,
  owner_name      TEXT NOT NULL,
  PRIMARY KEY (pool, value)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS allocations_by_owner ON allocations (owner_resource, owner_namespace, owner_name, pool);
`;
