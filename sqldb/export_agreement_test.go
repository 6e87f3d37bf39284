package sqldb

import (
	"context"

	"waymark"
)

// AgreementCovers runs agreementCovers in a read transaction, for the tests in package sqldb_test.
func AgreementCovers(ctx context.Context, db *DB, orgA, orgB string, purpose waymark.SharingPurpose, today string) (bool, error) {
	var ok bool
	err := db.view(ctx, func(tx *Tx) (err error) {
		ok, err = tx.agreementCovers(ctx, orgA, orgB, purpose, today)
		return err
	})
	return ok, err
}
