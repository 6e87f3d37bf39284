package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"waymark/internal/demo"
	"waymark/sqldb"
)

func runDemo(ctx context.Context, e env, args []string) error {
	fs := newFlagSet("demo", "create a demo region with synthetic people in a new data directory, and serve it", e)
	var f serveFlags
	f.dbFlags.register(fs, e)
	f.register(fs, e)
	seed := fs.Int64("seed", 1, "seed for the synthetic region: the same seed makes the same region")
	clients := fs.Int("clients", demo.DefaultClients, "number of synthetic clients")
	noServe := fs.Bool("no-serve", false, "create the region and exit without serving")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if f.databaseURL == "" && f.dataDir == "" {
		f.dataDir = "demo-data"
	}
	if *clients < 0 || *clients > 1_000_000 {
		return errors.New("--clients must be between 0 and 1000000")
	}
	if f.dataDir != "" {
		if _, err := os.Stat(filepath.Join(f.dataDir, sqldb.SQLiteFile)); err == nil {
			return fmt.Errorf("%s already holds a database: remove it first (rm -rf %s) for a fresh demo region, or run `waymark serve --data-dir %s --key-file %s` to serve it again",
				f.dataDir, f.dataDir, f.dataDir, filepath.Join(f.dataDir, "master.key"))
		}
		if f.keyFile == "" {
			// The demo makes its own key, next to its database; a real deployment keeps the key elsewhere.
			if err := os.MkdirAll(f.dataDir, 0o700); err != nil {
				return fmt.Errorf("cannot create %s: %v; choose a directory you can write to with --data-dir", f.dataDir, unwrapPath(err))
			}
			f.keyFile = filepath.Join(f.dataDir, "master.key")
			if err := writeNewKey(f.keyFile); err != nil {
				return err
			}
		}
	}
	db, log, err := f.connect(ctx, e)
	if err != nil {
		return err
	}
	defer db.Close()
	start := time.Now()
	region, err := demo.Generate(ctx, demoServices(db), demo.Options{Seed: *seed, Clients: *clients, PasswordHash: sqldb.HashPassword(demo.Password)})
	if err != nil {
		return fmt.Errorf("creating the demo region: %w", cliError(err))
	}
	fmt.Fprintf(e.stdout, "Created the demo region %s: %d organisations, %d staff, %d synthetic clients (%.1fs).\n",
		region.Name, len(region.Organisations), len(region.Users), region.Clients, time.Since(start).Seconds())
	if *noServe {
		return nil
	}
	return serve(ctx, e, db, f, log, func(url string) {
		fmt.Fprintf(e.stdout, "\nOpen %s and sign in as any of these demo users. The password for all of them is: %s\n\n", url, demo.Password)
		for _, u := range region.Showcase() {
			fmt.Fprintf(e.stdout, "  %-20s %-48s %s\n", u.Role.Label(), u.Email, u.OrgName)
		}
		fmt.Fprintf(e.stdout, "\nEvery person in the demo region is fictional. Press Ctrl+C to stop.\n")
	})
}

// demoServices are the stores the demo region is generated through: every part of it.
func demoServices(db *sqldb.DB) demo.Services {
	return demo.Services{
		Organisations: sqldb.NewOrganisationService(db),
		Users:         sqldb.NewUserService(db),
		Clients:       sqldb.NewClientService(db),
		Notes:         sqldb.NewNoteService(db),
		Exploitation:  sqldb.NewExploitationService(db),
		Support:       sqldb.NewSupportService(db),
		Screenings:    sqldb.NewScreeningService(db),
		Journeys:      sqldb.NewJourneyService(db),
		Referrals:     sqldb.NewReferralService(db),
		Directory:     sqldb.NewDirectoryService(db),
		MoveOn:        sqldb.NewMoveOnService(db),
		Agreements:    sqldb.NewAgreementService(db),
		Consents:      sqldb.NewConsentService(db),
		Shares:        sqldb.NewShareService(db),
		Guidance:      sqldb.NewGuidanceService(db),
		Conferences:   sqldb.NewConferenceService(db),
		Training:      sqldb.NewTrainingService(db),
		Awareness:     sqldb.NewAwarenessService(db),
		Assessments:   sqldb.NewSelfAssessmentService(db),
	}
}
