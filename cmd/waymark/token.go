package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"waymark"
	"waymark/sqldb"
)

func runToken(ctx context.Context, e env, args []string) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprintln(e.stderr, "Usage: waymark token create --user EMAIL [--ttl 24h] [--name NAME]\n       waymark token list --user EMAIL\n       waymark token revoke ID")
		if len(args) == 0 {
			return errors.New("say what to do: create, list or revoke")
		}
		return nil
	}
	sub := args[0]
	fs := newFlagSet("token "+sub, "manage API tokens", e)
	var f dbFlags
	f.register(fs, e)
	email := fs.String("user", "", "the email address of the user the token acts as")
	ttl := fs.Duration("ttl", waymark.DefaultTokenTTL, "how long the token works, for example 24h or 720h")
	name := fs.String("name", "command line", "what the token is for")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	db, _, err := f.connect(ctx, e)
	if err != nil {
		return err
	}
	defer db.Close()
	actor := waymark.SystemActor()
	tokens := sqldb.NewTokenService(db)
	findUser := func() (*waymark.User, error) {
		if *email == "" {
			return nil, errors.New("say whose token: --user EMAIL")
		}
		u, err := sqldb.NewUserService(db).FindUserByEmail(ctx, actor, *email)
		if err != nil {
			return nil, fmt.Errorf("no user has the email address %s", *email)
		}
		return u, nil
	}
	switch sub {
	case "create":
		u, err := findUser()
		if err != nil {
			return err
		}
		t, err := tokens.CreateToken(ctx, actor, u.ID, *name, *ttl)
		if err != nil {
			return cliError(err)
		}
		fmt.Fprintf(e.stderr, "Token %s for %s, expires %s. It is shown once:\n", t.Token.ID, u.Email, t.Token.ExpiresAt.Format(time.RFC3339))
		fmt.Fprintln(e.stdout, t.Secret)
	case "list":
		u, err := findUser()
		if err != nil {
			return err
		}
		toks, err := tokens.FindTokens(ctx, actor, u.ID)
		if err != nil {
			return cliError(err)
		}
		now := time.Now()
		for _, t := range toks {
			state := "active"
			if t.RevokedAt != nil {
				state = "revoked"
			} else if !t.Active(now) {
				state = "expired"
			}
			fmt.Fprintf(e.stdout, "%s\t%s\t%s\texpires %s\n", t.ID, state, t.Name, t.ExpiresAt.Format(time.RFC3339))
		}
	case "revoke":
		if fs.NArg() != 1 {
			return errors.New("say which token to revoke: waymark token revoke ID")
		}
		if err := tokens.RevokeToken(ctx, actor, fs.Arg(0)); err != nil {
			return cliError(err)
		}
		fmt.Fprintln(e.stdout, "Revoked.")
	default:
		return fmt.Errorf("unknown token command %q: use create, list or revoke", sub)
	}
	return nil
}
