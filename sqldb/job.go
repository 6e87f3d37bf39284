package sqldb

import (
	"context"
	"time"
)

// Job is background work run every Every. Its schedule is kept in the jobs table, so a restart
// runs it when it is next due, neither forgetting it nor running it twice.
type Job struct {
	Name  string
	Every time.Duration
	Run   func(ctx context.Context) error
}

// jobLease is how long a claimed run may take before another server may take it over: a run that
// died with its server is then run again. A run is given a little less than that to finish, so
// that a slow run is stopped before another server can start the same job.
const (
	jobLease   = 10 * time.Minute
	jobTimeout = jobLease - time.Minute
)

// RunDueJobs runs each job whose time has come and that no other server is running, and records
// when it ran, what went wrong and when it runs next. A job new to the table runs at once. It
// returns the first error in reaching the database; a job's own failure is recorded and the job is
// tried again at its next time.
func (db *DB) RunDueJobs(ctx context.Context, jobs []Job) (ran []string, err error) {
	for _, j := range jobs {
		claimed := false
		// The claim is the time it runs out; finishing is recorded only while the claim is still
		// this run's, so a run taken over by another server cannot clear that server's claim.
		var claim time.Time
		err := db.update(ctx, func(tx *Tx) error {
			if _, err := tx.ExecContext(ctx, `INSERT INTO jobs (name, next_run_at) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`, j.Name, tx.now); err != nil {
				return err
			}
			claim = tx.now.Add(jobLease)
			res, err := tx.ExecContext(ctx, `UPDATE jobs SET locked_until = $1 WHERE name = $2 AND next_run_at <= $3 AND (locked_until IS NULL OR locked_until < $3)`,
				claim, j.Name, tx.now)
			if err != nil {
				return err
			}
			n, err := res.RowsAffected()
			claimed = n == 1
			return err
		})
		if err != nil {
			return ran, err
		}
		if !claimed {
			continue
		}
		msg := ""
		runCtx, cancel := context.WithTimeout(ctx, jobTimeout)
		if runErr := j.Run(runCtx); runErr != nil {
			msg = runErr.Error()
		}
		cancel()
		kept := false
		if err := db.update(ctx, func(tx *Tx) error {
			res, err := tx.ExecContext(ctx, `UPDATE jobs SET locked_until = NULL, last_run_at = $1, next_run_at = $2, last_error = $3, runs = runs + 1
				WHERE name = $4 AND locked_until = $5`, tx.now, tx.now.Add(j.Every), msg, j.Name, claim)
			if err != nil {
				return err
			}
			n, err := res.RowsAffected()
			kept = n == 1
			return err
		}); err != nil {
			return ran, err
		}
		if kept {
			ran = append(ran, j.Name)
		}
	}
	return ran, nil
}

// JobStatus is what the jobs table says of one job.
type JobStatus struct {
	Name      string
	NextRunAt time.Time
	LastRunAt time.Time
	LastError string
	Runs      int
}

// FindJobs lists the jobs and how their last runs went, for operators.
func (db *DB) FindJobs(ctx context.Context) ([]JobStatus, error) {
	var out []JobStatus
	err := db.view(ctx, func(tx *Tx) error {
		return tx.eachRow(ctx, `SELECT name, next_run_at, last_run_at, last_error, runs FROM jobs ORDER BY name`, nil,
			func(row interface{ Scan(...any) error }) error {
				var s JobStatus
				var next, last nullTime
				if err := row.Scan(&s.Name, &next, &last, &s.LastError, &s.Runs); err != nil {
					return err
				}
				s.NextRunAt, s.LastRunAt = next.t, last.t
				out = append(out, s)
				return nil
			})
	})
	return out, err
}
