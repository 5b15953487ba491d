package server

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Health has two audiences (docs/CONTRACT.md, deploy/README.md):
//   - the balancer asks /readyz whether THIS instance can serve: its
//     process and its in-memory catalog. A shared dependency is left out on
//     purpose: when the database blinks every instance would fail together
//     and the balancer would drop them all, blanking public lessons that
//     need no database at all;
//   - the operator asks /healthz?deps=1 and /metrics (kalan_dependency_up)
//     how the shared dependencies are.

// healthz answers while the process runs; ?deps=1 adds the state of the
// shared dependencies, and answers 503 when one fails (for an uptime
// probe, never for a balancer).
func (h *handlers) healthz(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	switch c.Query("deps") {
	case "", "0", "false":
		return c.SendString("ok")
	case "1", "true":
	default:
		return c.Status(fiber.StatusBadRequest).SendString("deps must be 1 (report the shared dependencies) or 0\n")
	}
	states := h.deps.check(c.UserContext())
	var b strings.Builder
	failed := false
	for _, s := range states {
		status := "ok"
		if !s.up {
			status, failed = "unavailable", true
		}
		b.WriteString(s.name + ": " + status + " (checked " + strconv.Itoa(int(time.Since(s.at).Seconds())) + " s ago)\n")
	}
	if failed {
		c.Status(fiber.StatusServiceUnavailable)
	}
	return c.SendString(b.String())
}

// readyz says whether this instance can serve: its in-memory catalog is
// loaded, and its own checks (Deps.Ready) pass.
func (h *handlers) readyz(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	ctx, cancel := context.WithTimeout(c.UserContext(), checkTimeout)
	defer cancel()
	// The catalog is loaded before the server starts (serve refuses to
	// start without it) and only replaced by newer ones after.
	failed := false
	lines := []string{"catalog: ok (" + strconv.Itoa(len(h.Catalog.Published())) + " courses)"}
	for _, check := range h.Ready {
		status := "ok"
		if err := check.Ping(ctx); err != nil {
			status, failed = "unavailable", true
			h.Log.Warn("readiness check failed", "check", check.Name, "err", err)
		}
		lines = append(lines, check.Name+": "+status)
	}
	if failed {
		c.Status(fiber.StatusServiceUnavailable)
	}
	return c.SendString(strings.Join(lines, "\n") + "\n")
}

func (h *handlers) metricsHandler() fiber.Handler {
	return adaptor.HTTPHandler(promhttp.HandlerFor(h.Registry, promhttp.HandlerOpts{}))
}
