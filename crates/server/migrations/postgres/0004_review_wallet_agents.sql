-- Parallel review (并联审批), result documents, the document wallet (电子证照库) and agents (代办) (postgres).

-- The opinions other departments give on a case the lead department consults them on.
CREATE TABLE review_opinions (
    id BIGSERIAL PRIMARY KEY,
    application BIGINT NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
    department TEXT NOT NULL REFERENCES departments(code),
    requested_by BIGINT NOT NULL REFERENCES users(id),
    requested_at BIGINT NOT NULL,
    opinion TEXT,
    note TEXT NOT NULL DEFAULT '',
    answered_by BIGINT REFERENCES users(id),
    answered_at BIGINT,
    UNIQUE (application, department)
);
CREATE INDEX review_opinions_department ON review_opinions(department, opinion);

-- A file is a material the applicant uploaded or a result document staff issued.
ALTER TABLE files ADD COLUMN kind TEXT NOT NULL DEFAULT 'material';

-- When the case was decided, for predicting how long this item's cases take.
ALTER TABLE applications ADD COLUMN decided_at BIGINT;
-- Who applied on the applicant's behalf (代办), if anyone.
ALTER TABLE applications ADD COLUMN agent BIGINT REFERENCES users(id);
CREATE INDEX applications_agent ON applications(agent, id);
CREATE INDEX applications_item_decided ON applications(item, decided_at);

-- Documents kept for reuse: accepted materials and issued results, each its own copy in
-- storage, so that deleting one never touches a case's record (or the other way round).
CREATE TABLE wallet_documents (
    id BIGSERIAL PRIMARY KEY,
    owner BIGINT NOT NULL REFERENCES users(id),
    kind TEXT NOT NULL,
    slot TEXT NOT NULL,
    title TEXT NOT NULL,
    name TEXT NOT NULL,
    format TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    storage_key TEXT NOT NULL,
    source_application BIGINT REFERENCES applications(id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (owner, sha256, slot)
);

-- A citizen authorises another account to apply on their behalf (代办授权).
CREATE TABLE authorisations (
    id BIGSERIAL PRIMARY KEY,
    principal BIGINT NOT NULL REFERENCES users(id),
    agent BIGINT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL,
    revoked_at BIGINT
);
CREATE INDEX authorisations_agent ON authorisations(agent, principal);
