package main

import (
	"context"
	"fmt"
)

func runMigrate(ctx context.Context, e env, args []string) error {
	fs := newFlagSet("migrate", "apply database migrations and list them", e)
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
	names, err := db.Migrations(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "The %s database is up to date. Applied migrations:\n", db.Engine())
	for _, n := range names {
		fmt.Fprintln(e.stdout, " ", n)
	}
	return nil
}
