-- Joined-up working (issue 6). A share may let the partner add notes and the support it gives;
-- what it adds stays the owner's record of the client, sealed with the owner's key, and is shown
-- to the owner and to the partner organisation that added it, never to a third organisation.
ALTER TABLE case_shares ADD COLUMN allow_contributions BOOLEAN NOT NULL DEFAULT FALSE;
CREATE TABLE share_contributions (
	id TEXT PRIMARY KEY,
	share_id TEXT NOT NULL REFERENCES case_shares(id) ON DELETE CASCADE,
	client_id TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
	owner_org_id TEXT NOT NULL REFERENCES organisations(id),
	partner_org_id TEXT NOT NULL REFERENCES organisations(id),
	-- kind is note or support; the support fields are empty for a note.
	kind TEXT NOT NULL,
	support_type TEXT NOT NULL DEFAULT '',
	start_date TEXT NOT NULL DEFAULT '',
	end_date TEXT NOT NULL DEFAULT '',
	outcome TEXT NOT NULL DEFAULT '',
	body BLOB,
	added_by TEXT NOT NULL,
	added_at TIMESTAMP NOT NULL
);
CREATE INDEX share_contributions_client ON share_contributions (client_id, added_at);

-- A referral may carry record sections to share when the recipient accepts: chosen by a
-- safeguarding lead when sending, shared (share_id) or not, with why (share_refusal), on acceptance.
ALTER TABLE referrals ADD COLUMN share_sections TEXT NOT NULL DEFAULT '';
ALTER TABLE referrals ADD COLUMN share_purpose TEXT NOT NULL DEFAULT '';
ALTER TABLE referrals ADD COLUMN share_id TEXT NOT NULL DEFAULT '';
ALTER TABLE referrals ADD COLUMN share_refusal TEXT NOT NULL DEFAULT '';
