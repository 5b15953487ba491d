package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"time"

	"github.com/kalan-platform/kalan/locales"
	"github.com/kalan-platform/kalan/server/account"
	"github.com/kalan-platform/kalan/server/app"
	"github.com/kalan-platform/kalan/server/catalog"
	"github.com/kalan-platform/kalan/server/seed"
	"github.com/kalan-platform/kalan/server/training"
)

const seedSynopsis = "kalan seed --trainees N [--attempts K] [--password P] [--force] [flags]"

// seedCmd writes a synthetic installation for load tests (docs/CONTRACT.md):
// trainees seed-1@example.org … seed-N@example.org in cohorts of 50, with
// progress in the published courses, K submitted attempts each on the
// first, their certificates and the report facts; plus a trainer who runs
// every cohort and an admin, with the same password.
func seedCmd(ctx context.Context, e env, args []string) error {
	var cfg config
	fs := flag.NewFlagSet("seed", flag.ContinueOnError)
	cfg.bind(fs)
	trainees := fs.Int("trainees", 0, "number of synthetic trainees (required)")
	attempts := fs.Int("attempts", 5, "submitted quiz attempts of each trainee on the first course")
	password := fs.String("password", "seed-password-2027", "password of every synthetic account")
	force := fs.Bool("force", false, "seed even a database that holds real accounts")
	if err := parseFlags(e, fs, args, seedSynopsis); err != nil {
		return err
	}
	if *trainees < 1 || *trainees > 1_000_000 || *attempts < 0 || *attempts > 50 || fs.NArg() > 0 {
		fmt.Fprintln(e.stderr, "kalan seed: --trainees must be 1 to 1,000,000 and --attempts 0 to 50")
		fs.Usage()
		return errUsage
	}
	if len(*password) < 8 {
		return fmt.Errorf("--password must have at least 8 characters")
	}
	cfg.fromEnv(fs, e.getenv)
	if err := cfg.validate(); err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	st, err := openStorage(ctx, &cfg, log)
	if err != nil {
		return err
	}
	defer st.close(ctx)

	logins, err := st.store.Logins(ctx)
	if err != nil {
		return err
	}
	real := 0
	for _, l := range logins {
		if l == seed.Login(1) {
			return fmt.Errorf("this database is seeded already (%s exists): seed a new data directory or database", l)
		}
		if !seed.Synthetic(l) {
			real++
		}
	}
	if real > 0 && !*force {
		return fmt.Errorf("this database holds %d real accounts: seeding it would mix synthetic trainees into their reports (use --force to do it anyway, or seed a new data directory)", real)
	}

	loc, err := locales.Load(log)
	if err != nil {
		return err
	}
	if err := importBundle(ctx, st, log); err != nil {
		return err
	}
	cat := catalog.New(catalog.Deps{Store: st.store, Blobs: st.blobs, Words: loc.Translate(), Log: log})
	if err := cat.Refresh(ctx); err != nil {
		return fmt.Errorf("cannot load the published courses: %w", err)
	}
	key, err := signingKey(&cfg)
	if err != nil {
		return err
	}
	start := time.Now()
	hash, err := account.HashPassword(*password)
	if err != nil {
		return err
	}
	made, err := seed.Run(ctx, st.store, seed.Options{
		Trainees: *trainees, Attempts: *attempts, PasswordHash: hash, Courses: cat.Published(), Now: time.Now().UTC(),
		Signer: training.Signer{Key: key, Issuer: app.Issuer(cfg.BaseURL), Labels: loc.Translate()},
		Progress: func(n int) {
			if n%1000 == 0 || n == *trainees {
				fmt.Fprintf(e.stderr, "seeded %d of %d trainees (%s)\n", n, *trainees, time.Since(start).Round(time.Second))
			}
		},
	})
	if err != nil {
		return fmt.Errorf("seeding stopped after %d trainees: %w", made.Trainees, err)
	}
	fmt.Fprintf(e.stdout, "seeded %d trainees in %d cohorts, %d submitted attempts, %d certificates, in %s\n",
		made.Trainees, made.Cohorts, made.Attempts, made.Certificates, time.Since(start).Round(time.Millisecond))
	fmt.Fprintf(e.stdout, "sign in as %s … %s, %s (trainer of every cohort) or %s (admin), password %q\n",
		seed.Login(1), seed.Login(*trainees), seed.TrainerLogin, seed.AdminLogin, *password)
	return nil
}
