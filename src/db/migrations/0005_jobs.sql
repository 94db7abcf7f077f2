-- 0005_jobs: background jobs shared by every `kantel serve` process on one
-- database. A job runs when next_at has passed; a process claims that run
-- with one conditional UPDATE (next_at moves on), so each due run happens
-- exactly once however many processes look. job_run keeps the history.

CREATE TABLE job (
    name          TEXT PRIMARY KEY,
    every_s       INTEGER NOT NULL CHECK (every_s >= 1),
    next_at       INTEGER NOT NULL,       -- unix seconds when the next run is due
    runs          INTEGER NOT NULL DEFAULT 0,
    failures      INTEGER NOT NULL DEFAULT 0,
    last_owner    TEXT NOT NULL DEFAULT '',
    last_started  INTEGER NOT NULL DEFAULT 0,
    last_finished INTEGER NOT NULL DEFAULT 0,
    last_result   TEXT NOT NULL DEFAULT '',  -- 'ok' or 'fail'
    last_detail   TEXT NOT NULL DEFAULT ''
);

CREATE TABLE job_run (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL REFERENCES job(name),
    due_at      INTEGER NOT NULL,          -- the next_at this run claimed
    owner       TEXT NOT NULL,             -- host:pid of the process that ran it
    started_at  INTEGER NOT NULL,
    finished_at INTEGER,
    result      TEXT NOT NULL DEFAULT '',
    detail      TEXT NOT NULL DEFAULT '',
    UNIQUE (name, due_at)
);
CREATE INDEX job_run_started ON job_run(started_at);
