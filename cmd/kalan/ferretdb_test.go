package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/kalan-platform/kalan/server/store"
)

// An external FerretDB is refused for several instances (its updates are
// not atomic across them), and allowed for one with KALAN_SINGLE_INSTANCE.
// The embedded FerretDB's listener stands for the external server.
func TestServeRefusesSharedFerretDB(t *testing.T) {
	e, err := store.StartEmbedded(context.Background(), t.TempDir(), slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer e.Stop()
	vars := map[string]string{"KALAN_DATA": t.TempDir(), "KALAN_ADDR": freeAddr(t), "KALAN_MONGODB_URI": e.URI()}
	_, _, err = kalan(context.Background(), vars, "serve")
	if err == nil || !strings.Contains(err.Error(), "FerretDB") || !strings.Contains(err.Error(), "KALAN_SINGLE_INSTANCE=true") {
		t.Fatalf("serve on an external FerretDB: %v, want a refusal naming KALAN_SINGLE_INSTANCE", err)
	}
	client, err := mongo.Connect(options.Client().ApplyURI(e.URI()))
	if err != nil {
		t.Fatal(err)
	}
	defer client.Disconnect(context.Background())
	if names, err := client.Database("kalan").ListCollectionNames(context.Background(), bson.D{}); err != nil || len(names) != 0 {
		t.Errorf("the refused start wrote collections %v (%v)", names, err)
	}

	vars["KALAN_SINGLE_INSTANCE"] = "yes"
	if _, _, err := kalan(context.Background(), vars, "serve"); err == nil || !strings.Contains(err.Error(), `KALAN_SINGLE_INSTANCE "yes"`) {
		t.Errorf("KALAN_SINGLE_INSTANCE=yes: %v", err)
	}

	vars["KALAN_SINGLE_INSTANCE"] = "true"
	s := startServe(t, vars)
	defer s.stop()
	if status, _ := get(t, s.url+"/courses/detecting-trafficking-basics"); status != http.StatusOK {
		t.Errorf("course page on a single instance = %d", status)
	}
	if !strings.Contains(s.stderr.String(), "do not start a second one") {
		t.Errorf("no warning in the log:\n%s", s.stderr)
	}
}
