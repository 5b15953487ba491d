package server_test

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/gofiber/fiber/v2"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/event"

	"github.com/kalan-platform/kalan/server"
)

// commands records the database commands each request sends, through the
// driver's command monitor, while every test of the package runs. At the
// end, commands.check fails the run when a request on a hot route (every
// route but the exceptions below) sent a command whose filter is not a
// bare _id (or an $in of ids), and, when the whole package ran, when a
// hot route was never requested: the cost of every request a trainee, a
// trainer or a facilitator makes must not grow with the number of people
// and attempts the installation holds.
var commands = &commandLog{}

// notHot are the routes allowed to search (a "/…" entry is a path prefix):
// operations, and the admin and report pages, whose listings say how
// they bound their cost.
var notHot = []string{
	"GET /healthz", "GET /readyz", "GET /metrics", // operations: no data
	"GET /trainer", "GET /trainer/report.csv", "GET /trainer/report.xlsx", // every cohort a trainer runs (admins: all)
	"/admin",              // admins: account search, audit log, national reports, uploads
	"GET /account/export", // a person's own export, rare: searches the audit log, reset links and offline events by user
	"/review",             // translation reviewers, a few: the drafts of one course and language, the marks of one course
}

func isHot(route string) bool {
	_, path, _ := strings.Cut(route, " ")
	for _, p := range notHot {
		if p == route || strings.HasPrefix(p, "/") && strings.HasPrefix(path, p) {
			return false
		}
	}
	return true
}

type commandLog struct {
	mu     sync.Mutex
	sent   []sentCommand
	routes []string // the route table, "METHOD /path"
}

type sentCommand struct {
	req     *server.Request
	name    string
	coll    string
	filters []bson.Raw
}

func (l *commandLog) monitor() *event.CommandMonitor {
	return &event.CommandMonitor{Started: func(ctx context.Context, e *event.CommandStartedEvent) {
		req := server.RequestOf(ctx)
		if req == nil {
			return // the tests' own setup
		}
		cmd := bson.Raw(append([]byte(nil), e.Command...))
		c := sentCommand{req: req, name: e.CommandName}
		c.coll, _ = cmd.Lookup(e.CommandName).StringValueOK()
		c.filters = filtersOf(e.CommandName, cmd)
		l.mu.Lock()
		l.sent = append(l.sent, c)
		l.mu.Unlock()
	}}
}

// filtersOf are the filters of a command: what it looks documents up by.
func filtersOf(name string, cmd bson.Raw) []bson.Raw {
	doc := func(v bson.RawValue) bson.Raw { d, _ := v.DocumentOK(); return d }
	each := func(list, key string) []bson.Raw {
		arr, _ := cmd.Lookup(list).ArrayOK()
		vals, _ := arr.Values()
		var out []bson.Raw
		for _, v := range vals {
			out = append(out, doc(doc(v).Lookup(key)))
		}
		return out
	}
	switch name {
	case "find", "count", "distinct":
		key := "filter"
		if name != "find" {
			key = "query"
		}
		return []bson.Raw{doc(cmd.Lookup(key))}
	case "findAndModify":
		return []bson.Raw{doc(cmd.Lookup("query"))}
	case "update":
		return each("updates", "q")
	case "delete":
		return each("deletes", "q")
	case "aggregate": // never by _id: the pipeline is shown as the filter
		d, _ := bson.Marshal(bson.D{{Key: "pipeline", Value: cmd.Lookup("pipeline")}})
		return []bson.Raw{d}
	}
	return nil
}

// byID reports whether a filter is a bare _id, or an $in of ids.
func byID(f bson.Raw) bool {
	elems, err := f.Elements()
	if err != nil || len(elems) != 1 || elems[0].Key() != "_id" {
		return false
	}
	v := elems[0].Value()
	if v.Type != bson.TypeEmbeddedDocument {
		return true
	}
	ops, _ := v.Document().Elements()
	return len(ops) == 1 && ops[0].Key() == "$in"
}

// table records the application's route table (the same for every env).
func (l *commandLog) table(app *fiber.App) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.routes != nil {
		return
	}
	for _, r := range app.GetRoutes(true) {
		if r.Method == fiber.MethodGet || r.Method == fiber.MethodPost {
			l.routes = append(l.routes, r.Method+" "+r.Path)
		}
	}
	l.routes = slices.Compact(slices.Sorted(slices.Values(l.routes)))
}

func (l *commandLog) check() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	var bad []string
	for _, c := range l.sent {
		route := c.req.Route()
		if !isHot(route) {
			continue
		}
		for _, f := range c.filters {
			if !byID(f) {
				bad = append(bad, fmt.Sprintf("%s: %s %s %s", route, c.name, c.coll, f))
			}
		}
	}
	if len(bad) > 0 {
		bad = slices.Compact(slices.Sorted(slices.Values(bad)))
		return fmt.Errorf("hot routes sent commands that do not look up by _id:\n  %s", strings.Join(bad, "\n  "))
	}
	if flag.Lookup("test.run").Value.String() != "" || flag.Lookup("test.skip").Value.String() != "" {
		return nil // a part of the tests: the coverage of the routes cannot be judged
	}
	requested := requestedRoutes()
	var missed []string
	for _, r := range l.routes {
		if isHot(r) && !requested[r] {
			missed = append(missed, r)
		}
	}
	sort.Strings(missed)
	if len(missed) > 0 {
		return fmt.Errorf("no test requested these hot routes, so their database commands were not checked:\n  %s", strings.Join(missed, "\n  "))
	}
	return nil
}

// requestedRoutes are the routes of every request the applications logged.
func requestedRoutes() map[string]bool {
	allLogs.Lock()
	defer allLogs.Unlock()
	out := map[string]bool{}
	for _, b := range allLogs.buffers {
		for _, line := range strings.Split(b.String(), "\n") {
			var r struct{ Msg, Method, Route string }
			if json.Unmarshal([]byte(line), &r) == nil && r.Msg == "request" {
				out[r.Method+" "+r.Route] = true
			}
		}
	}
	return out
}
