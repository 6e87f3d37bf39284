-- Tasks the tasks job opens from what is recorded and closes once their condition no longer holds.
-- Who a task is for is read from the client's assigned worker, so a reassignment moves it. Each
-- condition opens one task per record behind it (source) at a time.
CREATE TABLE tasks (
	id TEXT PRIMARY KEY,
	org_id TEXT NOT NULL,
	client_id TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
	kind TEXT NOT NULL,
	source TEXT NOT NULL,
	due_on TEXT NOT NULL,
	opened_at TIMESTAMPTZ NOT NULL,
	closed_at TIMESTAMPTZ
);
CREATE UNIQUE INDEX tasks_open ON tasks (client_id, kind, source) WHERE closed_at IS NULL;
CREATE INDEX tasks_org_open ON tasks (org_id, due_on) WHERE closed_at IS NULL;

-- Background jobs and when each runs next. A run claims its job by setting locked_until, so that
-- of several servers on one database only one runs it; a run that dies leaves the claim to expire.
-- The schedule is in the database, so a restart neither loses nor repeats a run.
CREATE TABLE jobs (
	name TEXT PRIMARY KEY,
	next_run_at TIMESTAMPTZ NOT NULL,
	locked_until TIMESTAMPTZ,
	last_run_at TIMESTAMPTZ,
	last_error TEXT NOT NULL DEFAULT '',
	runs INTEGER NOT NULL DEFAULT 0
);
