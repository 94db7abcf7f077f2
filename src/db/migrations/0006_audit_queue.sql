-- 0006_audit_queue: audit events wait here, durably, until a writer appends
-- them to the hash chain (audit_event). Any serve process's writer moves the
-- rows, under the database's write lock, so events of a process that died
-- are still chained by the others (or by the next start).

CREATE TABLE audit_queue (
    id           INTEGER PRIMARY KEY,
    ts           INTEGER NOT NULL,      -- unix time in milliseconds, UTC
    gemeente     TEXT NOT NULL DEFAULT '',
    actor_id     INTEGER NOT NULL DEFAULT 0,
    actor        TEXT NOT NULL DEFAULT '',
    on_behalf_of TEXT NOT NULL DEFAULT '',
    action       TEXT NOT NULL,
    object_type  TEXT NOT NULL DEFAULT '',
    object_id    TEXT NOT NULL DEFAULT '',
    result       TEXT NOT NULL,
    origin       TEXT NOT NULL DEFAULT '',
    detail       TEXT NOT NULL DEFAULT ''
);
