-- A client's record shared by its organisation with a partner organisation, by sections. Whether
-- a share lets the partner see the record is worked out on every request from its revocation, the
-- agreements in force and the client's consent, so that a change to any takes effect at once.
CREATE TABLE case_shares (
	id TEXT PRIMARY KEY,
	client_id TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
	owner_org_id TEXT NOT NULL REFERENCES organisations(id),
	partner_org_id TEXT NOT NULL REFERENCES organisations(id),
	purpose TEXT NOT NULL,
	-- sections holds the shared sections separated by spaces.
	sections TEXT NOT NULL,
	shared_by TEXT NOT NULL,
	shared_at TIMESTAMPTZ NOT NULL,
	revoked_at TIMESTAMPTZ,
	revoked_by TEXT NOT NULL DEFAULT '',
	revoke_reason BYTEA
);
CREATE INDEX case_shares_client ON case_shares (client_id);
CREATE INDEX case_shares_partner ON case_shares (partner_org_id) WHERE revoked_at IS NULL;
-- One share at a time of a client with a partner: to change what is shared, revoke and share again.
CREATE UNIQUE INDEX case_shares_open ON case_shares (client_id, partner_org_id) WHERE revoked_at IS NULL;
