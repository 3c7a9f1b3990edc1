-- Catalogue, accounts, sessions and the audit trail (SQLite).
CREATE TABLE departments (
    code TEXT PRIMARY KEY,
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL,
    body TEXT NOT NULL
);

CREATE TABLE themes (
    code TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    body TEXT NOT NULL
);

CREATE TABLE halls (
    code TEXT PRIMARY KEY,
    body TEXT NOT NULL
);

CREATE TABLE items (
    code TEXT PRIMARY KEY,
    parent TEXT,
    department TEXT NOT NULL REFERENCES departments(code),
    level TEXT NOT NULL,
    for_individual BIGINT NOT NULL,
    for_business BIGINT NOT NULL,
    apply_online BIGINT NOT NULL,
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL,
    keywords TEXT NOT NULL,
    card TEXT NOT NULL,
    body TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX items_department ON items(department, code);
CREATE INDEX items_level ON items(level, code);

CREATE TABLE item_themes (
    item TEXT NOT NULL REFERENCES items(code) ON DELETE CASCADE,
    theme TEXT NOT NULL REFERENCES themes(code),
    PRIMARY KEY (item, theme)
);
CREATE INDEX item_themes_theme ON item_themes(theme, item);

CREATE TABLE companies (
    credit_code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    role TEXT NOT NULL,
    name TEXT NOT NULL,
    id_number TEXT UNIQUE,
    phone TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    department TEXT REFERENCES departments(code),
    company TEXT REFERENCES companies(credit_code),
    lang TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    revoked_at BIGINT
);
CREATE INDEX sessions_user ON sessions(user_id);

-- Append-only: the server never updates or deletes rows; triggers enforce it.
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at BIGINT NOT NULL,
    actor BIGINT,
    action TEXT NOT NULL,
    subject TEXT NOT NULL,
    detail TEXT NOT NULL
);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
