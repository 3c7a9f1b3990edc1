-- Failed logins and progress lookups per key (the SHA-256 of an account's login or of a
-- client address), in a fixed window from the first failure: one count for every
-- instance on this database. Rows past their window are deleted as failures come in.
CREATE TABLE login_failures (
    key_hash TEXT PRIMARY KEY,
    failures BIGINT NOT NULL,
    window_start BIGINT NOT NULL
);
CREATE INDEX login_failures_window ON login_failures(window_start);
