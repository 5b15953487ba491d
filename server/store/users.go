package store

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"kalan/server/account"
	"kalan/server/auth"
	"kalan/server/cohort"
	"kalan/server/training"
)

const collUsers = "users"

// userDoc is the stored account. login is unique; an anonymised account
// gets "deleted:<id>" so that its login can be used again.
type userDoc struct {
	ID                 string                 `bson:"_id"`
	Login              string                 `bson:"login"`
	LoginKind          string                 `bson:"login_kind"`
	Name               string                 `bson:"name"`
	Organisation       string                 `bson:"organisation"`
	Region             string                 `bson:"region"`
	Lang               string                 `bson:"lang,omitempty"`
	Role               string                 `bson:"role"`
	PasswordHash       string                 `bson:"password_hash,omitempty"`
	OneTimeHash        string                 `bson:"one_time_hash,omitempty"`
	OneTimeExpires     time.Time              `bson:"one_time_expires,omitempty"`
	MustChangePassword bool                   `bson:"must_change_password,omitempty"`
	Cohorts            []string               `bson:"cohorts"`
	Progress           map[string]progressDoc `bson:"progress,omitempty"`
	CreatedAt          time.Time              `bson:"created_at"`
	UpdatedAt          time.Time              `bson:"updated_at"`
	DeletedAt          time.Time              `bson:"deleted_at,omitempty"`
}

func newUserDoc(u *account.User) userDoc {
	cohorts := u.Cohorts
	if cohorts == nil {
		cohorts = []string{}
	}
	return userDoc{ID: u.ID, Login: u.Login.Value, LoginKind: u.Login.Kind, Name: u.Name, Organisation: u.Organisation,
		Region: u.Region, Lang: u.Lang, Role: string(u.Role), PasswordHash: u.PasswordHash, OneTimeHash: u.OneTimeHash,
		OneTimeExpires: u.OneTimeExpires, MustChangePassword: u.MustChangePassword, Cohorts: cohorts,
		Progress: newProgressDocs(u.Progress), CreatedAt: u.CreatedAt, UpdatedAt: u.UpdatedAt, DeletedAt: u.DeletedAt}
}

func (d userDoc) user() *account.User {
	return &account.User{ID: d.ID, Login: account.Login{Kind: d.LoginKind, Value: d.Login}, Name: d.Name,
		Organisation: d.Organisation, Region: d.Region, Lang: d.Lang, Role: account.Role(d.Role),
		PasswordHash: d.PasswordHash, OneTimeHash: d.OneTimeHash, OneTimeExpires: d.OneTimeExpires,
		MustChangePassword: d.MustChangePassword, Cohorts: d.Cohorts, Progress: progressOf(d.Progress),
		CreatedAt: d.CreatedAt, UpdatedAt: d.UpdatedAt, DeletedAt: d.DeletedAt}
}

// CreateUser stores a new account; ErrLoginTaken when its login is used.
func (s *Store) CreateUser(ctx context.Context, u *account.User) error {
	_, err := s.db.Collection(collUsers).InsertOne(ctx, newUserDoc(u))
	if mongo.IsDuplicateKeyError(err) {
		return fmt.Errorf("store: create user: %w", account.ErrLoginTaken)
	}
	if err != nil {
		return fmt.Errorf("store: create user: %w", classify(err))
	}
	return nil
}

// CreateUsers stores many new accounts in one round trip, for bulk loads
// (the report benchmark seeds 20,000); a taken login fails the batch
// from that account on.
func (s *Store) CreateUsers(ctx context.Context, users []*account.User) error {
	docs := make([]any, len(users))
	for i, u := range users {
		docs[i] = newUserDoc(u)
	}
	_, err := s.db.Collection(collUsers).InsertMany(ctx, docs)
	if mongo.IsDuplicateKeyError(err) {
		return fmt.Errorf("store: create users: %w", account.ErrLoginTaken)
	}
	if err != nil {
		return fmt.Errorf("store: create users: %w", classify(err))
	}
	return nil
}

func (s *Store) findUser(ctx context.Context, filter bson.D) (*account.User, error) {
	var d userDoc
	err := s.db.Collection(collUsers).FindOne(ctx, filter).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, fmt.Errorf("store: user: %w", account.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("store: user: %w", classify(err))
	}
	return d.user(), nil
}

// UserByID returns an account by id.
func (s *Store) UserByID(ctx context.Context, id string) (*account.User, error) {
	return s.findUser(ctx, bson.D{{Key: "_id", Value: id}})
}

// UserByLogin returns an account by its normalised login.
func (s *Store) UserByLogin(ctx context.Context, login string) (*account.User, error) {
	return s.findUser(ctx, bson.D{{Key: "login", Value: login}})
}

// UsersByIDs returns the accounts with these ids, by name (missing ones
// are left out). Each is read by _id, a few at a time: the embedded
// database answers an _id lookup from its index but reads every account
// for an $in, which at 20,000 accounts takes a second.
func (s *Store) UsersByIDs(ctx context.Context, ids []string) ([]*account.User, error) {
	users := make([]*account.User, len(ids))
	errs := make([]error, len(ids))
	sem := make(chan struct{}, 8)
	var wg sync.WaitGroup
	for i, id := range ids {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			users[i], errs[i] = s.UserByID(ctx, id)
			if errors.Is(errs[i], account.ErrNotFound) {
				errs[i] = nil
			}
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("store: users: %w", err)
	}
	out := slices.DeleteFunc(users, func(u *account.User) bool { return u == nil })
	slices.SortStableFunc(out, func(a, b *account.User) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}

// UsersInCohort returns the members of a cohort, by name.
func (s *Store) UsersInCohort(ctx context.Context, cohortID string) ([]*account.User, error) {
	return s.findUsers(ctx, bson.D{{Key: "cohorts", Value: cohortID}}, options.Find().SetSort(bson.D{{Key: "name", Value: 1}}))
}

// UserQuery selects accounts for the admin list.
type UserQuery struct {
	Role   string
	Search string // part of a name or login, any case
	Limit  int
}

// Users lists accounts for admins, anonymised ones left out.
func (s *Store) Users(ctx context.Context, q UserQuery) ([]*account.User, error) {
	filter := bson.D{{Key: "deleted_at", Value: bson.D{{Key: "$exists", Value: false}}}}
	if q.Role != "" {
		filter = append(filter, bson.E{Key: "role", Value: q.Role})
	}
	if q.Search != "" {
		re := bson.Regex{Pattern: regexp.QuoteMeta(q.Search), Options: "i"}
		filter = append(filter, bson.E{Key: "$or", Value: bson.A{bson.D{{Key: "name", Value: re}}, bson.D{{Key: "login", Value: re}}}})
	}
	limit := q.Limit
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	return s.findUsers(ctx, filter, options.Find().SetSort(bson.D{{Key: "name", Value: 1}}).SetLimit(int64(limit)))
}

func (s *Store) findUsers(ctx context.Context, filter bson.D, opts *options.FindOptionsBuilder) ([]*account.User, error) {
	cur, err := s.db.Collection(collUsers).Find(ctx, filter, opts)
	if err != nil {
		return nil, fmt.Errorf("store: users: %w", classify(err))
	}
	var docs []userDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, fmt.Errorf("store: users: %w", classify(err))
	}
	out := make([]*account.User, len(docs))
	for i, d := range docs {
		out[i] = d.user()
	}
	return out, nil
}

func (s *Store) setUser(ctx context.Context, id string, set bson.D) error {
	set = append(set, bson.E{Key: "updated_at", Value: time.Now().UTC()})
	res, err := s.db.Collection(collUsers).UpdateOne(ctx, bson.D{{Key: "_id", Value: id}}, bson.D{{Key: "$set", Value: set}})
	if err != nil {
		return fmt.Errorf("store: update user: %w", classify(err))
	}
	if res.MatchedCount == 0 {
		return fmt.Errorf("store: update user: %w", account.ErrNotFound)
	}
	return nil
}

// UpdateProfile changes name, organisation, region and language.
func (s *Store) UpdateProfile(ctx context.Context, id string, p account.Profile) error {
	return s.setUser(ctx, id, bson.D{{Key: "name", Value: p.Name}, {Key: "organisation", Value: p.Organisation},
		{Key: "region", Value: p.Region}, {Key: "lang", Value: p.Lang}})
}

// SetPassword stores a new password hash and clears any one-time password.
func (s *Store) SetPassword(ctx context.Context, id, hash string) error {
	return s.setUser(ctx, id, bson.D{{Key: "password_hash", Value: hash}, {Key: "one_time_hash", Value: ""},
		{Key: "must_change_password", Value: false}})
}

// SetOneTimePassword stores the hash of a one-time password.
func (s *Store) SetOneTimePassword(ctx context.Context, id, hash string, expires time.Time) error {
	return s.setUser(ctx, id, bson.D{{Key: "one_time_hash", Value: hash}, {Key: "one_time_expires", Value: expires},
		{Key: "must_change_password", Value: true}})
}

// SetRole changes a role.
func (s *Store) SetRole(ctx context.Context, id string, role account.Role) error {
	return s.setUser(ctx, id, bson.D{{Key: "role", Value: string(role)}})
}

// AddCohort makes a user a member of a cohort; repeating it changes nothing.
func (s *Store) AddCohort(ctx context.Context, userID, cohortID string) error {
	res, err := s.db.Collection(collUsers).UpdateOne(ctx, bson.D{{Key: "_id", Value: userID}},
		bson.D{{Key: "$addToSet", Value: bson.D{{Key: "cohorts", Value: cohortID}}}})
	if err != nil {
		return fmt.Errorf("store: add cohort: %w", classify(err))
	}
	if res.MatchedCount == 0 {
		return fmt.Errorf("store: add cohort: %w", account.ErrNotFound)
	}
	return nil
}

// Anonymise removes the personal data of an account at its owner's
// request, keeping what aggregate statistics need (role, organisation,
// region, cohorts).
func (s *Store) Anonymise(ctx context.Context, id string, at time.Time) error {
	return s.setUser(ctx, id, bson.D{
		{Key: "login", Value: "deleted:" + id}, {Key: "login_kind", Value: "deleted"},
		{Key: "name", Value: ""}, {Key: "lang", Value: ""},
		{Key: "password_hash", Value: ""}, {Key: "one_time_hash", Value: ""},
		{Key: "deleted_at", Value: at.UTC()},
	})
}

var (
	_ training.Progress = (*Store)(nil)
	_ auth.Users        = (*Store)(nil)
	_ auth.Resets       = (*Store)(nil)
	_ cohort.Members    = (*Store)(nil)
)
