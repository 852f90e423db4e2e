import Database from 'better-sqlite3'

/** A better-sqlite3 connection. */
export type Db = Database.Database

const SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  seq INTEGER PRIMARY KEY,
  pipeline_id TEXT NOT NULL,
  pipeline_seq INTEGER NOT NULL,
  type TEXT NOT NULL,
  at TEXT NOT NULL,
  data TEXT NOT NULL,
  UNIQUE (pipeline_id, pipeline_seq)
);
CREATE TABLE IF NOT EXISTS pipelines (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  status TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  last_seq INTEGER NOT NULL,
  pipeline_seq INTEGER NOT NULL,
  detail TEXT NOT NULL,
  machine TEXT,
  idempotency_key TEXT UNIQUE,
  retry_of TEXT
);
CREATE INDEX IF NOT EXISTS pipelines_by_status ON pipelines (status, id);
CREATE INDEX IF NOT EXISTS pipelines_live ON pipelines (id) WHERE machine IS NOT NULL;
CREATE TABLE IF NOT EXISTS checkpoints (
  pipeline_id TEXT NOT NULL,
  pipeline_seq INTEGER NOT NULL,
  detail TEXT NOT NULL,
  PRIMARY KEY (pipeline_id, pipeline_seq)
);
CREATE TABLE IF NOT EXISTS memo (
  key TEXT PRIMARY KEY,
  call TEXT NOT NULL,
  parts TEXT NOT NULL,
  output TEXT NOT NULL,
  refs TEXT NOT NULL,
  pipeline_id TEXT NOT NULL,
  step INTEGER NOT NULL,
  at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS memo_by_call ON memo (call, at);
CREATE TABLE IF NOT EXISTS item_memo (
  key TEXT PRIMARY KEY,
  call TEXT NOT NULL,
  result TEXT NOT NULL,
  refs TEXT NOT NULL,
  at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS task_logs (
  id INTEGER PRIMARY KEY,
  pipeline_id TEXT NOT NULL,
  step INTEGER NOT NULL,
  shard INTEGER NOT NULL,
  attempt INTEGER NOT NULL,
  at TEXT NOT NULL,
  level TEXT NOT NULL,
  msg TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS task_logs_by_step ON task_logs (pipeline_id, step, id);
`

/**
 * Opens (creating if needed) the monitor's SQLite file: WAL journal, synchronous=FULL so an
 * event counts once its transaction commits, and the schema of the event log, snapshots and memo.
 */
export function openDatabase(file: string): Db {
  const db = new Database(file)
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = FULL')
  db.pragma('busy_timeout = 5000')
  db.pragma('foreign_keys = ON')
  db.exec(SCHEMA)
  return db
}
