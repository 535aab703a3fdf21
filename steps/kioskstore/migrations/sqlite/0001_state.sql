-- The kiosk's state, as the files kept it until now. Times are Unix
-- nanoseconds (UTC), the same on both backends.

-- Access codes: the hash of each code, never the code.
CREATE TABLE codes (
    id          TEXT PRIMARY KEY,
    hash        TEXT NOT NULL UNIQUE,
    account     TEXT NOT NULL,
    issued_ns   INTEGER NOT NULL,
    expires_ns  INTEGER NOT NULL,
    used_ns     INTEGER,
    finished_ns INTEGER
);
CREATE INDEX codes_by_expiry ON codes (expires_ns);

-- Attempts by address (wrong access codes...), counted in a window.
CREATE TABLE attempts (
    scope   TEXT NOT NULL,
    address TEXT NOT NULL,
    at_ns   INTEGER NOT NULL
);
CREATE INDEX attempts_by_address ON attempts (scope, address, at_ns);
CREATE INDEX attempts_by_time ON attempts (scope, at_ns);

-- The audit chain: every line with its hash and the hash before it, in
-- one order for every host; audit_head anchors the last hash and count.
CREATE TABLE audit_lines (
    seq  INTEGER PRIMARY KEY,
    line BLOB NOT NULL,
    hash TEXT NOT NULL,
    prev TEXT NOT NULL
);
CREATE TABLE audit_head (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    count INTEGER NOT NULL,
    hash  TEXT NOT NULL
);
INSERT INTO audit_head (id, count, hash) VALUES (1, 0, '');

-- Each recovery's durable state (its journal), by key. A deleted recovery
-- stays as a row with live = 0 so that its version never starts again.
CREATE TABLE recoveries (
    key        TEXT PRIMARY KEY,
    version    INTEGER NOT NULL,
    live       INTEGER NOT NULL,
    data       BLOB NOT NULL,
    updated_ns INTEGER NOT NULL
);

-- Files imported once (by kind and path).
CREATE TABLE imports (
    source  TEXT PRIMARY KEY,
    items   INTEGER NOT NULL,
    done_ns INTEGER NOT NULL
);
