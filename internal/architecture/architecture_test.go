// Package architecture checks the rules of the layout (README "Layout")
// with the go tool, so that they hold without anyone remembering them.
package architecture

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/kalan-platform/kalan"

// rules name, for each part, the only packages of the module that may
// need it, directly or through another package: the domain packages stay
// free of HTTP, the database driver and the object-storage client; the
// HTTP package does not reach into the store; only tests use the test
// environment. Paths are relative to the module.
var rules = []struct {
	part    string
	allowed []string
	why     string
}{
	{"github.com/gofiber/fiber", []string{"server", "server/app", "cmd/kalan"},
		"HTTP belongs to package server"},
	{"github.com/valyala/fasthttp", []string{"server", "server/app", "cmd/kalan"},
		"HTTP belongs to package server"},
	// The driver's client; its bson package is a data format that the
	// backup archive also uses.
	{"go.mongodb.org/mongo-driver/v2/mongo", []string{"server/store", "server/testenv", "server/app", "cmd/kalan"},
		"the database is reached through server/store"},
	{"github.com/FerretDB/FerretDB", []string{"server/store", "server/testenv", "server/app", "cmd/kalan"},
		"the embedded database lives in server/store"},
	{"github.com/minio/minio-go", []string{"server/blob/s3", "server/testenv", "server/app", "cmd/kalan"},
		"S3 is one backend of server/blob, in server/blob/s3"},
	{module + "/server/store", []string{"server/testenv", "server/app", "cmd/kalan"},
		"handlers and services reach data through the services' interfaces, wired in server/app"},
	{module + "/server/testenv", nil,
		"the test environment is for tests only"},
}

// pkg is what `go list -json` says of a package.
type pkg struct {
	ImportPath string
	Deps       []string // every package it needs, transitively, tests excluded
}

func list(t *testing.T) []pkg {
	t.Helper()
	cmd := exec.Command("go", "list", "-json", "./...")
	cmd.Dir = "../.."
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.String())
	}
	var pkgs []pkg
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p pkg
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		pkgs = append(pkgs, p)
	}
	return pkgs
}

func TestLayers(t *testing.T) {
	pkgs := list(t)
	if len(pkgs) < 25 {
		t.Fatalf("go list found %d packages: is the module there?", len(pkgs))
	}
	for _, p := range pkgs {
		rel := strings.TrimPrefix(strings.TrimPrefix(p.ImportPath, module), "/")
		for _, r := range rules {
			if p.ImportPath == r.part || slices.Contains(r.allowed, rel) {
				continue
			}
			for _, d := range p.Deps {
				if d == r.part || strings.HasPrefix(d, r.part+"/") {
					t.Errorf("%s needs %s: %s", rel, d, r.why)
					break
				}
			}
		}
	}
}
