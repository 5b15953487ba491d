package server

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

const (
	// depsFresh is how long a dependency's result is reused: a scrape
	// every 15 s and a few operators never multiply the checks.
	depsFresh = 10 * time.Second
	// checkTimeout bounds one check.
	checkTimeout = 3 * time.Second
)

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
