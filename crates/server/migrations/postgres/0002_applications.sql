-- Applications (办件), their event history (timeline and audit trail) and uploaded files (PostgreSQL).
CREATE TABLE applications (
    id BIGSERIAL PRIMARY KEY,
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
    id BIGSERIAL PRIMARY KEY,
    application BIGINT NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
    at BIGINT NOT NULL,
    actor BIGINT REFERENCES users(id),
    state TEXT NOT NULL,
    action TEXT,
    note TEXT NOT NULL
);
CREATE INDEX application_events_application ON application_events(application, id);
CREATE FUNCTION application_events_append_only() RETURNS trigger AS $$
BEGIN RAISE EXCEPTION 'application_events is append-only'; END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER application_events_no_update BEFORE UPDATE ON application_events
FOR EACH ROW EXECUTE FUNCTION application_events_append_only();

CREATE TABLE files (
    id BIGSERIAL PRIMARY KEY,
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
