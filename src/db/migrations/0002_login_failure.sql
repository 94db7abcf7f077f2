-- 0002_login_failure: failed sign-ins for user names that have no account,
-- so that a lockout looks the same for known and unknown names (no user
-- enumeration through the 429 answer). Rows expire after the lockout period.
CREATE TABLE login_failure (
    username     TEXT PRIMARY KEY,
    failures     INTEGER NOT NULL,
    locked_until INTEGER NOT NULL DEFAULT 0,
    updated_at   INTEGER NOT NULL
);
CREATE INDEX login_failure_updated ON login_failure(updated_at);
