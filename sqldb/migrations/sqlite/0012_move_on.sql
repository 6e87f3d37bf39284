-- Life after support: move-on plans and follow-ups after support ends (one per client per month of
-- the schedule), every saved version of each kept and the highest the current one; each organisation's
-- follow-up schedule, and notifications of tasks to staff with the email that tells of them.
CREATE TABLE move_on_plans (
	id TEXT PRIMARY KEY,
	client_id TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
	org_id TEXT NOT NULL,
	version INTEGER NOT NULL,
	support_ends_on TEXT NOT NULL,
	accommodation_type TEXT NOT NULL,
	accommodation_status TEXT NOT NULL,
	housing_duty TEXT NOT NULL,
	housing_authority TEXT NOT NULL,
	housing_applied_on TEXT NOT NULL,
	-- benefits holds "benefit=status" pairs separated by commas, in the order of the form.
	benefits TEXT NOT NULL,
	immigration_status TEXT NOT NULL,
	leave_expires_on TEXT NOT NULL,
	gp_registered TEXT NOT NULL,
	employment TEXT NOT NULL,
	support_services BLOB,
	notes BLOB,
	recorded_by TEXT NOT NULL,
	recorded_at TIMESTAMP NOT NULL,
	UNIQUE (client_id, version)
);

CREATE TABLE follow_ups (
	id TEXT PRIMARY KEY,
	client_id TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
	org_id TEXT NOT NULL,
	months INTEGER NOT NULL,
	due_on TEXT NOT NULL,
	contacted BOOLEAN NOT NULL,
	stable_accommodation TEXT NOT NULL,
	rough_sleeping TEXT NOT NULL,
	re_exploited TEXT NOT NULL,
	in_contact TEXT NOT NULL,
	-- attempts holds "date method" pairs separated by commas, oldest first.
	attempts TEXT NOT NULL,
	notes BLOB,
	version INTEGER NOT NULL,
	recorded_by TEXT NOT NULL,
	recorded_at TIMESTAMP NOT NULL,
	UNIQUE (client_id, months, version)
);
CREATE INDEX follow_ups_org ON follow_ups (org_id, months);

CREATE TABLE follow_up_schedules (
	org_id TEXT PRIMARY KEY REFERENCES organisations(id),
	months TEXT NOT NULL,
	updated_by TEXT NOT NULL,
	updated_at TIMESTAMP NOT NULL
);

CREATE TABLE notifications (
	id TEXT PRIMARY KEY,
	user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	task_id TEXT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
	created_at TIMESTAMP NOT NULL,
	read_at TIMESTAMP,
	emailed_at TIMESTAMP,
	email_attempts INTEGER NOT NULL DEFAULT 0,
	email_retry_at TIMESTAMP,
	UNIQUE (user_id, task_id)
);
CREATE INDEX notifications_user ON notifications (user_id, created_at);
-- A row only for staff who changed whether they want email notices; no row is yes.
CREATE TABLE notification_settings (
	user_id TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
	email BOOLEAN NOT NULL,
	updated_at TIMESTAMP NOT NULL
);
CREATE INDEX notifications_to_email ON notifications (user_id) WHERE emailed_at IS NULL AND read_at IS NULL;
