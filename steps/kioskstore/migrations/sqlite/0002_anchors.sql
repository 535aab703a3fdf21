-- Small values kept whole by name: the audit head of a log kept in a
-- file, the last signed seal of the chain.
CREATE TABLE anchors (
    name       TEXT PRIMARY KEY,
    data       BLOB NOT NULL,
    updated_ns INTEGER NOT NULL
);
