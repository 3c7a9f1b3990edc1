-- Every notification fans out, in the transaction that writes it, to a pending delivery
-- for each push subscription and app device its user has (the outbox of the senders in
-- push.rs). A trigger, so that writing a notification is one statement.
CREATE TRIGGER notifications_fan_out AFTER INSERT ON notifications
BEGIN
    INSERT INTO deliveries (notification, channel, subscription, device, status, attempts, next_attempt_at, updated_at)
    SELECT NEW.id, 'web_push', s.id, NULL, 'pending', 0, NEW.created_at, NEW.created_at
      FROM push_subscriptions s WHERE s.user_id = NEW.user_id
    UNION ALL
    SELECT NEW.id, d.platform, NULL, d.id, 'pending', 0, NEW.created_at, NEW.created_at
      FROM device_tokens d WHERE d.user_id = NEW.user_id;
END;
