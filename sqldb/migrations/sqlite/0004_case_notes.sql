-- Case notes, sealed, with every earlier text kept.

CREATE TABLE case_notes (
	id TEXT PRIMARY KEY,
	client_id TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
	org_id TEXT NOT NULL,
	author_id TEXT NOT NULL,
	created_at TIMESTAMP NOT NULL,
	updated_at TIMESTAMP NOT NULL,
	restricted BOOLEAN NOT NULL DEFAULT FALSE,
	version INTEGER NOT NULL DEFAULT 1,
	body BLOB NOT NULL
);
CREATE INDEX case_notes_client ON case_notes (client_id, created_at);

CREATE TABLE case_note_versions (
	id TEXT PRIMARY KEY,
	note_id TEXT NOT NULL REFERENCES case_notes(id) ON DELETE CASCADE,
	org_id TEXT NOT NULL,
	version INTEGER NOT NULL,
	body BLOB NOT NULL,
	edited_by TEXT NOT NULL,
	edited_at TIMESTAMP NOT NULL,
	UNIQUE (note_id, version)
);
