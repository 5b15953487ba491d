package server

import (
	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/etag"
	"github.com/gofiber/fiber/v2/middleware/recover"
)

// routes is the one route table of the application.
func (h *handlers) routes(app *fiber.App) {
	// Middleware, outermost first. ORDER MATTERS:
	//   - recover turns a panic into an error for the error handler;
	//   - observe logs and counts every request, errors included, so it
	//     wraps everything below it;
	//   - compress works on the finished body, after etag: the ETag is
	//     computed on the uncompressed page, and a 304 has nothing to compress;
	//   - language must run before any page is rendered.
	app.Use(recover.New())
	app.Use(h.observe)
	app.Use(securityHeaders)
	app.Use(h.compress)
	app.Use(etag.New(etag.Config{Weak: true}))
	app.Use(h.language)

	// Operations.
	app.Get("/healthz", h.healthz)
	app.Get("/readyz", h.readyz)
	app.Get("/metrics", h.metricsHandler())

	// Static files and course media: immutable, content-addressed URLs.
	app.Get("/static/*", h.staticShow)
	app.Get("/media/:hash", h.mediaShow)

	// Public pages.
	app.Get("/", h.homeShow)
	app.Get("/courses", h.catalogShow)
	app.Get("/courses/:slug", h.courseShow)
	app.Get("/courses/:slug/lessons/:lesson", h.lessonShow)
}
