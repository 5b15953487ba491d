package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/kalan-platform/kalan/assets"
	"github.com/kalan-platform/kalan/courses"
	"github.com/kalan-platform/kalan/locales"
	"github.com/kalan-platform/kalan/server"
	"github.com/kalan-platform/kalan/server/audit"
	"github.com/kalan-platform/kalan/server/auth"
	"github.com/kalan-platform/kalan/server/blob"
	"github.com/kalan-platform/kalan/server/catalog"
	"github.com/kalan-platform/kalan/server/cohort"
	"github.com/kalan-platform/kalan/server/freshness"
	"github.com/kalan-platform/kalan/server/library"
	"github.com/kalan-platform/kalan/server/pack"
	"github.com/kalan-platform/kalan/server/report"
	"github.com/kalan-platform/kalan/server/session"
	"github.com/kalan-platform/kalan/server/store"
	"github.com/kalan-platform/kalan/server/training"
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
	cat := catalog.New(st.store, st.blobs, func(lang, id string, data map[string]any) string { return loc.Localizer(lang).T(id, data) }, log)
	if err := importBundleIfEmpty(ctx, st, log); err != nil {
		return err
	}
	if err := cat.Refresh(ctx); err != nil {
		return fmt.Errorf("cannot load the published courses: %w", err)
	}

	auditLog := audit.NewLog(st.store, log)
	policy := session.DefaultPolicy()
	policy.Idle = cfg.SessionIdle
	authSvc := auth.New(st.store, st.store, session.NewManager(st.store, policy, log), st.store, auditLog, log)
	cohorts := cohort.NewService(st.store, st.store, st.store, auditLog, log)
	if err := cohorts.Refresh(ctx); err != nil {
		return fmt.Errorf("cannot load the cohorts: %w", err)
	}
	key, err := signingKey(&cfg)
	if err != nil {
		return err
	}
	lib := library.NewService(st.store, st.blobs, auditLog, log, cfg.LibraryMaxMB<<20)
	published := func(slug string) bool { _, ok := cat.Lookup(slug); return ok }
	if n, err := lib.ImportBundle(ctx, assets.Library(), loc.Supported, published); err != nil {
		return fmt.Errorf("cannot import the starter library: %w", err)
	} else if n > 0 {
		log.Info("starter library imported", "items", n)
	}
	if err := lib.Refresh(ctx); err != nil {
		return fmt.Errorf("cannot load the library: %w", err)
	}
	fresh := freshness.New(st.store.Stamps, freshness.Kind{Name: store.StampCatalog, Reload: cat.Refresh},
		freshness.Kind{Name: store.StampCohorts, Reload: cohorts.Refresh}, freshness.Kind{Name: store.StampLibrary, Reload: lib.Refresh})
	if err := fresh.Check(ctx); err != nil {
		return fmt.Errorf("cannot read the change stamps: %w", err)
	}
	packs, err := pack.New(st.blobs, lib, func(lang, id string, data map[string]any) string { return loc.Localizer(lang).T(id, data) },
		func(code string) string {
			if l, ok := loc.Language(code); ok {
				return l.Name
			}
			return code
		}, assets.Templates())
	if err != nil {
		return err
	}
	reports := report.NewService(st.store, log)
	trainingSvc := training.New(st.store, st.store, st.store, cat, auditLog, key, issuer(cfg.BaseURL),
		func(lang, id string) string { return loc.Localizer(lang).T(id, nil) },
		training.Reporting{Facts: reports, CohortsOf: cohorts.OfMember}, log)
	authSvc.OnJoin, cohorts.OnJoin = trainingSvc.Joined, trainingSvc.Joined
	trainingSvc.Outcomes = metrics
	if err := metrics.WatchFreshness(fresh.FreshAt); err != nil {
		return err
	}

	backups, err := newBackups(&cfg, st, reg, log)
	if err != nil {
		return err
	}
	app, err := server.New(server.Deps{
		Log: log, Catalog: cat, Blobs: st.blobs, Locales: loc, View: v, Registry: reg, Metrics: metrics,
		// Readiness is this instance's alone (its catalog); the shared
		// dependencies are reported, not used to drop every instance.
		Shared: []server.Check{
			{Name: "mongodb", Ping: st.store.Ping},
			{Name: "object storage", Ping: st.blobs.Ping},
			{Name: "object storage write", Ping: blob.NewWriteProbe(st.blobs, 30*time.Second).Check},
		},
		DatabaseUp: st.store.Available,
		LogSample:  server.LogSample(cfg.LogSample),
		Auth:       authSvc, Cohorts: cohorts, Accounts: st.store, Records: st.store, Audit: auditLog, Training: trainingSvc, Reports: reports, Library: lib, Packs: packs,
		SyncLog: st.store, BaseURL: cfg.BaseURL, TrustedProxies: cfg.TrustedProxies, SecureCookies: cfg.secureCookies(),
		Backups: backups,
	})
	if err != nil {
		return err
	}

	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("cannot listen on %s: %w (set KALAN_ADDR to a free address)", cfg.Addr, err)
	}
	go watch(ctx, fresh, log)
	go repeat(ctx, fullReload, "full reload", fresh.Reload, log)
	go repeat(ctx, sweepEvery, "sweep", func(ctx context.Context) error {
		n, err := st.store.Sweep(ctx, time.Now())
		if err != nil {
			return err
		}
		orphans, err := lib.SweepOrphans(ctx)
		if n+orphans > 0 {
			log.Info("expired records and orphan files deleted", "records", n, "files", orphans)
		}
		return err
	}, log)
	backups.Start(ctx) // scheduled backups (backup_cmd.go)
	served := make(chan error, 1)
	go func() { served <- app.Listener(ln) }()
	log.Info("ready", "addr", ln.Addr().String(), "url", cfg.BaseURL, "courses", len(cat.Published()), "startup_ms", time.Since(start).Milliseconds())

	select {
	case err := <-served:
		return fmt.Errorf("server stopped: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down")
	if err := app.ShutdownWithTimeout(15 * time.Second); err != nil {
		log.Warn("shutdown", "err", err)
	}
	backups.Wait() // an archive being written is abandoned, its temporary file removed
	log.Info("stopped")
	return nil
}

// issuer names this installation in the certificates it signs.
func issuer(baseURL string) string {
	if u, err := url.Parse(baseURL); err == nil && u.Host != "" {
		return "Kalan " + u.Host
	}
	return "Kalan"
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

// importBundleIfEmpty imports the embedded curriculum when no course is
// published yet, so that a new installation is useful the day it starts.
// It never runs again: later versions come from `kalan courses import`.
func importBundleIfEmpty(ctx context.Context, st *storage, log *slog.Logger) error {
	published, err := st.store.Published(ctx)
	if err != nil {
		return fmt.Errorf("cannot read the course catalog: %w", err)
	}
	if len(published) > 0 {
		return nil
	}
	list, problems := courses.LoadAll(courses.Bundle())
	if len(problems) > 0 {
		return fmt.Errorf("the bundled curriculum has problems (a build defect): %v", problems)
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
