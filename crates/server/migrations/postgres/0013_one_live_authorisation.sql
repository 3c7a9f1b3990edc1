-- One live authorisation per principal and agent: two grants at once could both find
-- none and both insert. Duplicates made before are revoked as of their own creation
-- (the oldest stays live), so that the index can be built.
UPDATE authorisations SET revoked_at = created_at
 WHERE revoked_at IS NULL AND id NOT IN (
     SELECT MIN(id) FROM authorisations WHERE revoked_at IS NULL GROUP BY principal, agent);
CREATE UNIQUE INDEX authorisations_live ON authorisations (principal, agent) WHERE revoked_at IS NULL;
