package store

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"testing"
)

// The embedded FerretDB's log: errors only, with the attributes and
// groups given to the logger before, applied when an error comes.
func TestErrorsOnlyLog(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(errorsOnly{next: slog.NewJSONHandler(&buf, nil)}).With("component", "ferretdb")
	log.With("args", "a whole document").Info("statement")
	if buf.Len() != 0 {
		t.Fatalf("an info record was written: %s", buf.String())
	}
	log.With("sql", "INSERT").WithGroup("db").Error("failed", "code", 7)
	var got map[string]any
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatalf("%v: %s", err, buf.String())
	}
	if got["component"] != "ferretdb" || got["sql"] != "INSERT" || got["msg"] != "failed" || got["db"].(map[string]any)["code"] != float64(7) {
		t.Errorf("error record: %s", buf.String())
	}
}
