package store_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"slices"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
	mongodrv "go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/kalan-platform/kalan/server/account"
	"github.com/kalan-platform/kalan/server/store"
	"github.com/kalan-platform/kalan/server/testenv"
)

// openV0 starts the embedded database on a copy of the schema-0 data
// directory and returns it with a raw client on it, to look under the
// store.
func openV0(t *testing.T) (*store.Embedded, *mongodrv.Database) {
	t.Helper()
	ctx := context.Background()
	e, err := store.StartEmbedded(ctx, testenv.SchemaV0Data(t), slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(e.Stop)
	raw, err := mongodrv.Connect(options.Client().ApplyURI(e.URI()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = raw.Disconnect(ctx) })
	return e, raw.Database("kalan")
}

func openStore(t *testing.T, e *store.Embedded) (*store.Store, error) {
	t.Helper()
	s, err := store.Open(context.Background(), store.Config{URI: e.URI(), Database: "kalan", Embedded: e})
	if err == nil {
		t.Cleanup(func() { _ = s.Close(context.Background()) })
	}
	return s, err
}

func schemaVersion(t *testing.T, db *mongodrv.Database) int {
	t.Helper()
	var d struct {
		Version int `bson:"version"`
	}
	err := db.Collection("meta").FindOne(context.Background(), bson.D{{Key: "_id", Value: "schema"}}).Decode(&d)
	if err != nil && !errors.Is(err, mongodrv.ErrNoDocuments) {
		t.Fatal(err)
	}
	return d.Version
}

// A data directory written before the schema was versioned opens: the
// lookups by _id are built from its data, its attempts are rewritten in
// the compact form with nothing lost (what is left out is graded again
// from the course version: see the upgrade test of package server), and
// the indexes no read uses are
// dropped. Run again (as after a kill before the version was written),
// the migration changes nothing.
func TestMigrateSchema0(t *testing.T) {
	ctx := context.Background()
	e, db := openV0(t)
	before := attemptsByID(t, db)
	if len(before) == 0 || schemaVersion(t, db) != 0 {
		t.Fatalf("the fixture: %d attempts, schema %d", len(before), schemaVersion(t, db))
	}
	s, err := openStore(t, e)
	if err != nil {
		t.Fatal(err)
	}
	if v := schemaVersion(t, db); v != store.SchemaVersion {
		t.Fatalf("schema %d after the migration, want %d", v, store.SchemaVersion)
	}
	check := func(t *testing.T, s *store.Store) {
		t.Helper()
		for _, login := range []string{"awa@example.org", "+22376000001", "chaka@example.org", "new@example.org", "trainer@example.org"} {
			u, err := s.UserByLogin(ctx, login)
			if err != nil || u.Login.Value != login {
				t.Errorf("account %s: %v, %v", login, u, err)
			}
		}
		if _, err := s.UserByLogin(ctx, "dede@example.org"); !errors.Is(err, account.ErrNotFound) {
			t.Errorf("the deleted account by its old login: %v", err)
		}
		cohorts, err := s.Cohorts(ctx)
		if err != nil || len(cohorts) != 1 {
			t.Fatalf("cohorts: %d, %v", len(cohorts), err)
		}
		co := cohorts[0]
		if byCode, err := s.CohortByCode(ctx, co.JoinCode); err != nil || byCode.ID != co.ID {
			t.Errorf("the cohort by its code: %v, %v", byCode, err)
		}
		members, err := s.UsersInCohort(ctx, co.ID)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, m := range members {
			names = append(names, m.Name)
		}
		// Dede's anonymised account stays a member (the cohort's counts keep it).
		if want := []string{"", "Awa Example", "Binta Example", "Chaka Example", "New Person"}; !slices.Equal(names, want) {
			t.Errorf("members %q, want %q", names, want)
		}
		chaka, err := s.UserByLogin(ctx, "chaka@example.org")
		if err != nil {
			t.Fatal(err)
		}
		cert, err := s.CertificateBySerial(ctx, chaka.Progress["quizzed"].Certificate)
		if err != nil || !cert.Revoked() || cert.UserID != chaka.ID {
			t.Errorf("Chaka's revoked certificate: %+v, %v", cert, err)
		}
		for id, old := range before {
			a, err := s.Attempt(ctx, id)
			if err != nil {
				t.Fatalf("attempt %s: %v", id, err)
			}
			if a.UserID != old.UserID || len(a.Drawn) != len(old.Drawn) || a.Submitted() != (old.Result != nil) {
				t.Errorf("attempt %s: %+v, was %+v", id, a, old)
			}
			for i, d := range old.Drawn {
				if a.Drawn[i].Question != d.Q || !slices.Equal(a.Drawn[i].Options, d.O) {
					t.Errorf("attempt %s question %d: %+v, was %+v", id, i, a.Drawn[i], d)
				}
			}
			for q, opts := range old.Answers {
				if !slices.Equal(a.Answers[q], opts) {
					t.Errorf("attempt %s answers to %s: %v, were %v", id, q, a.Answers[q], opts)
				}
			}
			if r := old.Result; r != nil && (a.Result.Score != r.Score || a.Result.Passed != r.Passed) {
				t.Errorf("attempt %s result %+v, was %+v", id, a.Result, r)
			}
		}
	}
	check(t, s)

	awa, err := s.UserByLogin(ctx, "awa@example.org")
	if err != nil {
		t.Fatal(err)
	}
	if n, err := s.DeleteUserSessions(ctx, awa.ID, ""); err != nil || n != 2 {
		t.Errorf("signing Awa out everywhere ended %d sessions (%v), want her 2", n, err)
	}
	for coll, gone := range map[string]string{"users": "login", "cohorts": "join_code", "certificates": "user_course", "attempts": "user_version"} {
		specs, err := db.Collection(coll).Indexes().ListSpecifications(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, spec := range specs {
			if spec.Name == gone {
				t.Errorf("index %s of %s is still there", gone, coll)
			}
		}
	}

	// Killed before the version was written: the next start runs it again.
	if _, err := db.Collection("meta").DeleteOne(ctx, bson.D{{Key: "_id", Value: "schema"}}); err != nil {
		t.Fatal(err)
	}
	_ = s.Close(ctx)
	again, err := openStore(t, e)
	if err != nil {
		t.Fatalf("the migration run a second time: %v", err)
	}
	check(t, again)
}

// An attempt the migration cannot convert stops it: the error names the
// document and what to do, the schema stays at 0 (the store does not
// open), and the attempts after it are left as they were.
func TestMigrationStopsAtABadDocument(t *testing.T) {
	ctx := context.Background()
	e, db := openV0(t)
	attempts := db.Collection("attempts")
	bad := bson.D{{Key: "_id", Value: "00000000bad"}, {Key: "user_id", Value: "x"}, {Key: "course", Value: "quizzed"},
		{Key: "version", Value: "quizzed@1"}, {Key: "drawn", Value: bson.A{bson.D{{Key: "q", Value: "q1;q2"}, {Key: "o", Value: bson.A{"a"}}}}}}
	if _, err := attempts.InsertOne(ctx, bad); err != nil {
		t.Fatal(err)
	}
	_, err := openStore(t, e)
	var me *store.MigrationError
	if !errors.As(err, &me) || me.ID != "00000000bad" || me.Collection != "attempts" || me.Fix == "" {
		t.Fatalf("open: %v, want a MigrationError naming the attempt", err)
	}
	if v := schemaVersion(t, db); v != 0 {
		t.Errorf("schema %d after a failed migration, want 0", v)
	}
	n, err := attempts.CountDocuments(ctx, bson.D{{Key: "drawn", Value: bson.D{{Key: "$type", Value: "array"}}}})
	if err != nil {
		t.Fatal(err)
	}
	if total, _ := attempts.CountDocuments(ctx, bson.D{}); n != total {
		t.Errorf("%d of %d attempts left as they were; those after the bad one (all, by _id order) must be", n, total)
	}
}

type attemptV0 struct {
	ID     string `bson:"_id"`
	UserID string `bson:"user_id"`
	Drawn  []struct {
		Q string   `bson:"q"`
		O []string `bson:"o"`
	} `bson:"drawn"`
	Answers map[string][]string `bson:"answers"`
	Result  *struct {
		Score  int
		Passed bool
	} `bson:"result"`
}

func attemptsByID(t *testing.T, db *mongodrv.Database) map[string]attemptV0 {
	t.Helper()
	cur, err := db.Collection("attempts").Find(context.Background(), bson.D{})
	if err != nil {
		t.Fatal(err)
	}
	var list []attemptV0
	if err := cur.All(context.Background(), &list); err != nil {
		t.Fatal(err)
	}
	out := map[string]attemptV0{}
	for _, a := range list {
		out[a.ID] = a
	}
	return out
}
