package store

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/kalan-platform/kalan/server/learning"
	"github.com/kalan-platform/kalan/server/report"
	"github.com/kalan-platform/kalan/server/training"
)

// collMeta holds the schema version of the database: {_id: "schema",
// version: N}. A database without it was written before versions were
// kept (version 0), or is new.
const collMeta = "meta"

// SchemaVersion is the version of the database this code reads and writes.
const SchemaVersion = 2

// migration turns a database of version-1 into one of version. Each step
// can run again from the start with the same result: a migration killed
// half-way is run again at the next start, and the version is written
// only once every step is done.
type migration struct {
	version int
	what    string
	steps   []func(context.Context, *Store) error
}

var migrations = []migration{
	{1, "every hot read by _id, compact quiz attempts", []func(context.Context, *Store) error{
		migrateLogins, migrateJoinCodes, migrateMembers, migrateSessions, migrateCertificates, migrateAttempts,
		migrateReportAnswers, dropUnusedIndexes,
	}},
	{2, "answer lines compressed", []func(context.Context, *Store) error{compressReportAnswers}},
}

// MigrationError names the document a migration could not convert and
// what to do about it. Nothing after that document was changed.
type MigrationError struct {
	Version    int
	Collection string
	ID         string
	Problem    string
	Fix        string
}

func (e *MigrationError) Error() string {
	return fmt.Sprintf("store: migration to schema %d stopped at %s document %q: %s; %s", e.Version, e.Collection, e.ID, e.Problem, e.Fix)
}

type schemaDoc struct {
	ID      string    `bson:"_id"`
	Version int       `bson:"version"`
	At      time.Time `bson:"at"`
}

// migrate brings the database to SchemaVersion, refusing one written by a
// newer release.
func (s *Store) migrate(ctx context.Context) error {
	cur, _, err := findByID[schemaDoc](ctx, s, collMeta, "schema")
	if err != nil {
		return fmt.Errorf("store: read the schema version: %w", err)
	}
	if cur.Version > SchemaVersion {
		return fmt.Errorf("store: the database has schema %d, newer than this release's (%d): run the newer release, or restore a backup made for this one", cur.Version, SchemaVersion)
	}
	for _, m := range migrations {
		if m.version <= cur.Version {
			continue
		}
		start := time.Now()
		s.log.Info("migrating the database", "to", m.version, "what", m.what)
		for _, step := range m.steps {
			if err := step(ctx, s); err != nil {
				var me *MigrationError
				if errors.As(err, &me) {
					me.Version = m.version
				}
				return err
			}
		}
		if err := s.replace(ctx, collMeta, "schema", schemaDoc{ID: "schema", Version: m.version, At: time.Now().UTC()}); err != nil {
			return fmt.Errorf("store: write the schema version: %w", err)
		}
		s.log.Info("database migrated", "to", m.version, "ms", time.Since(start).Milliseconds())
	}
	return nil
}

// eachDoc decodes every document of a collection in _id order, a batch
// at a time, and logs progress on large collections.
func eachDoc[T any](ctx context.Context, s *Store, coll string, fn func(T) error) error {
	total, err := s.db.Collection(coll).EstimatedDocumentCount(ctx)
	if err != nil {
		return fmt.Errorf("store: count %s: %w", coll, classify(err))
	}
	cur, err := s.db.Collection(coll).Find(ctx, bson.D{}, options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}))
	if err != nil {
		return fmt.Errorf("store: read %s: %w", coll, classify(err))
	}
	defer cur.Close(ctx)
	done := 0
	for cur.Next(ctx) {
		var d T
		if err := cur.Decode(&d); err != nil {
			return &MigrationError{Collection: coll, ID: cur.Current.Lookup("_id").String(), Problem: err.Error(),
				Fix: "restore this document from a backup, or delete it, then start again"}
		}
		if err := fn(d); err != nil {
			return err
		}
		if done++; done%5000 == 0 {
			s.log.Info("migrating", "collection", coll, "done", done, "of", total)
		}
	}
	return classify(cur.Err())
}

func migrateLogins(ctx context.Context, s *Store) error {
	return eachDoc(ctx, s, collUsers, func(u userDoc) error {
		if u.LoginKind == "deleted" {
			return nil
		}
		_, err := s.db.Collection(collLogins).InsertOne(ctx, loginDoc{Login: u.Login, UserID: u.ID, At: u.CreatedAt})
		if mongo.IsDuplicateKeyError(err) {
			claim, _, err := findByID[loginDoc](ctx, s, collLogins, u.Login)
			if err != nil {
				return err
			}
			if claim.UserID != u.ID {
				return &MigrationError{Collection: collUsers, ID: u.ID, Problem: fmt.Sprintf("its login is also held by account %q", claim.UserID),
					Fix: "give one of the two accounts another login, then start again"}
			}
			return nil
		}
		return classify(err)
	})
}

func migrateJoinCodes(ctx context.Context, s *Store) error {
	return eachDoc(ctx, s, collCohorts, func(c cohortDoc) error {
		_, err := s.db.Collection(collJoinCodes).InsertOne(ctx, joinCodeDoc{Code: c.JoinCode, CohortID: c.ID})
		if mongo.IsDuplicateKeyError(err) {
			d, _, err := findByID[joinCodeDoc](ctx, s, collJoinCodes, c.JoinCode)
			if err != nil {
				return err
			}
			if d.CohortID != c.ID {
				return &MigrationError{Collection: collCohorts, ID: c.ID, Problem: fmt.Sprintf("its join code is also cohort %q's", d.CohortID),
					Fix: "change the join code of one of the two cohorts, then start again"}
			}
			return nil
		}
		return classify(err)
	})
}

func migrateMembers(ctx context.Context, s *Store) error {
	return eachDoc(ctx, s, collUsers, func(u userDoc) error {
		for _, c := range u.Cohorts {
			if err := s.addMembers(ctx, c, u.ID); err != nil {
				return err
			}
		}
		return nil
	})
}

func migrateSessions(ctx context.Context, s *Store) error {
	return eachDoc(ctx, s, collSessions, func(d sessionDoc) error {
		_, err := s.update(ctx, collUserSessions, d.UserID,
			bson.D{{Key: "$set", Value: bson.D{{Key: "sessions." + d.ID, Value: d.CreatedAt}}}}, true)
		return err
	})
}

// migrateCertificates records each certificate's serial in its holder's
// progress, where the training service now finds it (it did so since
// certificates exist; this repairs a write that a crash cut).
func migrateCertificates(ctx context.Context, s *Store) error {
	return eachDoc(ctx, s, collCertificates, func(c certificateDoc) error {
		u, err := s.UserByID(ctx, c.UserID)
		if err != nil {
			return &MigrationError{Collection: collCertificates, ID: c.Serial, Problem: "its holder's account does not exist",
				Fix: "restore the account from a backup, or delete the certificate, then start again"}
		}
		if _, started := u.Progress[c.Course]; !started {
			return nil // a course started before progress was kept: nothing to point from
		}
		return s.SetCompleted(ctx, c.UserID, c.Course, c.Serial, c.Completed)
	})
}

// attemptV0 is a quiz attempt as schema 0 stored it, with arrays of
// sub-documents.
type attemptV0 struct {
	ID          string           `bson:"_id"`
	UserID      string           `bson:"user_id"`
	Course      string           `bson:"course"`
	Version     string           `bson:"version"`
	Lang        string           `bson:"lang"`
	Seed        int64            `bson:"seed"`
	Drawn       bson.RawValue    `bson:"drawn"`
	Answers     bson.RawValue    `bson:"answers"`
	StartedAt   time.Time        `bson:"started_at"`
	UpdatedAt   time.Time        `bson:"updated_at"`
	SubmittedAt time.Time        `bson:"submitted_at,omitempty"`
	Result      *attemptResultV0 `bson:"result,omitempty"`
}

type attemptResultV0 struct {
	Score     int  `bson:"score"`
	Correct   int  `bson:"correct"`
	Total     int  `bson:"total"`
	Passed    bool `bson:"passed"`
	Questions []struct {
		Question       string   `bson:"q"`
		Correct        bool     `bson:"correct"`
		Chosen         []string `bson:"chosen"`
		CorrectOptions []string `bson:"correct_options"`
	} `bson:"questions"`
	Review []string `bson:"review"`
}

// migrateAttempts rewrites the attempts stored with arrays (schema 0) in
// the compact form; those already compact are left as they are.
func migrateAttempts(ctx context.Context, s *Store) error {
	return eachDoc(ctx, s, collAttempts, func(old attemptV0) error {
		if old.Drawn.Type != bson.TypeArray {
			return nil
		}
		a, err := old.convert()
		if err != nil {
			return &MigrationError{Collection: collAttempts, ID: old.ID, Problem: err.Error(),
				Fix: "restore this attempt from a backup, or delete it (the trainee starts a new one), then start again"}
		}
		d, err := newAttemptDoc(a)
		if err != nil {
			return &MigrationError{Collection: collAttempts, ID: old.ID, Problem: err.Error(),
				Fix: "restore this attempt from a backup, or delete it (the trainee starts a new one), then start again"}
		}
		return s.replace(ctx, collAttempts, old.ID, d)
	})
}

func (old attemptV0) convert() (*training.Attempt, error) {
	a := &training.Attempt{ID: old.ID, UserID: old.UserID, Course: old.Course, Version: old.Version, Lang: old.Lang,
		Seed: uint64(old.Seed), StartedAt: old.StartedAt, UpdatedAt: old.UpdatedAt, SubmittedAt: old.SubmittedAt, Answers: learning.Answers{}}
	var drawn []struct {
		Question string   `bson:"q"`
		Options  []string `bson:"o"`
	}
	if err := old.Drawn.Unmarshal(&drawn); err != nil {
		return nil, fmt.Errorf("its drawn questions: %w", err)
	}
	for _, d := range drawn {
		a.Drawn = append(a.Drawn, learning.Drawn{Question: d.Question, Options: d.Options})
	}
	if old.Answers.Type == bson.TypeEmbeddedDocument {
		if err := old.Answers.Unmarshal(&a.Answers); err != nil {
			return nil, fmt.Errorf("its answers: %w", err)
		}
	}
	if r := old.Result; r != nil {
		res := learning.Result{Score: r.Score, Correct: r.Correct, Total: r.Total, Passed: r.Passed, Review: r.Review}
		for _, q := range r.Questions {
			res.Questions = append(res.Questions, learning.QuestionResult{Question: q.Question, Correct: q.Correct,
				Chosen: q.Chosen, CorrectOptions: q.CorrectOptions})
		}
		a.Result = &res
	}
	return a, nil
}

// migrateReportAnswers packs the answer lines stored one field per
// attempt (schema 0) into the one string of answersDoc.
func migrateReportAnswers(ctx context.Context, s *Store) error {
	return eachDoc(ctx, s, collReportAnswers, func(d struct {
		answersDoc `bson:",inline"`
		Answers    map[string]string `bson:"answers"`
	}) error {
		if len(d.Answers) == 0 {
			return nil
		}
		lines := report.UnpackLines(d.Lines)
		maps.Copy(lines, d.Answers)
		d.answersDoc.Lines, d.answersDoc.Rev = report.PackLines(lines), d.answersDoc.Rev+1
		return s.replace(ctx, collReportAnswers, d.ID, d.answersDoc)
	})
}

// compressReportAnswers stores the answer lines of each month compressed
// (see linesCodec); a document already compressed is left as it is.
func compressReportAnswers(ctx context.Context, s *Store) error {
	return eachDoc(ctx, s, collReportAnswers, func(d answersDoc) error {
		if len(d.Z) > 0 || d.Lines == "" {
			return nil
		}
		d.Z, d.Lines, d.Rev = s.zlines.pack(d.Lines), "", d.Rev+1
		return s.replace(ctx, collReportAnswers, d.ID, d)
	})
}

// dropUnusedIndexes removes the indexes the store no longer keeps: those
// that served lookups now made by _id, and on the embedded database every
// one that enforces no rule (it uses none for its reads).
func dropUnusedIndexes(ctx context.Context, s *Store) error {
	wanted := s.wantedIndexes()
	for _, coll := range collections {
		specs, err := s.db.Collection(coll).Indexes().ListSpecifications(ctx)
		if err != nil {
			return fmt.Errorf("store: list indexes of %s: %w", coll, classify(err))
		}
		for _, spec := range specs {
			keep := spec.Name == "_id_" || slices.ContainsFunc(wanted[coll], func(ix index) bool { return ix.name == spec.Name })
			if keep {
				continue
			}
			if err := s.db.Collection(coll).Indexes().DropOne(ctx, spec.Name); err != nil {
				return fmt.Errorf("store: drop index %s of %s: %w", spec.Name, coll, classify(err))
			}
			s.log.Info("index dropped", "collection", coll, "index", spec.Name)
		}
	}
	return nil
}
