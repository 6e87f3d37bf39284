// Command waymark runs Waymark: the web server, the demo region, and the operator's commands.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // times are shown in Europe/London even where the machine has no zone database
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) && !errors.Is(err, errReported) {
			fmt.Fprintln(os.Stderr, "waymark:", err)
		}
		os.Exit(exitCode(err))
	}
}

// errReported means the command already told the user what went wrong.
var errReported = errors.New("reported")

func exitCode(err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return 2
	}
	return 1
}

// env is the program's surroundings, passed in so tests can run commands in-process.
type env struct {
	getenv func(string) string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

// command is one subcommand.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, e env, args []string) error
}

func commands() []command {
	return []command{
		{"serve", "run the web server", runServe},
		{"demo", "create a demo region with synthetic people and serve it", runDemo},
		{"migrate", "apply database migrations and list them", runMigrate},
		{"user", "add a user (bootstraps the first system admin)", runUser},
		{"token", "create, list and revoke API tokens", runToken},
		{"audit", "verify the audit trail's hash chain", runAudit},
		{"key", "generate a master key, or rotate it", runKey},
		{"version", "print the version", runVersion},
	}
}

// run is the whole program, callable from tests: it parses args and runs one subcommand.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	e := env{getenv: getenv, stdin: stdin, stdout: stdout, stderr: stderr}
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		if len(args) > 1 {
			for _, c := range commands() {
				if c.name == args[1] {
					return c.run(ctx, e, []string{"-h"})
				}
			}
		}
		usage(stdout)
		if len(args) == 0 {
			return flag.ErrHelp
		}
		return nil
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(ctx, e, args[1:])
		}
	}
	usage(stderr)
	return fmt.Errorf("unknown command %q: run `waymark help` to see the commands", args[0])
}

func usage(w io.Writer) {
	fmt.Fprint(w, `Waymark records, refers and supports people at risk of modern slavery.

Usage: waymark COMMAND [flags]

Commands:
`)
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprint(w, `
Run "waymark COMMAND -h" for a command's flags. Every flag can also be set in the environment:
WAYMARK_ADDR, WAYMARK_DATA_DIR, WAYMARK_DATABASE_URL, WAYMARK_KEY_FILE, WAYMARK_BASE_URL, WAYMARK_LOG_FORMAT,
WAYMARK_TRUSTED_PROXIES.
`)
}

func runVersion(ctx context.Context, e env, args []string) error {
	fs := newFlagSet("version", "print the version", e)
	if err := fs.Parse(args); err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, "waymark", version)
	return nil
}
