// Command kalan runs the Kalan platform and its administration commands
// (docs/CONTRACT.md): serve, courses check, courses import, users create,
// seed, backup, restore, version.
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
)

// version is set at build time: -ldflags "-X main.version=1.2.3".
var version = "dev"

// errUsage marks a mistake on the command line: exit status 2, and the
// usage has already been printed.
var errUsage = errors.New("usage")

// env is the process environment and streams, so that commands can be run
// from tests.
type env struct {
	args           []string
	getenv         func(string) string
	stdin          io.Reader
	stdout, stderr io.Writer
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	e := env{args: os.Args[1:], getenv: os.Getenv, stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr}
	err := run(ctx, e)
	stop()
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
	case errors.Is(err, errUsage):
		os.Exit(2)
	default:
		fmt.Fprintln(os.Stderr, "kalan:", err)
		os.Exit(1)
	}
}

const usage = `Kalan: training against trafficking in persons.

Usage:
  kalan serve [flags]            run the platform (http://localhost:8080 by default)
  kalan courses check DIR        validate the course folders under DIR
  kalan courses import DIR       publish a new version of each changed course
  kalan users create --email E --name N --role trainee|trainer|admin [--password-stdin]
                                 create an account
  kalan seed --trainees N [--attempts K] [--password P] [--force]
                                 fill a new installation with synthetic trainees, for load tests
  kalan backup FILE              write one archive of the installation (while it serves, too)
  kalan restore FILE             restore an archive into an empty installation
  kalan version                  print the version

Every command accepts --help. Configuration comes from KALAN_* environment
variables, each also a flag of serve (kalan serve --help lists them).
`

// run dispatches to a command.
func run(ctx context.Context, e env) error {
	if len(e.args) == 0 {
		fmt.Fprint(e.stderr, usage)
		return errUsage
	}
	cmd, rest := e.args[0], e.args[1:]
	switch cmd {
	case "serve":
		return serve(ctx, e, rest)
	case "courses":
		return coursesCmd(ctx, e, rest)
	case "users":
		return usersCmd(ctx, e, rest)
	case "seed":
		return seedCmd(ctx, e, rest)
	case "backup":
		return backupCmd(ctx, e, rest)
	case "restore":
		return restoreCmd(ctx, e, rest)
	case "version", "--version":
		fmt.Fprintln(e.stdout, "kalan", version)
		return nil
	case "help", "-h", "-help", "--help":
		fmt.Fprint(e.stdout, usage)
		return nil
	default:
		fmt.Fprintf(e.stderr, "kalan: unknown command %q\n\n%s", cmd, usage)
		return errUsage
	}
}

// parseFlags parses a command's flags, printing its usage on --help and
// on mistakes.
func parseFlags(e env, fs *flag.FlagSet, args []string, synopsis string) error {
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: %s\n", synopsis)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	return nil
}
