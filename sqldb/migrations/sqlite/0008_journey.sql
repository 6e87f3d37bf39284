-- A client's NRM journey (DOMAIN.md §4): the pathway assistant's answers, steps taken, consent asked
-- for, referrals and Duty to Notify reports made, decisions and what followed them. Dates are
-- "YYYY-MM-DD" text; free text is sealed.
CREATE TABLE pathway_answers (
	client_id TEXT PRIMARY KEY REFERENCES clients(id) ON DELETE CASCADE,
	org_id TEXT NOT NULL,
	immediate_danger TEXT NOT NULL DEFAULT '',
	under_18 TEXT NOT NULL DEFAULT '',
	care_and_support_needs TEXT NOT NULL DEFAULT '',
	cooperates TEXT NOT NULL DEFAULT '',
	partner_org_id TEXT NOT NULL DEFAULT '',
	version INTEGER NOT NULL,
	updated_by TEXT NOT NULL,
	updated_at TIMESTAMP NOT NULL
);

CREATE TABLE nrm_consents (
	id TEXT PRIMARY KEY,
	client_id TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
	org_id TEXT NOT NULL,
	explained_nrm BOOLEAN NOT NULL,
	explained_support BOOLEAN NOT NULL,
	explained_outcomes BOOLEAN NOT NULL,
	explained_sharing BOOLEAN NOT NULL,
	answer TEXT NOT NULL,
	answered_on TEXT NOT NULL,
	asked_by TEXT NOT NULL,
	refusal_reason BLOB,
	ask_again_on TEXT NOT NULL DEFAULT '',
	recorded_by TEXT NOT NULL,
	recorded_at TIMESTAMP NOT NULL
);
CREATE INDEX nrm_consents_client ON nrm_consents (client_id, recorded_at);
-- The consents still to ask again, for the tasks job.
CREATE INDEX nrm_consents_ask_again ON nrm_consents (ask_again_on) WHERE ask_again_on <> '';

CREATE TABLE pathway_steps (
	id TEXT PRIMARY KEY,
	client_id TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
	org_id TEXT NOT NULL,
	kind TEXT NOT NULL,
	outcome TEXT NOT NULL,
	on_date TEXT NOT NULL,
	reference TEXT NOT NULL DEFAULT '',
	note BLOB,
	recorded_by TEXT NOT NULL,
	recorded_at TIMESTAMP NOT NULL
);
CREATE INDEX pathway_steps_client ON pathway_steps (client_id, recorded_at);

CREATE TABLE nrm_referrals (
	id TEXT PRIMARY KEY,
	client_id TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
	org_id TEXT NOT NULL,
	submitted_on TEXT NOT NULL,
	first_responder_org_id TEXT NOT NULL,
	reference TEXT NOT NULL DEFAULT '',
	recorded_by TEXT NOT NULL,
	recorded_at TIMESTAMP NOT NULL
);
CREATE INDEX nrm_referrals_client ON nrm_referrals (client_id, submitted_on);

CREATE TABLE nrm_decisions (
	id TEXT PRIMARY KEY,
	client_id TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
	org_id TEXT NOT NULL,
	stage TEXT NOT NULL,
	outcome TEXT NOT NULL,
	authority TEXT NOT NULL,
	decided_on TEXT NOT NULL,
	reconsideration_requested_on TEXT NOT NULL DEFAULT '',
	recorded_by TEXT NOT NULL,
	recorded_at TIMESTAMP NOT NULL
);
CREATE INDEX nrm_decisions_client ON nrm_decisions (client_id, decided_on);

CREATE TABLE nrm_milestones (
	id TEXT PRIMARY KEY,
	client_id TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
	org_id TEXT NOT NULL,
	kind TEXT NOT NULL,
	on_date TEXT NOT NULL,
	note BLOB,
	recorded_by TEXT NOT NULL,
	recorded_at TIMESTAMP NOT NULL
);
CREATE INDEX nrm_milestones_client ON nrm_milestones (client_id, on_date);

CREATE TABLE duty_to_notify_reports (
	id TEXT PRIMARY KEY,
	client_id TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
	org_id TEXT NOT NULL,
	agrees_to_cooperate BOOLEAN NOT NULL,
	submitted_on TEXT NOT NULL,
	reference TEXT NOT NULL DEFAULT '',
	recorded_by TEXT NOT NULL,
	recorded_at TIMESTAMP NOT NULL
);
CREATE INDEX duty_to_notify_reports_client ON duty_to_notify_reports (client_id, submitted_on);
