-- The kind of document (电子证照) a kept document is, from the material it was handed in for
-- (its `wallet_kind`, e.g. resident_id_card), so that it is offered for that kind of
-- material in any item, not only for the same slot code. (postgres)
ALTER TABLE wallet_documents ADD COLUMN wallet_kind TEXT;
