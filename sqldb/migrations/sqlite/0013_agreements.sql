-- Data sharing agreements between organisations (issue 6, item 1): which organisations share
-- personal data, for what purposes, on what lawful basis, from when until when, and when the
-- agreement is next reviewed. Each organisation sees the agreements it is a party to; only the
-- admins of the organisation that recorded one change it. start_on, end_on and review_on are
-- London dates, "YYYY-MM-DD"; end_on is '' for an agreement with no end date. purposes holds the
-- closed-list values separated by commas, with a comma at each end (",support,referral,"), so
-- that `LIKE '%,support,%'` finds one. An agreement names no client, so nothing here is sealed.
CREATE TABLE data_sharing_agreements (
	id TEXT PRIMARY KEY,
	title TEXT NOT NULL,
	reference TEXT NOT NULL,
	purposes TEXT NOT NULL,
	lawful_basis TEXT NOT NULL,
	start_on TEXT NOT NULL,
	end_on TEXT NOT NULL,
	review_on TEXT NOT NULL,
	status TEXT NOT NULL,
	recorded_by_org_id TEXT NOT NULL REFERENCES organisations(id),
	version INTEGER NOT NULL,
	updated_by TEXT NOT NULL,
	updated_at TIMESTAMP NOT NULL
);

-- The parties, in the order given; the recording organisation is always one of them. Each
-- organisation's list, and the check that an agreement covers two organisations, start from org_id.
CREATE TABLE agreement_parties (
	agreement_id TEXT NOT NULL REFERENCES data_sharing_agreements(id) ON DELETE CASCADE,
	org_id TEXT NOT NULL REFERENCES organisations(id),
	position INTEGER NOT NULL,
	-- confirmed_at is when the party's admins confirmed the agreement's terms; NULL until then.
	confirmed_at TIMESTAMP,
	confirmed_by TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (agreement_id, org_id)
);
CREATE INDEX agreement_parties_org ON agreement_parties (org_id);
