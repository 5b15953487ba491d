// Package server is Kalan's HTTP application: the Fiber app, its routes
// (routes.go), middleware and handlers, one file per page or action.
// Handlers are thin: parse, call one service, map its errors, render;
// the services are built in server/app.
package server

import (
	"context"
	"errors"
	"log/slog"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/kalan-platform/kalan/locales"
	"github.com/kalan-platform/kalan/server/audit"
	"github.com/kalan-platform/kalan/server/auth"
	"github.com/kalan-platform/kalan/server/blob"
	"github.com/kalan-platform/kalan/server/catalog"
	"github.com/kalan-platform/kalan/server/cohort"
	"github.com/kalan-platform/kalan/server/library"
	"github.com/kalan-platform/kalan/server/pack"
	"github.com/kalan-platform/kalan/server/report"
	"github.com/kalan-platform/kalan/server/review"
	"github.com/kalan-platform/kalan/server/training"
	"github.com/kalan-platform/kalan/server/view"
)

// Check is one thing the health pages ask (dependencies.go): a part of
// this instance (Deps.Ready) or a shared dependency (Deps.Shared).
type Check struct {
	Name string // "mongodb", "object storage", "object storage write"
	Ping func(context.Context) error
}

// Deps is everything the application needs, built by main.
type Deps struct {
	Log      *slog.Logger
	Catalog  *catalog.Catalog
	Blobs    blob.Store
	Locales  *locales.Messages
	View     *view.View
	Registry *prometheus.Registry // metrics are registered here and served at /metrics
	// Metrics count what the store, the object storage and the services
	// report too; server/app builds them.
	Metrics *Metrics
	// Ready are checks of this instance alone, for /readyz; a balancer
	// drops the instance when one fails.
	Ready []Check
	// Shared are the dependencies every instance shares (database, object
	// storage): reported at /healthz?deps=1 and /metrics, never in
	// /readyz, so that their outage does not drop every instance at once.
	Shared []Check
	// DatabaseUp, when set, tells without waiting whether the database is
	// believed to answer (store.Store.Available): while it is not, signed-in
	// requests are served as a visitor's or answered 503 at once.
	DatabaseUp func() bool
	// LogSample thins the request log on small disks (see LogSample);
	// the zero value logs every request.
	LogSample RequestSample
	Auth      *auth.Service
	Cohorts   *cohort.Service
	Accounts  Accounts
	Audit     *audit.Log
	Training  *training.Service
	Reports   *report.Service
	Library   *library.Service
	Packs     *pack.Builder
	Records   AccountRecords  // what only a person's export reads
	Reviews   *review.Service // translation reviewers' drafts and marks
	// Backups are the scheduled backups, shown on /admin; nil: not shown.
	Backups BackupStatus
	// BaseURL is the public address, for join links and reset links.
	BaseURL string
	// TrustedProxies are the addresses of reverse proxies whose
	// X-Forwarded-For gives the client address (rate limits, audit log).
	TrustedProxies []string
	// SecureCookies marks cookies Secure when the base URL is https.
	SecureCookies bool
	// ReadTimeout bounds the reading of a request (30 s when zero). A
	// streamed upload gets it anew for each piece it reads, so a large
	// file on a slow link is cut only when it stalls.
	ReadTimeout time.Duration
}

// maxBody bounds every request body: forms and CSV files are small. Larger
// uploads (library files) will stream past it on their own route.
const maxBody = 2 << 20

// handlers carries the dependencies of every handler.
type handlers struct {
	Deps
	metrics     *Metrics
	deps        *dependencies // Shared, checked at most every depsFresh (health_show.go)
	logged      atomic.Uint64 // requests seen by the request log's sample
	compressed  *compressCache
	publicPages *pageCache // public pages as rendered for visitors (page_cache.go)
	// sharedPages are signed-in pages rendered with marks for the
	// reader's name, id and token (shared_page.go).
	sharedPages *pageCache
	publicHost  string   // host of BaseURL, for the Origin check
	proxies     proxies  // trusted reverse proxies (client_addr.go)
	sw          []byte   // the service worker script (sw_show.go)
	csp         string   // the Content-Security-Policy of every response (middleware_security.go)
	plans       sync.Map // offline plans by version, language and reader (offline_show.go)
}

// New builds the Fiber application.
func New(d Deps) (*fiber.App, error) {
	if d.ReadTimeout == 0 {
		d.ReadTimeout = 30 * time.Second
	}
	h := &handlers{Deps: d, compressed: newCompressCache(), publicPages: newPageCache(), sharedPages: newPageCache(), proxies: parseProxies(d.TrustedProxies)}
	if d.Catalog != nil {
		// A "reviewed" mark changes pages of a course version in place.
		h.publicPages.follow(d.Catalog.Epoch)
		h.sharedPages.follow(d.Catalog.Epoch)
	}
	if u, err := url.Parse(d.BaseURL); err == nil {
		h.publicHost = u.Host
	}
	if h.metrics = d.Metrics; h.metrics == nil {
		return nil, errors.New("server: no metrics (server/app builds them)")
	}
	h.deps = newDependencies(d.Shared, d.Log)
	if err := d.Registry.Register(h.deps); err != nil {
		return nil, err
	}
	var err error
	if h.sw, err = serviceWorker(d.View); err != nil {
		return nil, err
	}
	if h.csp, err = contentSecurityPolicy(d.View); err != nil {
		return nil, err
	}
	app := fiber.New(fiber.Config{
		// Fiber reuses request buffers: without Immutable, a string kept
		// after the handler returns (a log attribute, a cache key) could
		// change under our feet.
		Immutable:     true,
		CaseSensitive: true, // /METRICS is not /metrics: proxies block by exact path
		BodyLimit:     maxBody,
		// Bodies over BodyLimit reach the library upload handler as a
		// stream (limitBody refuses them everywhere else), so a 200 MB
		// file never sits in memory; multipart forms are parsed only when
		// a handler asks.
		StreamRequestBody:            true,
		DisablePreParseMultipartForm: true,
		// The client address (rate limits, audit log) is clientIP's, not
		// Fiber's c.IP(), which takes the left-most X-Forwarded-For entry:
		// one the client writes.
		ReadTimeout:           d.ReadTimeout,
		IdleTimeout:           90 * time.Second,
		ErrorHandler:          h.handleError,
		DisableStartupMessage: true,
		AppName:               "kalan",
	})
	h.routes(app)
	return app, nil
}
