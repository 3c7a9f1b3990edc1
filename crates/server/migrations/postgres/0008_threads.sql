-- Questions (问) and complaints (诉) with their message threads (postgres).
CREATE TABLE threads (
    id BIGSERIAL PRIMARY KEY,
    kind TEXT NOT NULL,
    -- item, case or hall, and its code or id as text
    subject_kind TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    citizen BIGINT NOT NULL REFERENCES users(id),
    -- The answering department; NULL for complaints about a hall (supervisors answer).
    department TEXT,
    title TEXT NOT NULL,
    state TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX threads_citizen ON threads(citizen, id);
CREATE INDEX threads_department ON threads(department, state, updated_at);

-- Messages are never changed or deleted.
CREATE TABLE thread_messages (
    id BIGSERIAL PRIMARY KEY,
    thread BIGINT NOT NULL REFERENCES threads(id),
    author BIGINT NOT NULL REFERENCES users(id),
    from_staff BIGINT NOT NULL,
    text TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX thread_messages_thread ON thread_messages(thread, id);

-- Files attached to a thread, streamed to storage like materials (at most 10).
CREATE TABLE thread_attachments (
    id BIGSERIAL PRIMARY KEY,
    thread BIGINT NOT NULL REFERENCES threads(id),
    author BIGINT NOT NULL REFERENCES users(id),
    from_staff BIGINT NOT NULL,
    name TEXT NOT NULL,
    format TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    storage_key TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX thread_attachments_thread ON thread_attachments(thread, id);
CREATE TRIGGER thread_messages_no_change BEFORE UPDATE OR DELETE ON thread_messages
FOR EACH ROW EXECUTE FUNCTION ratings_append_only();
