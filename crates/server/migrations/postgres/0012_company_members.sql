-- A business member who registers with the credit code of a company that already has
-- members waits until one of them confirms them (1 = waiting): until then they act on
-- none of its cases. Everyone already a member stays one.
ALTER TABLE users ADD COLUMN company_pending BIGINT NOT NULL DEFAULT 0;
