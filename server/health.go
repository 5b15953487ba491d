package server

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// healthz answers while the process runs.
func (h *handlers) healthz(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.SendString("ok")
}

// readyz asks every dependency at once, each with a short deadline, and
// says which one does not answer.
func (h *handlers) readyz(c *fiber.Ctx) error {
	ctx, cancel := context.WithTimeout(c.UserContext(), 2*time.Second)
	defer cancel()
	lines := make([]string, len(h.Ready))
	failed := false
	var wg sync.WaitGroup
	var mu sync.Mutex
	for i, check := range h.Ready {
		wg.Add(1)
		go func() {
			defer wg.Done()
			status := "ok"
			if err := check.Ping(ctx); err != nil {
				status = "unavailable"
				mu.Lock()
				failed = true
				mu.Unlock()
				h.Log.Warn("readiness check failed", "check", check.Name, "err", err)
			}
			lines[i] = check.Name + ": " + status
		}()
	}
	wg.Wait()
	c.Set(fiber.HeaderCacheControl, "no-store")
	if failed {
		c.Status(fiber.StatusServiceUnavailable)
	}
	return c.SendString(strings.Join(lines, "\n") + "\n")
}

func (h *handlers) metricsHandler() fiber.Handler {
	return adaptor.HTTPHandler(promhttp.HandlerFor(h.Registry, promhttp.HandlerOpts{}))
}
