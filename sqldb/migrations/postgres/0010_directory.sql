-- The referral routes directory (DOMAIN.md §4): services described with the Open Referral HSDS
-- vocabulary, each kept by one organisation. Lists (needs, genders, languages) are stored bounded by
-- commas (",a,b,") so that one LIKE finds an item in both engines; their values are closed codes.
-- The location (address, town, postcode) is sealed with the keeping organisation's key: a safe
-- house's address is opened only for that organisation's staff. search_text holds the lower-case
-- name, description and area, never the location, so a search cannot find a safe house by address.
CREATE TABLE directory_services (
	id TEXT PRIMARY KEY,
	org_id TEXT NOT NULL REFERENCES organisations(id),
	hsds_id TEXT NOT NULL DEFAULT '',
	name TEXT NOT NULL,
	name_key TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT '',
	status TEXT NOT NULL,
	needs TEXT NOT NULL DEFAULT '',
	min_age INTEGER NOT NULL DEFAULT 0,
	max_age INTEGER NOT NULL DEFAULT 0,
	genders TEXT NOT NULL DEFAULT '',
	accepts_children BOOLEAN NOT NULL DEFAULT FALSE,
	accepts_nrpf BOOLEAN NOT NULL DEFAULT FALSE,
	languages TEXT NOT NULL DEFAULT '',
	area TEXT NOT NULL DEFAULT '',
	email TEXT NOT NULL DEFAULT '',
	phone TEXT NOT NULL DEFAULT '',
	url TEXT NOT NULL DEFAULT '',
	confidential_location BOOLEAN NOT NULL DEFAULT FALSE,
	location BYTEA,
	capacity INTEGER,
	capacity_updated_at TIMESTAMPTZ,
	search_text TEXT NOT NULL DEFAULT '',
	created_by TEXT NOT NULL DEFAULT '',
	created_at TIMESTAMPTZ NOT NULL,
	updated_at TIMESTAMPTZ NOT NULL,
	version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX directory_services_name ON directory_services (name_key, id);
CREATE INDEX directory_services_org ON directory_services (org_id, name_key);
CREATE UNIQUE INDEX directory_services_hsds ON directory_services (org_id, hsds_id) WHERE hsds_id <> '';
