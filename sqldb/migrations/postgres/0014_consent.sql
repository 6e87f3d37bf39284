-- Consent to use and share a client's record: each answer given, refused or withdrawn, or another
-- lawful basis recorded by a safeguarding lead, kept in order; the latest for a purpose (for
-- sharing, for each named organisation), by its date and then the order recorded, is the position. A client who refused or withdrew consent
-- to statistics is flagged on the client, so that every count can leave them out.
CREATE TABLE client_consents (
	id TEXT PRIMARY KEY,
	client_id TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
	org_id TEXT NOT NULL,
	purpose TEXT NOT NULL,
	basis TEXT NOT NULL,
	decision TEXT NOT NULL,
	-- org_ids holds the named organisations' IDs separated by spaces, in the order given.
	org_ids TEXT NOT NULL,
	on_date TEXT NOT NULL,
	expires_on TEXT NOT NULL,
	how_explained BYTEA,
	justification BYTEA,
	decided_by TEXT NOT NULL,
	-- seq orders a client's records as they were recorded, taken under a lock on the client.
	seq INTEGER NOT NULL,
	recorded_by TEXT NOT NULL,
	recorded_at TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX client_consents_client ON client_consents (client_id, seq);
CREATE INDEX client_consents_org ON client_consents (org_id, basis);

ALTER TABLE clients ADD COLUMN excluded_from_statistics BOOLEAN NOT NULL DEFAULT FALSE;
