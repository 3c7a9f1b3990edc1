-- The correction notice (its event in application_events) the applicant was last reminded
-- of before it is due (补正到期提醒): each notice is reminded of once, however many
-- instances run the background jobs. (sqlite)
ALTER TABLE applications ADD COLUMN correction_reminded_for BIGINT;
