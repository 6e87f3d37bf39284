package sqldb

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"waymark"
)

// personKey is the key that makes one person of the records several organisations keep of them, so
// regional statistics count people, not records: the hex SHA-256 of the normalised given and
// family names and the full date of birth. A record without all three is its own person ("c:" and
// its id): two records that merely share a name, or a name and a year of birth, are not merged.
func personKey(m waymark.NameMatcher, id, given, family, dateOfBirth string) string {
	g, f := m.Normalize(given), m.Normalize(family)
	if g == "" || f == "" || !isFullDate(dateOfBirth) {
		return "c:" + id
	}
	sum := sha256.Sum256([]byte(g + "\x1f" + f + "\x1f" + dateOfBirth))
	return hex.EncodeToString(sum[:])
}

// isFullDate reports whether s is shaped "YYYY-MM-DD" (Validate has already checked the date).
func isFullDate(s string) bool {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return false
	}
	return strings.Trim(s[:4]+s[5:7]+s[8:], "0123456789") == ""
}

// personKeyBatch is how many clients one backfill statement keys: 2 values each, well within
// SQLite's limit on bound values.
const personKeyBatch = 500

// fillPersonKeys keys the clients written before person keys existed (migration 0021), a batch
// per transaction. Every later write keys the client in the same transaction, so after the first
// start-up this finds nothing, through the index on person_key.
func (db *DB) fillPersonKeys(ctx context.Context) error {
	for {
		type row struct{ id, key string }
		var batch []row
		err := db.view(ctx, func(tx *Tx) error {
			return tx.eachRow(ctx, `SELECT id, given_name, family_name, date_of_birth FROM clients WHERE person_key = '' LIMIT `+itoa(personKeyBatch), nil,
				func(r interface{ Scan(...any) error }) error {
					var id, given, family, dob string
					if err := r.Scan(&id, &given, &family, &dob); err != nil {
						return err
					}
					batch = append(batch, row{id, personKey(db.matcher, id, given, family, dob)})
					return nil
				})
		})
		if err != nil {
			return fmt.Errorf("cannot read clients to key for statistics: %w", err)
		}
		if len(batch) == 0 {
			return nil
		}
		values := make([]string, len(batch))
		args := make([]any, 0, 2*len(batch))
		for i, r := range batch {
			values[i] = "($" + itoa(2*i+1) + ", $" + itoa(2*i+2) + ")"
			args = append(args, r.id, r.key)
		}
		// One statement per batch: a round trip per client would take minutes on PostgreSQL.
		if err := db.update(ctx, func(tx *Tx) error {
			_, err := tx.ExecContext(ctx, `WITH v (id, k) AS (VALUES `+strings.Join(values, ", ")+`)
				UPDATE clients SET person_key = (SELECT k FROM v WHERE v.id = clients.id) WHERE id IN (SELECT id FROM v)`, args...)
			return err
		}); err != nil {
			return fmt.Errorf("cannot key clients for statistics: %w", err)
		}
	}
}
