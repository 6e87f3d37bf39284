-- Referrals between organisations (issue 4, item 7). A referral belongs to both its organisations:
-- the sender (from_org_id, the client's organisation) and the recipient (to_org_id). The reason,
-- the snapshot of what was shared and the reasons for a decline or a withdrawal are sealed with the
-- recipient organisation's data key (see sqldb/referral.go). shared lists the items chosen, by
-- key; the recipient never reads the client's row, only the snapshot. A referral goes with the
-- client: erasing the client erases every copy of what was shared about them.
CREATE TABLE referrals (
	id TEXT PRIMARY KEY,
	client_id TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
	from_org_id TEXT NOT NULL REFERENCES organisations(id),
	to_org_id TEXT NOT NULL REFERENCES organisations(id),
	directory_service_id TEXT NOT NULL DEFAULT '',
	directory_service_name TEXT NOT NULL DEFAULT '',
	reason BYTEA,
	shared TEXT NOT NULL,
	snapshot BYTEA,
	status TEXT NOT NULL,
	sent_by TEXT NOT NULL,
	sent_at TIMESTAMPTZ NOT NULL,
	accepted_by TEXT NOT NULL DEFAULT '',
	accepted_at TIMESTAMPTZ,
	declined_by TEXT NOT NULL DEFAULT '',
	declined_at TIMESTAMPTZ,
	decline_reason BYTEA,
	completed_by TEXT NOT NULL DEFAULT '',
	completed_at TIMESTAMPTZ,
	withdrawn_by TEXT NOT NULL DEFAULT '',
	withdrawn_at TIMESTAMPTZ,
	withdraw_reason BYTEA,
	version INTEGER NOT NULL
);
-- The sender's list on a client, and the recipient's inbound queue by status.
CREATE INDEX referrals_client ON referrals (client_id, sent_at);
CREATE INDEX referrals_inbound ON referrals (to_org_id, status, sent_at);
