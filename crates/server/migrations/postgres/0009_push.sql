-- Push delivery of notifications: browser subscriptions (Web Push), app device tokens
-- (FCM, APNs), users' settings, and
-- one delivery record per notification and target with its status and attempts (postgres).

-- Secrets shared by every instance (the VAPID key), made once by whichever comes first.
CREATE TABLE server_secrets (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE push_subscriptions (
    id BIGSERIAL PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id),
    endpoint TEXT NOT NULL UNIQUE,
    p256dh TEXT NOT NULL,
    auth TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX push_subscriptions_user ON push_subscriptions(user_id);

-- The app's device tokens at the mobile push gateways (FCM, APNs).
CREATE TABLE device_tokens (
    id BIGSERIAL PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id),
    platform TEXT NOT NULL,
    token TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL
);
CREATE INDEX device_tokens_user ON device_tokens(user_id);

-- JSON of NotificationSettings (quiet hours, kinds muted for push).
CREATE TABLE notification_settings (
    user_id BIGINT PRIMARY KEY REFERENCES users(id),
    body TEXT NOT NULL
);

-- Written with the notification; sent by whichever instance leases it first.
CREATE TABLE deliveries (
    id BIGSERIAL PRIMARY KEY,
    notification BIGINT NOT NULL REFERENCES notifications(id),
    channel TEXT NOT NULL,
    subscription BIGINT REFERENCES push_subscriptions(id) ON DELETE SET NULL,
    device BIGINT REFERENCES device_tokens(id) ON DELETE SET NULL,
    status TEXT NOT NULL,
    attempts BIGINT NOT NULL,
    next_attempt_at BIGINT NOT NULL,
    lease_until BIGINT,
    last_error TEXT,
    updated_at BIGINT NOT NULL
);
CREATE INDEX deliveries_due ON deliveries(status, next_attempt_at);
CREATE INDEX deliveries_notification ON deliveries(notification);
