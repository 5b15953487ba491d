package store_test

import (
	"context"
	"database/sql"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kalan-platform/kalan/server/account"
	"github.com/kalan-platform/kalan/server/store"
)

// Every collection of the embedded database has an index SQLite uses for
// the lookups by _id FerretDB sends (see Embedded.IndexByID): the query
// plan of such a lookup names it, on every table.
func TestEmbeddedLooksUpByIDWithAnIndex(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	e, err := store.StartEmbedded(ctx, dir, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer e.Stop()
	s, err := store.Open(ctx, store.Config{URI: e.URI(), Database: "kalan", Embedded: e})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close(ctx)
	for range 2 { // repeating it changes nothing
		if err := e.IndexByID(ctx, "kalan"); err != nil {
			t.Fatal(err)
		}
	}
	login, _ := account.ParseLogin("awa@kalan.test")
	u := &account.User{ID: account.NewID(), Login: login, Name: "Awa", Role: account.RoleTrainee}
	if err := s.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	if got, err := s.UserByID(ctx, u.ID); err != nil || got.Name != "Awa" {
		t.Fatalf("lookup by id through the index: %v, %v", got, err)
	}

	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "db", "kalan.sqlite"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT name, table_name FROM _ferretdb_collections`)
	if err != nil {
		t.Fatal(err)
	}
	tables := map[string]string{}
	for rows.Next() {
		var name, table string
		if err := rows.Scan(&name, &table); err != nil {
			t.Fatal(err)
		}
		tables[name] = table
	}
	rows.Close()
	for _, name := range []string{"users", "sessions", "attempts", "report_members", "report_answers", "library"} {
		table, ok := tables[name]
		if !ok {
			t.Errorf("collection %s was not created by Open", name)
			continue
		}
		// The statement FerretDB 1.24 sends for find({_id: "…"}).
		var id, parent, unused int
		var plan string
		err := db.QueryRow(`EXPLAIN QUERY PLAN SELECT _ferretdb_sjson FROM "`+table+`" WHERE _ferretdb_sjson->'$._id' = ? LIMIT 1`, `"x"`).
			Scan(&id, &parent, &unused, &plan)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(plan, "USING INDEX") || !strings.Contains(plan, "_kalan_id") {
			t.Errorf("%s: a lookup by _id is planned as %q", name, plan)
		}
	}
}
