// Package app is the composition root: it builds every service of Kalan,
// and the dependencies of the web application, from the parts an
// installation is made of (database, object storage, signing key, clock,
// options). `kalan serve` and the tests of package server build with it
// alike, so that what is tested is what is served.
package app

import (
	"context"
	"crypto/ed25519"
	"fmt"
	"log/slog"
	"net/url"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/kalan-platform/kalan/assets"
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
	"github.com/kalan-platform/kalan/server/review"
	"github.com/kalan-platform/kalan/server/session"
	"github.com/kalan-platform/kalan/server/store"
	"github.com/kalan-platform/kalan/server/training"
	"github.com/kalan-platform/kalan/server/view"
)

// Parts are what an application is built from.
type Parts struct {
	Store    *store.Store
	Blobs    blob.Store
	Key      ed25519.PrivateKey // signs certificates
	Locales  *locales.Messages
	View     *view.View
	Log      *slog.Logger
	Registry *prometheus.Registry // nil: a new one
	// Metrics, when the caller built them to hand them to the store and
	// the object storage too; nil: new ones on Registry.
	Metrics *server.Metrics
	Backups server.BackupStatus // nil: none shown
	Now     func() time.Time    // nil: time.Now
	Options
}

// Options say how the application runs (docs/CONTRACT.md's KALAN_* settings).
type Options struct {
	// BaseURL is the public address; certificates name the installation
	// after its host.
	BaseURL        string
	TrustedProxies []string
	SecureCookies  bool
	SessionIdle    time.Duration // zero: session.DefaultPolicy's
	LibraryMaxSize int64         // bytes per library file
	// StarterLibrary imports the library bundled with Kalan (what it
	// does not hold yet) before loading the library.
	StarterLibrary bool
	// WriteProbe, when not zero, adds a write to object storage to the
	// shared checks, at most once per WriteProbe (reads can work while
	// writes fail).
	WriteProbe  time.Duration
	LogSample   server.RequestSample
	ReadTimeout time.Duration // zero: server.New's
}

// App is a built application: the dependencies of server.New, with every
// service loaded, and the watcher that reloads what this instance holds in
// memory when another instance changes it (its Check is the caller's).
type App struct {
	server.Deps
	Freshness *freshness.Watcher
}

// New builds every service, loads what they hold in memory (published
// courses, cohorts, library) and returns them with the dependencies of
// server.New.
func New(ctx context.Context, p Parts) (*App, error) {
	st, log := p.Store, p.Log
	if p.Now == nil {
		p.Now = time.Now
	}
	if p.Registry == nil {
		p.Registry = prometheus.NewRegistry()
	}
	metrics := p.Metrics
	if metrics == nil {
		m, err := server.NewMetrics(p.Registry)
		if err != nil {
			return nil, err
		}
		metrics = m
	}

	cat := catalog.New(catalog.Deps{Store: st, Blobs: p.Blobs, Words: p.Locales.Translate(), Log: log, Reviewed: st.ReviewedLanguages})
	if err := cat.Refresh(ctx); err != nil {
		return nil, fmt.Errorf("cannot load the published courses: %w", err)
	}
	auditLog := audit.NewLog(st, log)
	// A "reviewed" mark or a publication reloads this instance's catalog
	// at once (the store's new catalog stamp tells the others).
	reviews := review.NewService(review.Deps{Store: st, Recordings: st, Blobs: p.Blobs, Courses: catalog.NewImporter(st, p.Blobs),
		Audit: auditLog, Marked: cat.Refresh, Now: p.Now})
	// The recorder of report facts comes before the services that enrol
	// people, which tell it of each join; it reads the cohorts from the
	// cache the cohort service then shares.
	reports := report.NewService(st, log)
	cohortCache := cohort.NewCache(st)
	recorder := training.NewRecorder(training.RecorderDeps{Users: st, Attempts: st, Certificates: st, Catalog: cat,
		Facts: reports, Cohorts: cohortCache, Log: log})
	policy := session.DefaultPolicy()
	if p.SessionIdle != 0 {
		policy.Idle = p.SessionIdle
	}
	authSvc := auth.New(auth.Deps{Users: st, Resets: st, Sessions: session.NewManager(st, policy, log), Failures: st,
		Audit: auditLog, OnJoin: recorder.Joined, Log: log, Now: p.Now})
	cohorts := cohort.NewService(cohort.Deps{Store: st, Members: st, Failures: st, Audit: auditLog, Cache: cohortCache,
		OnJoin: recorder.Joined, Log: log, Now: p.Now})
	if err := cohorts.Refresh(ctx); err != nil {
		return nil, fmt.Errorf("cannot load the cohorts: %w", err)
	}
	lib := library.NewService(library.Deps{Store: st, Blobs: p.Blobs, Audit: auditLog, Log: log, MaxSize: p.LibraryMaxSize, Now: p.Now})
	if p.StarterLibrary {
		published := func(slug string) bool { _, ok := cat.Lookup(slug); return ok }
		if n, err := lib.ImportBundle(ctx, assets.Library(), p.Locales.Supported, published); err != nil {
			return nil, fmt.Errorf("cannot import the starter library: %w", err)
		} else if n > 0 {
			log.Info("starter library imported", "items", n)
		}
	}
	if err := lib.Refresh(ctx); err != nil {
		return nil, fmt.Errorf("cannot load the library: %w", err)
	}
	fresh := freshness.New(st.Stamps, freshness.Kind{Name: store.StampCatalog, Reload: cat.Refresh},
		freshness.Kind{Name: store.StampCohorts, Reload: cohorts.Refresh}, freshness.Kind{Name: store.StampLibrary, Reload: lib.Refresh})
	if err := metrics.WatchFreshness(fresh.FreshAt); err != nil {
		return nil, err
	}
	packs, err := pack.New(pack.Deps{Blobs: p.Blobs, Library: lib, Text: p.Locales.Translate(), Names: languageName(p.Locales),
		Templates: assets.Templates()})
	if err != nil {
		return nil, err
	}
	trainingSvc := training.New(training.Deps{Progress: st, Attempts: st, Certificates: st, Catalog: cat, Cohorts: cohortCache,
		Audit: auditLog, Key: p.Key, Issuer: Issuer(p.BaseURL), Labels: p.Locales.Translate(), Recorder: recorder,
		SyncLog: st, Outcomes: metrics, Log: log, Now: p.Now})

	// Readiness is this instance's alone (its catalog); the shared
	// dependencies are reported, not used to drop every instance.
	shared := []server.Check{{Name: "mongodb", Ping: st.Ping}, {Name: "object storage", Ping: p.Blobs.Ping}}
	if p.WriteProbe > 0 {
		shared = append(shared, server.Check{Name: "object storage write", Ping: blob.NewWriteProbe(p.Blobs, p.WriteProbe).Check})
	}
	return &App{
		Deps: server.Deps{
			Log: log, Catalog: cat, Blobs: p.Blobs, Locales: p.Locales, View: p.View, Registry: p.Registry, Metrics: metrics,
			Shared: shared, DatabaseUp: st.Available, LogSample: p.LogSample,
			Auth: authSvc, Cohorts: cohorts, Accounts: st, Records: st, Audit: auditLog, Training: trainingSvc, Reports: reports,
			Library: lib, Packs: packs, Backups: p.Backups, Reviews: reviews,
			BaseURL: p.BaseURL, TrustedProxies: p.TrustedProxies, SecureCookies: p.SecureCookies, ReadTimeout: p.ReadTimeout,
		},
		Freshness: fresh,
	}, nil
}

// Issuer names the installation at baseURL in the certificates it signs.
func Issuer(baseURL string) string {
	if u, err := url.Parse(baseURL); err == nil && u.Host != "" {
		return "Kalan " + u.Host
	}
	return "Kalan"
}

// languageName is a language's own name, or its code when it is not an
// interface language.
func languageName(loc *locales.Messages) func(string) string {
	return func(code string) string {
		if l, ok := loc.Language(code); ok {
			return l.Name
		}
		return code
	}
}
