-- The legal time limit (法定时限) in working days as the guide said on acceptance, beside
-- the promised one: the case's legal deadline. NULL for cases accepted before. (sqlite)
ALTER TABLE applications ADD COLUMN legal_days BIGINT;
