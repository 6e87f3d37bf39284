package main

import (
	"context"
	"fmt"

	"waymark/sqldb"
)

func runAudit(ctx context.Context, e env, args []string) error {
	if len(args) == 0 || (args[0] != "verify" && args[0] != "-h" && args[0] != "--help") {
		fmt.Fprintln(e.stderr, "Usage: waymark audit verify [flags]")
		return fmt.Errorf("say what to do: `waymark audit verify`")
	}
	if args[0] == "verify" {
		args = args[1:]
	}
	fs := newFlagSet("audit verify", "check that no audit entry was altered, deleted or reordered", e)
	var f dbFlags
	f.register(fs, e)
	if err := fs.Parse(args); err != nil {
		return err
	}
	db, _, err := f.connect(ctx, e)
	if err != nil {
		return err
	}
	defer db.Close()
	res, err := sqldb.NewAuditService(db).VerifyAudit(ctx)
	if err != nil {
		return err
	}
	if !res.OK {
		fmt.Fprintf(e.stdout, "The audit trail is BROKEN at entry %d: %s.\n%d entries checked.\n", res.FirstBad, res.Problem, res.Entries)
		return errReported
	}
	fmt.Fprintf(e.stdout, "The audit trail is intact: %d entries checked, none altered, deleted or reordered.\n", res.Entries)
	return nil
}
