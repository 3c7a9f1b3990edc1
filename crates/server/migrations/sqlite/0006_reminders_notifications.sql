-- Weekly booking cap, appointment reminders and the notification outbox (sqlite).

-- Bookings (not cancelled) per citizen and week (its Monday): a booking counts itself in
-- with one conditional upsert (booked < the configured cap), in its own transaction.
CREATE TABLE week_counts (
    citizen BIGINT NOT NULL REFERENCES users(id),
    week TEXT NOT NULL,
    booked BIGINT NOT NULL,
    PRIMARY KEY (citizen, week),
    CHECK (booked >= 0)
);

-- When each reminder was written (to the outbox); NULL until then.
ALTER TABLE bookings ADD COLUMN day_reminder_at BIGINT;
ALTER TABLE bookings ADD COLUMN hour_reminder_at BIGINT;
CREATE INDEX bookings_active_start ON bookings(state, start_at);

-- The notification outbox: written in the same transaction as the change that causes
-- it, so none is lost or written twice. Title and body are kept in both languages.
CREATE TABLE notifications (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id BIGINT NOT NULL REFERENCES users(id),
    kind TEXT NOT NULL,
    title_zh TEXT NOT NULL,
    title_en TEXT NOT NULL,
    body_zh TEXT NOT NULL,
    body_en TEXT NOT NULL,
    -- The front-end path it opens, e.g. /bookings/12.
    link TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    delivered_at BIGINT,
    read_at BIGINT
);
CREATE INDEX notifications_user ON notifications(user_id, id);
-- The live stream's poller looks for what was written in the last seconds.
CREATE INDEX notifications_created ON notifications(created_at);
