-- Regional statistics: a person key on each client, so that one person recorded by several
-- organisations counts once, and indexes on the dates the year-range reads select by, holding the
-- columns those reads return so that they never visit the rows.
-- person_key is the hex SHA-256 of the normalised given name, family name and full date of birth,
-- or "c:" and the client's id when any is missing; the store fills it on every write and, for
-- clients written before this migration, once at start-up.
ALTER TABLE clients ADD COLUMN person_key TEXT NOT NULL DEFAULT '';
CREATE INDEX clients_person_key ON clients (person_key);
CREATE INDEX screenings_asked_at ON screenings (asked_at, client_id, id);
CREATE INDEX client_concern_changes_at ON client_concern_changes (at, status, client_id, id);
CREATE INDEX nrm_referrals_submitted_on ON nrm_referrals (submitted_on, client_id, id);
CREATE INDEX duty_to_notify_reports_submitted_on ON duty_to_notify_reports (submitted_on, client_id, id);
CREATE INDEX nrm_decisions_decided_on ON nrm_decisions (decided_on, stage, client_id, id, outcome);
CREATE INDEX follow_ups_months_due_on ON follow_ups (months, due_on, client_id, version, id);
