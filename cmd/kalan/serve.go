package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"os"
	"slices"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/kalan-platform/kalan/assets"
	"github.com/kalan-platform/kalan/courses"
	"github.com/kalan-platform/kalan/locales"
	"github.com/kalan-platform/kalan/server"
	"github.com/kalan-platform/kalan/server/app"
	"github.com/kalan-platform/kalan/server/blob"
	"github.com/kalan-platform/kalan/server/catalog"
	"github.com/kalan-platform/kalan/server/freshness"
	"github.com/kalan-platform/kalan/server/view"
)

// What an instance holds in memory (catalog, cohorts, library) follows
// the writes of other instances and of `kalan courses import` through the
// stamps (server/freshness), read every stampCheck; fullReload reloads it
// all whatever the stamps say, for changes made to the database by hand.
const (
	stampCheck = time.Second
	fullReload = 5 * time.Minute
)

func serve(ctx context.Context, e env, args []string) error {
	start := time.Now()
	var cfg config
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	cfg.bind(fs)
	if err := parseFlags(e, fs, args, "kalan serve [flags]"); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(e.stderr, "kalan serve: unexpected argument %q\n", fs.Arg(0))
		return errUsage
	}
	cfg.fromEnv(fs, e.getenv)
	if err := cfg.validate(); err != nil {
		return err
	}
	log := newLogger(e)
	log.Info("starting kalan", append([]any{"version", version}, cfg.logAttrs()...)...)

	st, err := openStorage(ctx, &cfg, log)
	if err != nil {
		return err
	}
	defer st.close(ctx)
	// Metrics first: the store and the object storage report every
	// operation to them (deploy/README.md, "Metrics and alerts").
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	metrics, err := server.NewMetrics(reg)
	if err != nil {
		return err
	}
	st.store.ObserveCommands(metrics)
	st.blobs = blob.Observed(st.blobs, metrics)
	if err := metrics.WatchDataDir(cfg.Data); err != nil {
		return err
	}

	loc, err := locales.Load(log)
	if err != nil {
		return err
	}
	v, err := view.New(assets.Templates(), assets.Static())
	if err != nil {
		return err
	}
	if err := importBundle(ctx, st, log); err != nil {
		return err
	}
	key, err := signingKey(&cfg)
	if err != nil {
		return err
	}
	backups, err := newBackups(&cfg, st, reg, log)
	if err != nil {
		return err
	}
	a, err := app.New(ctx, app.Parts{
		Store: st.store, Blobs: st.blobs, Key: key, Locales: loc, View: v, Log: log, Registry: reg, Metrics: metrics, Backups: backups,
		Options: app.Options{
			BaseURL: cfg.BaseURL, TrustedProxies: cfg.TrustedProxies, SecureCookies: cfg.secureCookies(),
			SessionIdle: cfg.SessionIdle, LibraryMaxSize: cfg.LibraryMaxMB << 20, StarterLibrary: true,
			WriteProbe: 30 * time.Second, LogSample: server.LogSample(cfg.LogSample),
		},
	})
	if err != nil {
		return err
	}
	if err := a.Freshness.Check(ctx); err != nil {
		return fmt.Errorf("cannot read the change stamps: %w", err)
	}
	web, err := server.New(a.Deps)
	if err != nil {
		return err
	}

	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("cannot listen on %s: %w (set KALAN_ADDR to a free address)", cfg.Addr, err)
	}
	go watch(ctx, a.Freshness, log)
	go repeat(ctx, fullReload, "full reload", a.Freshness.Reload, log)
	go repeat(ctx, sweepEvery, "sweep", func(ctx context.Context) error {
		n, err := st.store.Sweep(ctx, time.Now())
		if err != nil {
			return err
		}
		orphans, err := a.Library.SweepOrphans(ctx)
		if n+orphans > 0 {
			log.Info("expired records and orphan files deleted", "records", n, "files", orphans)
		}
		return err
	}, log)
	backups.Start(ctx) // scheduled backups (backup_cmd.go)
	served := make(chan error, 1)
	go func() { served <- web.Listener(ln) }()
	log.Info("ready", "addr", ln.Addr().String(), "url", cfg.BaseURL, "courses", len(a.Catalog.Published()), "startup_ms", time.Since(start).Milliseconds())

	select {
	case err := <-served:
		return fmt.Errorf("server stopped: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down")
	if err := web.ShutdownWithTimeout(15 * time.Second); err != nil {
		log.Warn("shutdown", "err", err)
	}
	backups.Wait() // an archive being written is abandoned, its temporary file removed
	log.Info("stopped")
	return nil
}

// sweepEvery is how often expired sessions, failure counts and reset links
// are deleted (FerretDB has no TTL index).
const sweepEvery = 5 * time.Minute

// repeat runs job every interval until ctx ends. A failure is logged and
// the next run tries again: the catalog and cohorts already in memory keep
// serving meanwhile.
func repeat(ctx context.Context, every time.Duration, name string, job func(context.Context) error, log *slog.Logger) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := job(ctx); err != nil && ctx.Err() == nil {
				log.Warn(name+" failed", "err", err)
			}
		}
	}
}

// watch checks the stamps every stampCheck. While the database is away it
// says so once, and once again when it is back, not every second.
func watch(ctx context.Context, w *freshness.Watcher, log *slog.Logger) {
	t := time.NewTicker(stampCheck)
	defer t.Stop()
	failing := false
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			err := w.Check(ctx)
			switch {
			case ctx.Err() != nil:
				return
			case err != nil && !failing:
				log.Warn("cannot check for changes made by other instances; serving what is in memory", "err", err)
			case err == nil && failing:
				log.Info("checking for changes made by other instances again")
			}
			failing = err != nil
		}
	}
}

// importBundle imports the embedded curriculum when no course is
// published yet, so that a new installation is useful the day it starts.
// It never publishes over a catalog that has courses: later versions come
// from `kalan courses import` or the reviewers. Bundled courses published
// as they are bundled only get their files kept (catalog.ErrNoFiles), so
// that an installation older than kept files can export and publish them.
func importBundle(ctx context.Context, st *storage, log *slog.Logger) error {
	published, err := st.store.Published(ctx)
	if err != nil {
		return fmt.Errorf("cannot read the course catalog: %w", err)
	}
	list, problems := courses.LoadAll(courses.Bundle())
	if len(problems) > 0 {
		return fmt.Errorf("the bundled curriculum has problems (a build defect): %v", problems)
	}
	if len(published) > 0 {
		hashes := map[string]string{}
		for _, p := range published {
			hashes[p.Slug] = p.Hash
		}
		list = slices.DeleteFunc(list, func(c *courses.Course) bool { return hashes[c.Slug] != c.Hash })
	}
	im := catalog.NewImporter(st.store, st.blobs)
	im.Progress = func(format string, args ...any) { log.Info("import: " + fmt.Sprintf(format, args...)) }
	if _, err := im.Import(ctx, courses.Bundle(), list); err != nil {
		return fmt.Errorf("cannot import the bundled curriculum: %w", err)
	}
	return nil
}

// newLogger writes structured logs to stderr: readable text on a terminal,
// JSON for log collectors otherwise.
func newLogger(e env) *slog.Logger {
	if f, ok := e.stderr.(*os.File); ok {
		if info, err := f.Stat(); err == nil && info.Mode()&os.ModeCharDevice != 0 {
			return slog.New(slog.NewTextHandler(e.stderr, nil))
		}
	}
	return slog.New(slog.NewJSONHandler(e.stderr, nil))
}
