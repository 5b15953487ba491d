package server

import (
	"context"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"
	"github.com/prometheus/client_golang/prometheus"
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

const (
	// depsFresh is how long a dependency's result is reused: a scrape
	// every 15 s and a few operators never multiply the checks.
	depsFresh = 10 * time.Second
	// checkTimeout bounds one check.
	checkTimeout = 3 * time.Second
)

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

// dependencies checks the shared dependencies, each at most once per
// depsFresh, and logs when one goes down or comes back. It is the
// Prometheus collector of kalan_dependency_up: a scrape refreshes stale
// results first, so the gauge never reports an old state as current.
type dependencies struct {
	list []*dependency
	log  *slog.Logger
	up   *prometheus.Desc
}

type dependency struct {
	Check
	mu    sync.Mutex // held during a check: concurrent callers share its result
	state depState
}

type depState struct {
	name string
	up   bool
	at   time.Time // when checked; zero: never
	err  error
}

func newDependencies(checks []Check, log *slog.Logger) *dependencies {
	d := &dependencies{log: log, up: prometheus.NewDesc("kalan_dependency_up",
		"Whether a shared dependency answered its latest check (1) or not (0): mongodb, object_storage, object_storage_write.",
		[]string{"dependency"}, nil)}
	for _, c := range checks {
		d.list = append(d.list, &dependency{Check: c, state: depState{name: c.Name}})
	}
	return d
}

// check returns the state of every dependency, asking those whose result
// is stale, all at once.
func (d *dependencies) check(ctx context.Context) []depState {
	out := make([]depState, len(d.list))
	var wg sync.WaitGroup
	for i, dep := range d.list {
		wg.Go(func() { out[i] = dep.get(ctx, d.log) })
	}
	wg.Wait()
	return out
}

func (dep *dependency) get(ctx context.Context, log *slog.Logger) depState {
	dep.mu.Lock()
	defer dep.mu.Unlock()
	if !dep.state.at.IsZero() && time.Since(dep.state.at) < depsFresh {
		return dep.state
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), checkTimeout)
	defer cancel()
	err := dep.Ping(ctx)
	was := dep.state
	dep.state = depState{name: dep.Name, up: err == nil, at: time.Now(), err: err}
	switch {
	case err != nil && (was.up || was.at.IsZero()):
		log.Warn("shared dependency unavailable", "dependency", dep.Name, "err", err)
	case err == nil && !was.up && !was.at.IsZero():
		log.Info("shared dependency available again", "dependency", dep.Name)
	}
	return dep.state
}

// Describe implements prometheus.Collector.
func (d *dependencies) Describe(ch chan<- *prometheus.Desc) { ch <- d.up }

// Collect implements prometheus.Collector.
func (d *dependencies) Collect(ch chan<- prometheus.Metric) {
	for _, s := range d.check(context.Background()) {
		v := 0.0
		if s.up {
			v = 1
		}
		ch <- prometheus.MustNewConstMetric(d.up, prometheus.GaugeValue, v, metricName(s.name))
	}
}
