-- Organisations, staff, sessions, tokens, the audit chain, data keys and the core of the client record.

CREATE TABLE organisations (
	id TEXT PRIMARY KEY,
	name TEXT NOT NULL,
	name_key TEXT NOT NULL UNIQUE,
	type TEXT NOT NULL,
	area TEXT NOT NULL DEFAULT '',
	first_responder BOOLEAN NOT NULL DEFAULT FALSE,
	specified_public_authority BOOLEAN NOT NULL DEFAULT FALSE,
	require_two_step BOOLEAN NOT NULL DEFAULT TRUE,
	disabled BOOLEAN NOT NULL DEFAULT FALSE,
	created_at TIMESTAMP NOT NULL,
	updated_at TIMESTAMP NOT NULL
);

CREATE TABLE users (
	id TEXT PRIMARY KEY,
	org_id TEXT NOT NULL REFERENCES organisations(id),
	email TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL,
	role TEXT NOT NULL,
	disabled BOOLEAN NOT NULL DEFAULT FALSE,
	password_hash TEXT,
	totp_secret BLOB,
	totp_last_step BIGINT NOT NULL DEFAULT 0,
	created_at TIMESTAMP NOT NULL,
	updated_at TIMESTAMP NOT NULL,
	last_sign_in_at TIMESTAMP
);
CREATE INDEX users_org ON users (org_id, name);

CREATE TABLE invitations (
	token_hash TEXT PRIMARY KEY,
	user_id TEXT NOT NULL UNIQUE REFERENCES users(id) ON DELETE CASCADE,
	expires_at TIMESTAMP NOT NULL,
	created_at TIMESTAMP NOT NULL
);

CREATE TABLE recovery_codes (
	user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	code_hash TEXT NOT NULL,
	used_at TIMESTAMP,
	PRIMARY KEY (user_id, code_hash)
);

CREATE TABLE sessions (
	id TEXT PRIMARY KEY,
	token_hash TEXT NOT NULL UNIQUE,
	user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	created_at TIMESTAMP NOT NULL,
	last_seen_at TIMESTAMP NOT NULL,
	two_step_done BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
	id TEXT PRIMARY KEY,
	token_hash TEXT NOT NULL UNIQUE,
	user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	name TEXT NOT NULL,
	created_at TIMESTAMP NOT NULL,
	expires_at TIMESTAMP NOT NULL,
	last_used_at TIMESTAMP,
	revoked_at TIMESTAMP
);
CREATE INDEX api_tokens_user ON api_tokens (user_id, created_at);

CREATE TABLE signin_failures (
	id INTEGER PRIMARY KEY,
	key TEXT NOT NULL,
	at TIMESTAMP NOT NULL
);
CREATE INDEX signin_failures_key ON signin_failures (key, at);

CREATE TABLE audit_log (
	seq BIGINT PRIMARY KEY,
	at TIMESTAMP NOT NULL,
	actor_user_id TEXT NOT NULL DEFAULT '',
	actor_label TEXT NOT NULL DEFAULT '',
	org_id TEXT NOT NULL DEFAULT '',
	action TEXT NOT NULL,
	object_type TEXT NOT NULL DEFAULT '',
	object_id TEXT NOT NULL DEFAULT '',
	addr TEXT NOT NULL DEFAULT '',
	detail TEXT NOT NULL DEFAULT '',
	prev_hash TEXT NOT NULL,
	hash TEXT NOT NULL
);
CREATE INDEX audit_log_org ON audit_log (org_id, seq);

-- The head of the audit chain: the last sequence number and hash. Updating it in every audited
-- transaction serialises appends, and lets verification notice entries cut from the end.
CREATE TABLE audit_head (
	id INTEGER PRIMARY KEY CHECK (id = 1),
	seq BIGINT NOT NULL,
	hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '');

-- Data keys, one or more versions per organisation, each wrapped by the master key.
CREATE TABLE org_keys (
	org_id TEXT NOT NULL REFERENCES organisations(id),
	version INTEGER NOT NULL,
	wrapped BLOB NOT NULL,
	created_at TIMESTAMP NOT NULL,
	PRIMARY KEY (org_id, version)
);

-- A known value sealed with the master key, to tell a wrong key from a right one at start-up.
CREATE TABLE key_check (
	id INTEGER PRIMARY KEY CHECK (id = 1),
	sealed BLOB NOT NULL
);

CREATE TABLE clients (
	id TEXT PRIMARY KEY,
	org_id TEXT NOT NULL REFERENCES organisations(id),
	reference TEXT NOT NULL DEFAULT '',
	given_name TEXT NOT NULL DEFAULT '',
	family_name TEXT NOT NULL DEFAULT '',
	known_as TEXT NOT NULL DEFAULT '',
	search_names TEXT NOT NULL DEFAULT '',
	date_of_birth TEXT NOT NULL DEFAULT '',
	gender TEXT NOT NULL DEFAULT '',
	nationalities TEXT NOT NULL DEFAULT '',
	contact_details BLOB,
	notes BLOB,
	created_by TEXT NOT NULL DEFAULT '',
	created_at TIMESTAMP NOT NULL,
	updated_at TIMESTAMP NOT NULL
);
CREATE INDEX clients_org ON clients (org_id, family_name, given_name);
