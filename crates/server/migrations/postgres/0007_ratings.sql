-- Ratings (好差评) and the rectifications of bad ones (postgres).

-- One rating per case or visit, never changed or deleted (triggers refuse both).
CREATE TABLE ratings (
    id BIGSERIAL PRIMARY KEY,
    subject_kind TEXT NOT NULL,
    subject_id BIGINT NOT NULL,
    citizen BIGINT NOT NULL REFERENCES users(id),
    department TEXT NOT NULL,
    item TEXT NOT NULL,
    -- 5 = 非常满意 … 1 = 非常不满意
    level BIGINT NOT NULL CHECK (level BETWEEN 1 AND 5),
    -- JSON: [{dimension, level}]
    dimensions TEXT NOT NULL,
    comment TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (subject_kind, subject_id)
);
CREATE INDEX ratings_citizen ON ratings(citizen, id);
CREATE INDEX ratings_department ON ratings(department, created_at);

-- The rectification a bad rating opens: open → answered → closed (solved), or back to
-- open when the citizen says the answer did not solve it.
CREATE TABLE rectifications (
    rating BIGINT PRIMARY KEY REFERENCES ratings(id),
    department TEXT NOT NULL,
    state TEXT NOT NULL,
    opened_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX rectifications_department ON rectifications(department, state, rating);

-- Its thread: answers and the citizen's verdicts, append-only.
CREATE TABLE rectification_entries (
    id BIGSERIAL PRIMARY KEY,
    rating BIGINT NOT NULL REFERENCES ratings(id),
    step TEXT NOT NULL,
    actor BIGINT NOT NULL REFERENCES users(id),
    text TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX rectification_entries_rating ON rectification_entries(rating, id);

CREATE FUNCTION ratings_append_only() RETURNS trigger AS $$
BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER ratings_no_change BEFORE UPDATE OR DELETE ON ratings
FOR EACH ROW EXECUTE FUNCTION ratings_append_only();
CREATE TRIGGER rectification_entries_no_change BEFORE UPDATE OR DELETE ON rectification_entries
FOR EACH ROW EXECUTE FUNCTION ratings_append_only();
