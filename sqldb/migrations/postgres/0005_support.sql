-- How a client was supported (DOMAIN.md §3): a log of support given or arranged, each with its type,
-- provider, dates and outcome. Dates are "YYYY-MM-DD" text: they are days, not instants. Notes are sealed.
CREATE TABLE support_actions (
	id TEXT PRIMARY KEY,
	client_id TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
	org_id TEXT NOT NULL,
	support_type TEXT NOT NULL,
	provider_org_id TEXT NOT NULL DEFAULT '',
	provider_name TEXT NOT NULL DEFAULT '',
	start_date TEXT NOT NULL,
	end_date TEXT NOT NULL DEFAULT '',
	outcome TEXT NOT NULL DEFAULT '',
	notes BYTEA,
	recorded_by TEXT NOT NULL DEFAULT '',
	recorded_at TIMESTAMPTZ NOT NULL,
	version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX support_actions_client ON support_actions (client_id, start_date);

-- A client's housing history: where they were living, from and to (dates as above). Notes are sealed.
CREATE TABLE homelessness_episodes (
	id TEXT PRIMARY KEY,
	client_id TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
	org_id TEXT NOT NULL,
	situation TEXT NOT NULL,
	from_date TEXT NOT NULL,
	to_date TEXT NOT NULL DEFAULT '',
	notes BYTEA,
	recorded_by TEXT NOT NULL DEFAULT '',
	recorded_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX homelessness_episodes_client ON homelessness_episodes (client_id, from_date);
