-- Every notification fans out, in the transaction that writes it, to a pending delivery
-- for each push subscription and app device its user has (the outbox of the senders in
-- push.rs). A trigger, so that writing a notification is one statement.
CREATE FUNCTION notifications_fan_out() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO deliveries (notification, channel, subscription, device, status, attempts, next_attempt_at, updated_at)
    SELECT NEW.id, 'web_push', s.id, NULL, 'pending', 0, NEW.created_at, NEW.created_at
      FROM push_subscriptions s WHERE s.user_id = NEW.user_id
    UNION ALL
    SELECT NEW.id, d.platform, NULL, d.id, 'pending', 0, NEW.created_at, NEW.created_at
      FROM device_tokens d WHERE d.user_id = NEW.user_id;
    RETURN NULL;
END
$$;
CREATE TRIGGER notifications_fan_out AFTER INSERT ON notifications
    FOR EACH ROW EXECUTE FUNCTION notifications_fan_out();

-- Ends the statement that calls it with an error whose message is `reason` (SQLSTATE
-- P0001), so that everything the statement wrote is undone: a booking's one statement
-- (db/bookings.rs) calls it when the citizen's week refuses after the seat was taken.
CREATE FUNCTION refuse(reason TEXT) RETURNS BIGINT LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION USING ERRCODE = 'P0001', MESSAGE = reason;
END
$$;
