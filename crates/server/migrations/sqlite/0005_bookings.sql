-- Appointments at a hall window (sqlite). A slot's bookings are counted in slot_counts:
-- a booking takes a seat with one conditional UPDATE (booked < capacity), which the
-- CHECK backs up, so no slot is ever booked over its capacity.
CREATE TABLE slot_counts (
    hall TEXT NOT NULL,
    window_code TEXT NOT NULL,
    start_at TEXT NOT NULL,
    capacity BIGINT NOT NULL,
    booked BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (hall, window_code, start_at),
    CHECK (booked >= 0 AND booked <= capacity)
);

CREATE TABLE bookings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    code TEXT NOT NULL UNIQUE,
    citizen BIGINT NOT NULL REFERENCES users(id),
    item TEXT NOT NULL REFERENCES items(code),
    hall TEXT NOT NULL,
    window_code TEXT NOT NULL,
    start_at TEXT NOT NULL,
    end_at TEXT NOT NULL,
    state TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    application BIGINT REFERENCES applications(id) ON DELETE SET NULL,
    -- The queue ticket given at check-in, e.g. A01-007.
    ticket TEXT,
    checked_in_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (citizen, idempotency_key)
);
-- One active booking per citizen and item, enforced by the database.
CREATE UNIQUE INDEX bookings_one_active_per_item ON bookings(citizen, item) WHERE state = 'active';
CREATE INDEX bookings_citizen ON bookings(citizen, id);
CREATE INDEX bookings_slot ON bookings(hall, window_code, start_at);

-- Queue tickets: one counter per hall and local day, taken with a conditional update.
CREATE TABLE ticket_counters (
    hall TEXT NOT NULL,
    day TEXT NOT NULL,
    next BIGINT NOT NULL,
    PRIMARY KEY (hall, day)
);

-- Periods staff closed for booking, for one window or (window_code NULL) a whole hall.
CREATE TABLE blocked_periods (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    hall TEXT NOT NULL,
    window_code TEXT,
    start_at TEXT NOT NULL,
    end_at TEXT NOT NULL,
    reason TEXT NOT NULL,
    created_by BIGINT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL
);
CREATE INDEX blocked_periods_hall ON blocked_periods(hall, end_at);
