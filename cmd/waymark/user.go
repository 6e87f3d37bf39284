package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"strings"

	"waymark"
	"waymark/sqldb"
)

func runUser(ctx context.Context, e env, args []string) error {
	if len(args) == 0 || (args[0] != "add" && args[0] != "-h" && args[0] != "--help") {
		fmt.Fprintln(e.stderr, "Usage: waymark user add --email EMAIL --name NAME --role ROLE --org NAME [flags]")
		return errors.New("say what to do: `waymark user add`")
	}
	if args[0] == "add" {
		args = args[1:]
	}
	fs := newFlagSet("user add", "add a user; the first system admin is made this way", e)
	var f serveFlags
	f.dbFlags.register(fs, e)
	f.register(fs, e)
	email := fs.String("email", "", "the user's email address")
	name := fs.String("name", "", "the user's full name")
	role := fs.String("role", string(waymark.RoleSystemAdmin), "role: "+roleList())
	orgName := fs.String("org", "", "the organisation's name; created (type other, two-step sign-in required) if it does not exist")
	pwStdin := fs.Bool("password-stdin", false, "read the password from standard input instead of printing a set-password link")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *orgName == "" {
		return errors.New("say which organisation the user belongs to: --org NAME")
	}
	db, _, err := f.connect(ctx, e)
	if err != nil {
		return err
	}
	defer db.Close()
	actor := waymark.SystemActor()
	orgs := sqldb.NewOrganisationService(db)
	org, err := orgs.FindOrganisationByName(ctx, *orgName)
	if waymark.ErrorCode(err) == waymark.ENOTFOUND {
		org = &waymark.Organisation{Name: *orgName, Type: waymark.OrgOther, RequireTwoStep: true}
		if err = orgs.CreateOrganisation(ctx, actor, org); err == nil {
			fmt.Fprintf(e.stdout, "Created the organisation %q.\n", org.Name)
		}
	}
	if err != nil {
		return cliError(err)
	}
	u := &waymark.User{OrgID: org.ID, Email: *email, Name: *name, Role: waymark.Role(*role)}
	users := sqldb.NewUserService(db)
	if *pwStdin {
		line, err := bufio.NewReader(e.stdin).ReadString('\n')
		if err != nil && line == "" {
			return errors.New("no password on standard input")
		}
		pw := strings.TrimRight(line, "\r\n")
		if msg := waymark.ValidatePassword(pw, *email); msg != "" {
			return errors.New(msg)
		}
		if err := users.CreateUser(ctx, actor, u, sqldb.HashPassword(pw)); err != nil {
			return cliError(err)
		}
		fmt.Fprintf(e.stdout, "Added %s (%s) to %s. They can sign in now.\n", u.Email, u.Role.Label(), org.Name)
		return nil
	}
	inv, err := users.InviteUser(ctx, actor, u)
	if err != nil {
		return cliError(err)
	}
	base := f.baseURL
	if base == "" {
		base = "http://" + f.addr
	}
	fmt.Fprintf(e.stdout, "Added %s (%s) to %s.\nGive them this link to set their password (it works once, for 7 days):\n  %s/set-password/%s\n",
		u.Email, u.Role.Label(), org.Name, strings.TrimRight(base, "/"), inv.Token)
	return nil
}

func roleList() string {
	var s []string
	for _, r := range waymark.Roles {
		s = append(s, string(r))
	}
	return strings.Join(s, ", ")
}

// cliError turns a domain error into one line that says what to fix.
func cliError(err error) error {
	if fields := waymark.ErrorFields(err); len(fields) > 0 {
		var parts []string
		for k, v := range fields {
			parts = append(parts, "--"+k+": "+v)
		}
		return errors.New(strings.Join(parts, "; "))
	}
	var we *waymark.Error
	if errors.As(err, &we) && we.Code != waymark.EINTERNAL {
		return errors.New(we.Message)
	}
	return err
}
