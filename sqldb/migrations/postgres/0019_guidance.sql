-- The resource library: guidance pages in Markdown, for the whole region (org_id '') or for one
-- organisation, each kept in every version. Guidance is about the work, never about a person, so
-- it is stored in the clear.
CREATE TABLE guide_pages (
	id TEXT PRIMARY KEY,
	org_id TEXT NOT NULL,
	slug TEXT NOT NULL,
	title TEXT NOT NULL,
	body TEXT NOT NULL,
	version INTEGER NOT NULL,
	updated_by TEXT NOT NULL,
	updated_at TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX guide_pages_slug ON guide_pages (org_id, slug);

CREATE TABLE guide_page_versions (
	page_id TEXT NOT NULL REFERENCES guide_pages(id) ON DELETE CASCADE,
	version INTEGER NOT NULL,
	title TEXT NOT NULL,
	body TEXT NOT NULL,
	updated_by TEXT NOT NULL,
	updated_at TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (page_id, version)
);
