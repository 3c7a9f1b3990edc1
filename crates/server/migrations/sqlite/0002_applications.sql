-- Applications (办件), their event history (timeline and audit trail) and uploaded files (SQLite).
CREATE TABLE applications (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    number TEXT UNIQUE,
    item TEXT NOT NULL REFERENCES items(code),
    case_code TEXT NOT NULL,
    department TEXT NOT NULL REFERENCES departments(code),
    applicant BIGINT NOT NULL REFERENCES users(id),
    company TEXT REFERENCES companies(credit_code),
    state TEXT NOT NULL,
    form TEXT NOT NULL,
    notice TEXT NOT NULL,
    submit_key TEXT,
    promised_days BIGINT NOT NULL,
    accepted_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX applications_applicant ON applications(applicant, id);
CREATE INDEX applications_company ON applications(company, id);
CREATE INDEX applications_department ON applications(department, state, id);

-- Append-only: every transition with who, when and why (全程留痕).
CREATE TABLE application_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    application BIGINT NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
    at BIGINT NOT NULL,
    actor BIGINT REFERENCES users(id),
    state TEXT NOT NULL,
    action TEXT,
    note TEXT NOT NULL
);
CREATE INDEX application_events_application ON application_events(application, id);
CREATE TRIGGER application_events_no_update BEFORE UPDATE ON application_events
BEGIN SELECT RAISE(ABORT, 'application_events is append-only'); END;

CREATE TABLE files (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    owner BIGINT NOT NULL REFERENCES users(id),
    application BIGINT REFERENCES applications(id) ON DELETE CASCADE,
    slot TEXT NOT NULL,
    name TEXT NOT NULL,
    format TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    storage_key TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX files_application ON files(application, slot);
