// Package server is Kalan's HTTP application: the Fiber app, its routes
// (routes.go), middleware and handlers, one file per page or action.
// Handlers are thin: parse, ask the catalog or a store, render.
package server

import (
	"context"
	"log/slog"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/prometheus/client_golang/prometheus"

	"kalan/locales"
	"kalan/server/blob"
	"kalan/server/catalog"
	"kalan/server/view"
)

// Check is one dependency that /readyz asks.
type Check struct {
	Name string // "mongodb", "object storage"
	Ping func(context.Context) error
}

// Deps is everything the application needs, built by main.
type Deps struct {
	Log      *slog.Logger
	Catalog  *catalog.Catalog
	Blobs    blob.Store
	Locales  *locales.Catalog
	View     *view.View
	Registry *prometheus.Registry // metrics are registered here and served at /metrics
	Ready    []Check
	// SecureCookies marks cookies Secure when the base URL is https.
	SecureCookies bool
}

// handlers carries the dependencies of every handler.
type handlers struct {
	Deps
	metrics    *httpMetrics
	compressed *compressCache
}

// New builds the Fiber application.
func New(d Deps) (*fiber.App, error) {
	h := &handlers{Deps: d, compressed: newCompressCache()}
	m, err := newHTTPMetrics(d.Registry)
	if err != nil {
		return nil, err
	}
	h.metrics = m
	app := fiber.New(fiber.Config{
		// Fiber reuses request buffers: without Immutable, a string kept
		// after the handler returns (a log attribute, a cache key) could
		// change under our feet.
		Immutable:             true,
		CaseSensitive:         true, // /METRICS is not /metrics: proxies block by exact path
		BodyLimit:             1 << 20,
		ReadTimeout:           30 * time.Second,
		IdleTimeout:           90 * time.Second,
		ErrorHandler:          h.handleError,
		DisableStartupMessage: true,
		AppName:               "kalan",
	})
	h.routes(app)
	return app, nil
}
