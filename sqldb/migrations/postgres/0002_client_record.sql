-- The client record: who the person is, where they live, and the modern slavery concern with its history.

ALTER TABLE clients ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE clients ADD COLUMN estimated_age INTEGER NOT NULL DEFAULT 0;
ALTER TABLE clients ADD COLUMN age_disputed BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE clients ADD COLUMN nationality_answer TEXT NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN languages TEXT NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN interpreter_needed TEXT NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN communication_aid_needed TEXT NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN immigration_status TEXT NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN nrpf TEXT NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN dependent_children TEXT NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN situation TEXT NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN support_needs TEXT NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN concern_status TEXT NOT NULL DEFAULT 'not_yet_asked';
ALTER TABLE clients ADD COLUMN assigned_worker_id TEXT NOT NULL DEFAULT '';
CREATE INDEX clients_org_concern ON clients (org_id, concern_status);
CREATE INDEX clients_org_situation ON clients (org_id, situation);

-- Every change of concern status, dated and attributed; the reason is sealed.
CREATE TABLE client_concern_changes (
	id TEXT PRIMARY KEY,
	client_id TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
	org_id TEXT NOT NULL,
	at TIMESTAMPTZ NOT NULL,
	status TEXT NOT NULL,
	by_user_id TEXT NOT NULL DEFAULT '',
	reason BYTEA
);
CREATE INDEX client_concern_changes_client ON client_concern_changes (client_id, at);

-- Search keys of every name a client is known by (tokens and sound keys), for search before create.
CREATE TABLE client_name_keys (
	client_id TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
	org_id TEXT NOT NULL,
	key TEXT NOT NULL,
	PRIMARY KEY (client_id, key)
);
CREATE INDEX client_name_keys_org_key ON client_name_keys (org_id, key);
