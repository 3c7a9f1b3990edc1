-- Ratings (好差评) and the rectifications of bad ones (sqlite).

-- One rating per case or visit, never changed or deleted (triggers refuse both).
CREATE TABLE ratings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
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
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    rating BIGINT NOT NULL REFERENCES ratings(id),
    step TEXT NOT NULL,
    actor BIGINT NOT NULL REFERENCES users(id),
    text TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX rectification_entries_rating ON rectification_entries(rating, id);

CREATE TRIGGER ratings_no_update BEFORE UPDATE ON ratings
BEGIN SELECT RAISE(ABORT, 'ratings are never changed'); END;
CREATE TRIGGER ratings_no_delete BEFORE DELETE ON ratings
BEGIN SELECT RAISE(ABORT, 'ratings are never deleted'); END;
CREATE TRIGGER rectification_entries_no_update BEFORE UPDATE ON rectification_entries
BEGIN SELECT RAISE(ABORT, 'rectification entries are append-only'); END;
CREATE TRIGGER rectification_entries_no_delete BEFORE DELETE ON rectification_entries
BEGIN SELECT RAISE(ABORT, 'rectification entries are append-only'); END;
