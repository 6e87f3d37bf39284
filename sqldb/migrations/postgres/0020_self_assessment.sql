-- Self-assessment (issue 7, items 4 to 7): an organisation's assessments against a version of the
-- framework (embedded in the binary, see selfassessment/), and its action plan. answers holds the
-- answers and evidence notes as JSON keyed by criterion ID; measures holds the measures frozen on
-- the day the assessment was completed (NULL for a draft, whose measures are computed when read).
-- started_on and completed_on are London dates, "YYYY-MM-DD". An organisation has at most one
-- draft at a time. Evidence notes must not name clients, so nothing here is sealed.
CREATE TABLE self_assessments (
	id TEXT PRIMARY KEY,
	org_id TEXT NOT NULL REFERENCES organisations(id),
	framework_version TEXT NOT NULL,
	status TEXT NOT NULL,
	started_on TEXT NOT NULL,
	completed_on TEXT NOT NULL DEFAULT '',
	answers TEXT NOT NULL,
	measures TEXT,
	version INTEGER NOT NULL,
	started_by TEXT NOT NULL,
	updated_by TEXT NOT NULL,
	updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX self_assessments_org ON self_assessments (org_id, status, completed_on);
-- One draft at a time per organisation, even when two managers press Start at once.
CREATE UNIQUE INDEX self_assessments_one_draft ON self_assessments (org_id) WHERE status = 'draft';

-- The action plan carries over from one assessment to the next, so it belongs to the
-- organisation, not to an assessment. recommendation is '' or one of R1 to R7.
CREATE TABLE self_assessment_actions (
	id TEXT PRIMARY KEY,
	org_id TEXT NOT NULL REFERENCES organisations(id),
	action TEXT NOT NULL,
	owner TEXT NOT NULL,
	due_on TEXT NOT NULL,
	status TEXT NOT NULL,
	recommendation TEXT NOT NULL DEFAULT '',
	version INTEGER NOT NULL,
	created_by TEXT NOT NULL,
	updated_by TEXT NOT NULL,
	updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX self_assessment_actions_org ON self_assessment_actions (org_id, status, due_on);
