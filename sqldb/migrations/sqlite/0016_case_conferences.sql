-- Case conferences (issue 6, item 5): multi-agency meetings about people at risk. A conference is
-- chaired by one organisation and attended by others (the chair among them); it exists only for
-- their staff. held_on and due_on are London dates, "YYYY-MM-DD".
CREATE TABLE conferences (
	id TEXT PRIMARY KEY,
	chair_org_id TEXT NOT NULL REFERENCES organisations(id),
	title TEXT NOT NULL,
	held_on TEXT NOT NULL,
	status TEXT NOT NULL,
	created_by TEXT NOT NULL,
	created_at TIMESTAMP NOT NULL,
	version INTEGER NOT NULL,
	updated_by TEXT NOT NULL,
	updated_at TIMESTAMP NOT NULL
);

-- The attending organisations, in the order given, the chair first. Each organisation's list
-- starts from org_id.
CREATE TABLE conference_orgs (
	conference_id TEXT NOT NULL REFERENCES conferences(id) ON DELETE CASCADE,
	org_id TEXT NOT NULL REFERENCES organisations(id),
	position INTEGER NOT NULL,
	PRIMARY KEY (conference_id, org_id)
);
CREATE INDEX conference_orgs_org ON conference_orgs (org_id);

-- The agenda: clients put on it by the organisation that keeps their record. Who may see each
-- case is worked out on every request from the shares, agreements and consent, never stored here.
-- reason, sealed with the owner's key, says why a case is discussed without sharing.
CREATE TABLE conference_cases (
	conference_id TEXT NOT NULL REFERENCES conferences(id) ON DELETE CASCADE,
	client_id TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
	owner_org_id TEXT NOT NULL REFERENCES organisations(id),
	added_by TEXT NOT NULL,
	added_at TIMESTAMP NOT NULL,
	without_sharing BOOLEAN NOT NULL DEFAULT FALSE,
	reason BLOB,
	PRIMARY KEY (conference_id, client_id)
);
CREATE INDEX conference_cases_client ON conference_cases (client_id);

-- The minutes of each case, sealed with the key of the organisation that keeps the record.
CREATE TABLE conference_minutes (
	conference_id TEXT NOT NULL,
	client_id TEXT NOT NULL,
	body BLOB,
	version INTEGER NOT NULL,
	updated_by TEXT NOT NULL,
	updated_at TIMESTAMP NOT NULL,
	PRIMARY KEY (conference_id, client_id),
	FOREIGN KEY (conference_id, client_id) REFERENCES conference_cases(conference_id, client_id) ON DELETE CASCADE
);

-- Actions agreed, of one case (client_id set; body sealed with the owner's key) or of the whole
-- conference (client_id ''; body sealed with the chair's key). owner is the responsible person's
-- name in words, at owner_org_id, an attending organisation.
CREATE TABLE conference_actions (
	id TEXT PRIMARY KEY,
	conference_id TEXT NOT NULL REFERENCES conferences(id) ON DELETE CASCADE,
	client_id TEXT NOT NULL,
	body BLOB,
	owner_org_id TEXT NOT NULL REFERENCES organisations(id),
	owner TEXT NOT NULL,
	due_on TEXT NOT NULL,
	status TEXT NOT NULL,
	version INTEGER NOT NULL,
	created_by TEXT NOT NULL,
	created_at TIMESTAMP NOT NULL,
	updated_by TEXT NOT NULL,
	updated_at TIMESTAMP NOT NULL
);
CREATE INDEX conference_actions_conference ON conference_actions (conference_id, client_id);
