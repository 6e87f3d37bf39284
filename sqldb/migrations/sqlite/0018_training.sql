-- Training records and awareness activities (issue 7, items 1 and 2). The course catalogue is the
-- region's: every organisation reads it and records completions of any course; only the keeping
-- organisation (org_id) changes a course. Volunteers are people without a Waymark account whose
-- training an organisation records. A completion is for exactly one member of staff (user_id) or
-- volunteer (volunteer_id); person_key ("u:<id>" or "v:<id>") makes the same person, course and
-- date unique. Expiry is not stored: it follows from the course's validity when read, so a change
-- of validity is reflected at once. Dates are London dates, "YYYY-MM-DD". None of this is about
-- clients, so nothing here is sealed.
CREATE TABLE training_courses (
	id TEXT PRIMARY KEY,
	org_id TEXT NOT NULL REFERENCES organisations(id),
	name TEXT NOT NULL,
	name_key TEXT NOT NULL,
	provider TEXT NOT NULL,
	level TEXT NOT NULL,
	validity_months INTEGER NOT NULL,
	version INTEGER NOT NULL,
	created_by TEXT NOT NULL,
	created_at TIMESTAMP NOT NULL,
	updated_at TIMESTAMP NOT NULL
);
CREATE INDEX training_courses_name ON training_courses (name_key);

CREATE TABLE volunteers (
	id TEXT PRIMARY KEY,
	org_id TEXT NOT NULL REFERENCES organisations(id),
	name TEXT NOT NULL,
	name_key TEXT NOT NULL,
	active BOOLEAN NOT NULL,
	added_on TEXT NOT NULL,
	ended_on TEXT NOT NULL DEFAULT '',
	version INTEGER NOT NULL,
	created_at TIMESTAMP NOT NULL,
	updated_at TIMESTAMP NOT NULL
);
CREATE INDEX volunteers_org ON volunteers (org_id, name_key);

CREATE TABLE training_completions (
	id TEXT PRIMARY KEY,
	org_id TEXT NOT NULL REFERENCES organisations(id),
	course_id TEXT NOT NULL REFERENCES training_courses(id),
	user_id TEXT REFERENCES users(id),
	volunteer_id TEXT REFERENCES volunteers(id),
	person_key TEXT NOT NULL,
	completed_on TEXT NOT NULL,
	recorded_by TEXT NOT NULL,
	recorded_at TIMESTAMP NOT NULL,
	CHECK ((user_id IS NULL) <> (volunteer_id IS NULL)),
	UNIQUE (person_key, course_id, completed_on)
);
CREATE INDEX training_completions_org ON training_completions (org_id, completed_on);

CREATE TABLE awareness_activities (
	id TEXT PRIMARY KEY,
	org_id TEXT NOT NULL REFERENCES organisations(id),
	held_on TEXT NOT NULL,
	audience TEXT NOT NULL,
	attending INTEGER NOT NULL,
	topic TEXT NOT NULL,
	delivered_by TEXT NOT NULL,
	notes TEXT NOT NULL,
	version INTEGER NOT NULL,
	recorded_by TEXT NOT NULL,
	created_at TIMESTAMP NOT NULL,
	updated_at TIMESTAMP NOT NULL
);
CREATE INDEX awareness_activities_org ON awareness_activities (org_id, held_on);
