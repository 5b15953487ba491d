package store

import (
	"context"
	"errors"
	"sync/atomic"
	"time"

	"go.mongodb.org/mongo-driver/v2/event"

	"github.com/kalan-platform/kalan/server/outage"
)

// CommandObserver learns the outcome of every command sent to the
// database (see classify for what counts as unavailable).
type CommandObserver = outage.CommandObserver

// health follows, without sending anything, whether the database answers:
// the driver's own view of its servers (heartbeats, failed connections)
// and the outcome of the latest commands. Pages use it to stop asking a
// database that is known to be away (see Store.Available).
type health struct {
	reachable atomic.Bool  // the driver knows of a server that takes reads and writes
	lastOK    atomic.Int64 // unix nanoseconds of the latest command that succeeded
	lastDown  atomic.Int64 // unix nanoseconds of the latest command that failed for unavailability
	observer  atomic.Pointer[CommandObserver]
	now       func() time.Time
}

// downMemory is how long one failed command marks the database as away
// when nothing has succeeded since: long enough that a burst of requests
// during an outage does not each wait for it, short enough that a single
// hiccup under load is forgotten at once (any success clears it).
const downMemory = 2 * time.Second

func newHealth() *health {
	h := &health{now: time.Now}
	h.reachable.Store(true) // Open pings first: it fails if no server answers
	return h
}

// available reports whether the database is believed to answer now.
func (h *health) available() bool {
	if !h.reachable.Load() {
		return false
	}
	down := h.lastDown.Load()
	return down == 0 || down < h.lastOK.Load() || h.now().UnixNano()-down > int64(downMemory)
}

// commandMonitor records each command's outcome, reports it to the
// observer, and passes it on to next (the tests' monitor), if any.
func (h *health) commandMonitor(next *event.CommandMonitor) *event.CommandMonitor {
	m := &event.CommandMonitor{
		Succeeded: func(ctx context.Context, e *event.CommandSucceededEvent) {
			h.lastOK.Store(h.now().UnixNano())
			if o := h.observer.Load(); o != nil {
				(*o).ObserveCommand(e.CommandName, e.Duration, false, false)
			}
			if next != nil && next.Succeeded != nil {
				next.Succeeded(ctx, e)
			}
		},
		Failed: func(ctx context.Context, e *event.CommandFailedEvent) {
			unavailable := errors.Is(classify(e.Failure), ErrUnavailable)
			if unavailable {
				h.lastDown.Store(h.now().UnixNano())
			}
			if o := h.observer.Load(); o != nil {
				(*o).ObserveCommand(e.CommandName, e.Duration, true, unavailable)
			}
			if next != nil && next.Failed != nil {
				next.Failed(ctx, e)
			}
		},
	}
	if next != nil {
		m.Started = next.Started
	}
	return m
}

// serverMonitor follows the driver's description of the deployment: with
// no server able to take writes (all unknown, or a replica set without a
// primary), every command would wait for the server selection timeout.
func (h *health) serverMonitor() *event.ServerMonitor {
	return &event.ServerMonitor{
		TopologyDescriptionChanged: func(e *event.TopologyDescriptionChangedEvent) {
			ok := false
			for _, s := range e.NewDescription.Servers {
				switch s.Kind {
				case "Standalone", "RSPrimary", "Mongos", "LoadBalancer":
					ok = true
				}
			}
			h.reachable.Store(ok)
		},
	}
}

// Available reports, without asking the server, whether the database is
// believed to answer: false while the driver knows of no server able to
// serve, or just after a command failed for unavailability with nothing
// succeeding since. It may be stale by a heartbeat; it is a hint for
// skipping work that would only wait for a timeout, not a guarantee.
func (s *Store) Available() bool { return s.health.available() }

// ObserveCommands sends the outcome of every later command to o (metrics).
func (s *Store) ObserveCommands(o CommandObserver) { s.health.observer.Store(&o) }
