-- How the result of a case reaches the applicant (pickup code and window, or courier).
ALTER TABLE applications ADD COLUMN delivery TEXT;
