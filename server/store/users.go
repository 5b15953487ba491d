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

	"github.com/kalan-platform/kalan/server/account"
	"github.com/kalan-platform/kalan/server/auth"
	"github.com/kalan-platform/kalan/server/cohort"
	"github.com/kalan-platform/kalan/server/training"
)

const (
	collUsers  = "users"
	collLogins = "logins"
)

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
	Languages          []string               `bson:"languages,omitempty"` // a reviewer's content languages
	PasswordHash       string                 `bson:"password_hash,omitempty"`
	OneTimeHash        string                 `bson:"one_time_hash,omitempty"`
	OneTimeExpires     time.Time              `bson:"one_time_expires,omitempty"`
	MustChangePassword bool                   `bson:"must_change_password,omitempty"`
	Cohorts            []string               `bson:"cohorts"`
	Invitations        map[string]string      `bson:"invitations,omitempty"` // cohort id → invited, accepted, declined
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
		Region: u.Region, Lang: u.Lang, Role: string(u.Role), Languages: u.Languages, PasswordHash: u.PasswordHash, OneTimeHash: u.OneTimeHash,
		OneTimeExpires: u.OneTimeExpires, MustChangePassword: u.MustChangePassword, Cohorts: cohorts,
		Progress: newProgressDocs(u.Progress), CreatedAt: u.CreatedAt, UpdatedAt: u.UpdatedAt, DeletedAt: u.DeletedAt}
}

func (d userDoc) user() *account.User {
	return &account.User{ID: d.ID, Login: account.Login{Kind: d.LoginKind, Value: d.Login}, Name: d.Name,
		Organisation: d.Organisation, Region: d.Region, Lang: d.Lang, Role: account.Role(d.Role), Languages: d.Languages,
		PasswordHash: d.PasswordHash, OneTimeHash: d.OneTimeHash, OneTimeExpires: d.OneTimeExpires,
		MustChangePassword: d.MustChangePassword, Cohorts: d.Cohorts, Invitations: pending(d.Invitations), Progress: progressOf(d.Progress),
		CreatedAt: d.CreatedAt, UpdatedAt: d.UpdatedAt, DeletedAt: d.DeletedAt}
}

// loginDoc claims a login for an account: the login is its _id, so no two
// accounts hold one, and an account is found by its login with two reads
// by _id.
type loginDoc struct {
	Login  string    `bson:"_id"`
	UserID string    `bson:"user_id"`
	At     time.Time `bson:"at"`
}

// staleClaim is how old the claim of a login whose account does not
// exist must be before another account may take the login. A claim is
// written just before its account: a younger one is an account being
// created now, an older one was left by a process that died in between.
const staleClaim = time.Minute

// CreateUser stores a new account; ErrLoginTaken when its login is used.
func (s *Store) CreateUser(ctx context.Context, u *account.User) error {
	if err := s.claimLogin(ctx, u.Login.Value, u.ID, time.Now().UTC()); err != nil {
		return fmt.Errorf("store: create user: %w", err)
	}
	if _, err := s.db.Collection(collUsers).InsertOne(ctx, newUserDoc(u)); err != nil {
		_ = s.releaseLogin(ctx, u.Login.Value, u.ID)
		if mongo.IsDuplicateKeyError(err) {
			return fmt.Errorf("store: create user: %w", account.ErrLoginTaken)
		}
		return fmt.Errorf("store: create user: %w", classify(err))
	}
	return nil
}

// claimLogin reserves a login for an account, or says ErrLoginTaken.
func (s *Store) claimLogin(ctx context.Context, login, userID string, now time.Time) error {
	logins := s.db.Collection(collLogins)
	for try := 0; try < 2; try++ {
		_, err := logins.InsertOne(ctx, loginDoc{Login: login, UserID: userID, At: now})
		if err == nil {
			return nil
		}
		if !mongo.IsDuplicateKeyError(err) {
			return classify(err)
		}
		claim, found, err := findByID[loginDoc](ctx, s, collLogins, login)
		if err != nil {
			return err
		}
		if !found {
			continue // released meanwhile
		}
		if claim.UserID == userID {
			return nil // this very account, created again after a lost answer
		}
		owner, err := s.UserByID(ctx, claim.UserID)
		if err != nil && !errors.Is(err, account.ErrNotFound) {
			return err
		}
		if owner != nil && owner.Login.Value == login || now.Sub(claim.At) < staleClaim {
			return account.ErrLoginTaken
		}
		taken, err := s.updateIf(ctx, collLogins, login, bson.E{Key: "user_id", Value: claim.UserID},
			func(raw bson.Raw) bool { return raw.Lookup("user_id").StringValue() == claim.UserID },
			bson.D{{Key: "$set", Value: bson.D{{Key: "user_id", Value: userID}, {Key: "at", Value: now}}}})
		if err != nil {
			return err
		}
		if !taken {
			return account.ErrLoginTaken
		}
		return nil
	}
	return account.ErrLoginTaken
}

// releaseLogin frees a login claimed by an account (an account that
// failed to be written, or one anonymised).
func (s *Store) releaseLogin(ctx context.Context, login, userID string) error {
	_, err := s.deleteIf(ctx, collLogins, login, bson.E{Key: "user_id", Value: userID},
		func(raw bson.Raw) bool { return raw.Lookup("user_id").StringValue() == userID })
	return err
}

// CreateUsers stores many new accounts in a few round trips, for bulk loads
// (kalan seed, the benchmarks); a taken login fails the batch from that
// account on.
func (s *Store) CreateUsers(ctx context.Context, users []*account.User) error {
	now := time.Now().UTC()
	claims, docs := make([]any, len(users)), make([]any, len(users))
	for i, u := range users {
		claims[i] = loginDoc{Login: u.Login.Value, UserID: u.ID, At: now}
		docs[i] = newUserDoc(u)
	}
	for _, batch := range []struct {
		coll string
		docs []any
	}{{collLogins, claims}, {collUsers, docs}} {
		_, err := s.db.Collection(batch.coll).InsertMany(ctx, batch.docs)
		if mongo.IsDuplicateKeyError(err) {
			return fmt.Errorf("store: create users: %w", account.ErrLoginTaken)
		}
		if err != nil {
			return fmt.Errorf("store: create users: %w", classify(err))
		}
	}
	byCohort := map[string][]string{}
	for _, u := range users {
		for _, c := range u.Cohorts {
			byCohort[c] = append(byCohort[c], u.ID)
		}
	}
	for c, ids := range byCohort {
		if err := s.addMembers(ctx, c, ids...); err != nil {
			return fmt.Errorf("store: create users: %w", err)
		}
	}
	return nil
}

// Logins returns the login of every account, anonymised ones left out.
// It reads every login, for a command's check (kalan seed refuses a
// database of real people), never for a page.
func (s *Store) Logins(ctx context.Context) ([]string, error) {
	docs, err := findAll[loginDoc](ctx, s, collLogins, bson.D{}, options.Find().SetProjection(bson.D{{Key: "_id", Value: 1}}))
	if err != nil {
		return nil, fmt.Errorf("store: logins: %w", err)
	}
	out := make([]string, len(docs))
	for i, d := range docs {
		out[i] = d.Login
	}
	return out, nil
}

// UserByID returns an account by id.
func (s *Store) UserByID(ctx context.Context, id string) (*account.User, error) {
	d, found, err := findByID[userDoc](ctx, s, collUsers, id)
	if err != nil {
		return nil, fmt.Errorf("store: user: %w", err)
	}
	if !found {
		return nil, fmt.Errorf("store: user: %w", account.ErrNotFound)
	}
	return d.user(), nil
}

// UserByLogin returns an account by its normalised login.
func (s *Store) UserByLogin(ctx context.Context, login string) (*account.User, error) {
	claim, found, err := findByID[loginDoc](ctx, s, collLogins, login)
	if err != nil {
		return nil, fmt.Errorf("store: user by login: %w", err)
	}
	if !found {
		return nil, fmt.Errorf("store: user by login: %w", account.ErrNotFound)
	}
	u, err := s.UserByID(ctx, claim.UserID)
	if err != nil {
		return nil, err
	}
	if u.Login.Value != login { // a claim left behind by an anonymisation cut short
		return nil, fmt.Errorf("store: user by login: %w", account.ErrNotFound)
	}
	return u, nil
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
	ids, err := s.CohortMembers(ctx, cohortID)
	if err != nil {
		return nil, err
	}
	return s.UsersByIDs(ctx, ids)
}

// Users lists accounts for admins, anonymised ones left out. It is the
// one search of the accounts, on an admin page: MongoDB answers it from
// the whole collection as well, at most Limit accounts are decoded and
// sent, and nothing else waits for it.
func (s *Store) Users(ctx context.Context, q account.UserQuery) ([]*account.User, error) {
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
	docs, err := findAll[userDoc](ctx, s, collUsers, filter, opts)
	if err != nil {
		return nil, fmt.Errorf("store: users: %w", err)
	}
	out := make([]*account.User, len(docs))
	for i, d := range docs {
		out[i] = d.user()
	}
	return out, nil
}

func (s *Store) setUser(ctx context.Context, id string, set bson.D) error {
	set = append(set, bson.E{Key: "updated_at", Value: time.Now().UTC()})
	matched, err := s.update(ctx, collUsers, id, bson.D{{Key: "$set", Value: set}}, false)
	if err != nil {
		return fmt.Errorf("store: update user: %w", err)
	}
	if !matched {
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

// SetRole changes a role, and the content languages of a reviewer (nil
// for any other role).
func (s *Store) SetRole(ctx context.Context, id string, role account.Role, languages []string) error {
	if languages == nil {
		languages = []string{}
	}
	return s.setUser(ctx, id, bson.D{{Key: "role", Value: string(role)}, {Key: "languages", Value: languages}})
}

// AddCohort makes a user a member of a cohort; repeating it changes
// nothing. The cohort's list of members is written first: a person who
// can read a cohort's courses is always on its trainers' report.
func (s *Store) AddCohort(ctx context.Context, userID, cohortID string) error {
	if _, err := s.UserByID(ctx, userID); err != nil {
		return fmt.Errorf("store: add cohort: %w", err)
	}
	if err := s.addMembers(ctx, cohortID, userID); err != nil {
		return fmt.Errorf("store: add cohort: %w", err)
	}
	matched, err := s.update(ctx, collUsers, userID, bson.D{{Key: "$addToSet", Value: bson.D{{Key: "cohorts", Value: cohortID}}}}, false)
	if err != nil {
		return fmt.Errorf("store: add cohort: %w", err)
	}
	if !matched {
		return fmt.Errorf("store: add cohort: %w", account.ErrNotFound)
	}
	return nil
}

// Anonymise removes the personal data of an account at its owner's
// request, keeping what aggregate statistics need (role, organisation,
// region, cohorts, progress, attempts, the ids of its offline events and
// audit entries, under the anonymous id), and frees its login. Its
// certificates are withdrawn first (name, organisation and signed
// statement removed), each by _id: were the request cut, the account
// still signs in and can be deleted again. Reset links stay until they
// expire: they hold no name, and a deleted account cannot be reset.
func (s *Store) Anonymise(ctx context.Context, id string, at time.Time) error {
	u, err := s.UserByID(ctx, id)
	if err != nil {
		return fmt.Errorf("store: anonymise: %w", err)
	}
	for _, p := range u.Progress {
		for _, serial := range append(slices.Clone(p.Earlier), p.Certificate) {
			if serial == "" {
				continue
			}
			if err := s.WithdrawCertificate(ctx, serial, at); err != nil {
				return fmt.Errorf("store: anonymise: %w", err)
			}
		}
	}
	if err := s.setUser(ctx, id, bson.D{
		{Key: "login", Value: "deleted:" + id}, {Key: "login_kind", Value: "deleted"},
		{Key: "name", Value: ""}, {Key: "lang", Value: ""},
		{Key: "password_hash", Value: ""}, {Key: "one_time_hash", Value: ""},
		{Key: "deleted_at", Value: at.UTC()},
	}); err != nil {
		return err
	}
	if err := s.releaseLogin(ctx, u.Login.Value, id); err != nil {
		return fmt.Errorf("store: anonymise: %w", err)
	}
	return nil
}

var (
	_ training.Progress = (*Store)(nil)
	_ auth.Users        = (*Store)(nil)
	_ auth.Resets       = (*Store)(nil)
	_ cohort.Members    = (*Store)(nil)
)
