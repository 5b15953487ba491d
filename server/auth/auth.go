// Package auth signs people in and out, creates accounts (from the command
// line, or when a trainee joins a cohort), and looks after passwords: one
// place for every rule about who is who. It works through the interfaces
// it declares; the store implements them.
package auth

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/netip"
	"strings"
	"time"

	"github.com/kalan-platform/kalan/server/account"
	"github.com/kalan-platform/kalan/server/audit"
	"github.com/kalan-platform/kalan/server/session"
	"github.com/kalan-platform/kalan/server/throttle"
)

// Errors a sign-in can end with.
var (
	// ErrBadCredentials is the one answer to a wrong login or password:
	// whether the account exists is not told.
	ErrBadCredentials = errors.New("auth: wrong login or password")
	// ErrResetInvalid is an unknown, used or expired reset link.
	ErrResetInvalid = errors.New("auth: reset link not valid")
)

// Users is what the service needs of the accounts.
type Users interface {
	CreateUser(ctx context.Context, u *account.User) error
	UserByID(ctx context.Context, id string) (*account.User, error)
	UserByLogin(ctx context.Context, login string) (*account.User, error)
	SetPassword(ctx context.Context, id, hash string) error
	SetOneTimePassword(ctx context.Context, id, hash string, expires time.Time) error
	UpdateProfile(ctx context.Context, id string, p account.Profile) error
	SetRole(ctx context.Context, id string, role account.Role, languages []string) error
	AddCohort(ctx context.Context, userID, cohortID string) error
	Anonymise(ctx context.Context, id string, at time.Time) error
}

// Resets keeps one-time reset links (their hashes).
type Resets interface {
	CreateReset(ctx context.Context, hash, userID string, expires time.Time) error
	Reset(ctx context.Context, hash string, now time.Time) (string, error) // ErrResetNotFound
	DeleteReset(ctx context.Context, hash string) error
}

// Sign-in limits (README: "Sign-in limits"). Attempts are counted per
// account and client address together, and per client address; never per
// account alone, so failures from elsewhere never lock out the person who
// knows the password: they slow down the source that fails.
//
// PairRule: 5 attempts per 15 minutes for one login from one address is
// enough for a person who mistypes and bounds a guesser at one address to
// 480 guesses a day on one account.
//
// AddressRule: many phones share one address (a training room's connection,
// a mobile operator's NAT). A room of 40 trainees who each mistype twice
// or three times makes 80-120 failures in a few minutes; 300 per 15 minutes
// leaves room for two such sessions and for attempts under way, while a
// guesser spraying accounts from one address gets 300 guesses in 15
// minutes, each against passwords already checked against guessable ones.
var (
	PairRule    = throttle.Rule{Max: 5, Window: 15 * time.Minute}
	AddressRule = throttle.Rule{Max: 300, Window: 15 * time.Minute}
)

// ResetValidity is how long a reset link works.
const ResetValidity = 72 * time.Hour

// Service is sign-in, accounts and passwords.
type Service struct {
	users     Users
	resets    Resets
	sessions  *session.Manager
	byPair    *throttle.Limiter
	byAddress *throttle.Limiter
	audit     *audit.Log
	log       *slog.Logger
	now       func() time.Time
	// hashing bounds concurrent argon2 work: each hash takes about 19 MiB.
	hashing chan struct{}
	// onJoin is told of each person who joins a cohort (the trainer
	// reports count them).
	onJoin func(ctx context.Context, userID, cohortID string)
}

// Deps are what the service is built from.
type Deps struct {
	Users    Users
	Resets   Resets
	Sessions *session.Manager
	Failures throttle.Store // sign-in failures, per login and address
	Audit    *audit.Log
	// OnJoin, when set, is told of each person who joins a cohort.
	OnJoin func(ctx context.Context, userID, cohortID string)
	Log    *slog.Logger
	Now    func() time.Time // nil: time.Now
}

// New returns the service.
func New(d Deps) *Service {
	if d.Now == nil {
		d.Now = time.Now
	}
	return &Service{
		users: d.Users, resets: d.Resets, sessions: d.Sessions, audit: d.Audit, log: d.Log, now: d.Now, onJoin: d.OnJoin,
		byPair:    throttle.New("login-pair", PairRule, d.Failures),
		byAddress: throttle.New("login-address", AddressRule, d.Failures),
		hashing:   make(chan struct{}, 2),
	}
}

// Sessions returns the session manager.
func (s *Service) Sessions() *session.Manager { return s.sessions }

func (s *Service) hashed(f func()) {
	s.hashing <- struct{}{}
	defer func() { <-s.hashing }()
	f()
}

// SignIn checks a login and password and starts a session. Wrong login,
// unknown account and wrong password give the same ErrBadCredentials after
// the same work; too many failures give *throttle.LimitedError.
func (s *Service) SignIn(ctx context.Context, loginInput, password, addr string, remember bool) (string, *account.User, error) {
	login, _ := account.ParseLogin(loginInput)
	u, err := s.verify(ctx, login, password, addr)
	if err != nil {
		return "", nil, err
	}
	token, _, err := s.sessions.Start(ctx, u.ID, remember)
	if err != nil {
		return "", nil, err
	}
	return token, u, nil
}

// verify is a throttled password check. The attempt is counted against
// the client address and against the login from that address before the
// password is checked, so parallel guesses cannot all pass a check made
// before any of them is counted. A wrong password stays counted; a success
// forgets the pair's failures and gives the address its attempt back
// (the address's other failures stay: one person's success at a shared
// address must not wipe out a guesser's count).
func (s *Service) verify(ctx context.Context, login account.Login, password, addr string) (*account.User, error) {
	source := sourceOf(addr)
	subject := login.Value
	if subject == "" {
		subject = "invalid"
	}
	// The address first: its key has no login in it, so it cannot collide
	// with the pair's (a login may contain "|", an address cannot).
	pair := source + "|" + subject
	byAddress, err := s.byAddress.Reserve(ctx, source)
	if err != nil {
		return nil, err
	}
	byPair, err := s.byPair.Reserve(ctx, pair)
	if err != nil {
		return nil, errors.Join(err, byAddress.Release(ctx))
	}
	u, err := s.check(ctx, login, password)
	switch {
	case errors.Is(err, ErrBadCredentials):
		return nil, err
	case err != nil:
		// Not the person's failure: the attempt was not made.
		return nil, errors.Join(err, byPair.Release(ctx), byAddress.Release(ctx))
	}
	if err := errors.Join(s.byPair.Reset(ctx, pair), byAddress.Release(ctx)); err != nil {
		// The person is who they say; a count left too high only slows
		// down the next attempts from this address.
		s.log.WarnContext(ctx, "sign-in: forget failures", "err", err)
	}
	return u, nil
}

// sourceOf is the client address as the limits count it: an IPv6 address
// by its /64, which one subscriber usually holds whole, so that walking
// through it does not give a guesser fresh limits.
func sourceOf(addr string) string {
	a, err := netip.ParseAddr(addr)
	switch {
	case err != nil:
		return addr
	case a.Is4() || a.Is4In6():
		return a.Unmap().String()
	}
	p, err := a.Prefix(64)
	if err != nil {
		return addr
	}
	return p.String()
}

// check verifies a password against an account, with the same argon2 work
// whatever the outcome.
func (s *Service) check(ctx context.Context, login account.Login, password string) (*account.User, error) {
	var u *account.User
	if login.Value != "" {
		found, err := s.users.UserByLogin(ctx, login.Value)
		switch {
		case err == nil && !found.Deleted():
			u = found
		case err != nil && !errors.Is(err, account.ErrNotFound):
			return nil, err
		}
	}
	ok := false
	s.hashed(func() {
		switch {
		case u != nil && u.PasswordHash != "":
			good, rehash, err := account.VerifyPassword(u.PasswordHash, password)
			ok = good && err == nil
			if ok && rehash {
				if h, err := account.HashPassword(password); err == nil {
					_ = s.users.SetPassword(ctx, u.ID, h)
				}
			}
		case u != nil && u.OneTimeHash != "" && s.now().Before(u.OneTimeExpires):
			account.DummyVerify(password)
			ok = account.HashOneTime(password) == u.OneTimeHash
		default:
			account.DummyVerify(password)
		}
	})
	if !ok {
		return nil, ErrBadCredentials
	}
	return u, nil
}

// SignOut ends the session of a token.
func (s *Service) SignOut(ctx context.Context, token string) error { return s.sessions.End(ctx, token) }

// SignOutEverywhere ends every session of a user but the current one.
func (s *Service) SignOutEverywhere(ctx context.Context, u *account.User, keep string) (int, error) {
	return s.sessions.EndAll(ctx, u.ID, keep)
}

// NewAccount is an account to create.
type NewAccount struct {
	Login    string
	Name     string
	Password string // "" for a one-time password, returned by Create
	Role     account.Role
	// Languages are a reviewer's content languages (account.ParseLanguages);
	// required for a reviewer, refused for any other role.
	Languages []string
	Profile   account.Profile // organisation, region, language
}

// Create makes an account (from the command line, or when joining). It
// returns the one-time password when none was given.
func (s *Service) Create(ctx context.Context, n NewAccount, supported func(string) bool) (*account.User, string, error) {
	login, err := account.ParseLogin(n.Login)
	if err != nil {
		return nil, "", err
	}
	if (n.Role == account.RoleReviewer) != (len(n.Languages) > 0) {
		return nil, "", account.FieldErrors{{Field: "languages", MessageID: "form.languages.role"}}
	}
	p := n.Profile
	p.Name = account.NormalizeName(n.Name)
	if errs := p.Validate(supported); errs != nil {
		return nil, "", errs
	}
	now := s.now().UTC()
	u := &account.User{ID: account.NewID(), Login: login, Name: p.Name, Organisation: p.Organisation, Region: p.Region,
		Lang: p.Lang, Role: n.Role, Languages: n.Languages, CreatedAt: now, UpdatedAt: now}
	oneTime := ""
	if n.Password == "" {
		oneTime = account.GeneratePassword()
		u.OneTimeHash, u.OneTimeExpires, u.MustChangePassword = account.HashOneTime(oneTime), now.Add(30*24*time.Hour), true
	} else {
		if ferr := account.CheckPassword(n.Password, p.Name, login.Value); ferr != nil {
			return nil, "", account.FieldErrors{ferr}
		}
		var herr error
		s.hashed(func() { u.PasswordHash, herr = account.HashPassword(n.Password) })
		if herr != nil {
			return nil, "", herr
		}
	}
	if err := s.users.CreateUser(ctx, u); err != nil {
		if errors.Is(err, account.ErrLoginTaken) {
			return nil, "", account.FieldErrors{{Field: "login", MessageID: "form.login.taken"}}
		}
		return nil, "", err
	}
	return u, oneTime, nil
}

// ChangePassword replaces a password after checking the current one (not
// asked when the person signed in with a one-time password), and signs out
// the other sessions.
func (s *Service) ChangePassword(ctx context.Context, u *account.User, current, next, keepSession, addr string) error {
	if !u.MustChangePassword || u.PasswordHash != "" {
		if _, err := s.verify(ctx, u.Login, current, addr); err != nil {
			return passwordError(err, "current")
		}
	}
	if ferr := account.CheckPassword(next, u.Name, u.Login.Value); ferr != nil {
		return account.FieldErrors{ferr}
	}
	var hash string
	var err error
	s.hashed(func() { hash, err = account.HashPassword(next) })
	if err != nil {
		return err
	}
	if err := s.users.SetPassword(ctx, u.ID, hash); err != nil {
		return err
	}
	_, err = s.sessions.EndAll(ctx, u.ID, keepSession)
	return err
}

// IssueReset makes a one-time reset link token for a user; the actor (an
// admin, or a trainer of the user's cohort) hands the link over.
func (s *Service) IssueReset(ctx context.Context, actor, u *account.User, addr string) (string, error) {
	token, hash := account.NewToken()
	if err := s.resets.CreateReset(ctx, hash, u.ID, s.now().Add(ResetValidity)); err != nil {
		return "", err
	}
	if err := s.audit.Record(ctx, audit.Entry{ActorID: actor.ID, Action: audit.PasswordReset, TargetType: "user", TargetID: u.ID, IP: addr}); err != nil {
		return "", err
	}
	return token, nil
}

// ResetUser returns the user of a reset link, without using it up.
func (s *Service) ResetUser(ctx context.Context, token string) (*account.User, error) {
	id, err := s.resets.Reset(ctx, account.HashToken(token), s.now())
	if err != nil {
		return nil, ErrResetInvalid
	}
	u, err := s.users.UserByID(ctx, id)
	if err != nil || u.Deleted() {
		return nil, ErrResetInvalid
	}
	return u, nil
}

// CompleteReset sets the new password of a reset link, uses the link up
// and signs the user out everywhere.
func (s *Service) CompleteReset(ctx context.Context, token, password string) (*account.User, error) {
	u, err := s.ResetUser(ctx, token)
	if err != nil {
		return nil, err
	}
	if ferr := account.CheckPassword(password, u.Name, u.Login.Value); ferr != nil {
		return nil, account.FieldErrors{ferr}
	}
	var hash string
	s.hashed(func() { hash, err = account.HashPassword(password) })
	if err != nil {
		return nil, err
	}
	if err := s.users.SetPassword(ctx, u.ID, hash); err != nil {
		return nil, err
	}
	if err := s.resets.DeleteReset(ctx, account.HashToken(token)); err != nil {
		return nil, err
	}
	if _, err := s.sessions.EndAll(ctx, u.ID, ""); err != nil {
		return nil, fmt.Errorf("auth: reset: %w", err)
	}
	return u, nil
}

// UpdateProfile checks and saves a person's own profile.
func (s *Service) UpdateProfile(ctx context.Context, u *account.User, p account.Profile, supported func(string) bool) error {
	p.Name = account.NormalizeName(p.Name)
	if errs := p.Validate(supported); errs != nil {
		return errs
	}
	return s.users.UpdateProfile(ctx, u.ID, p)
}

// SetRole changes a role, for admins, with the content languages of a
// reviewer (ignored for any other role). The audit entry says both, before
// and after: granting a reviewer a language is a grant too.
func (s *Service) SetRole(ctx context.Context, actor, u *account.User, role account.Role, languages []string, addr string) error {
	if role != account.RoleReviewer {
		languages = nil
	}
	if err := s.users.SetRole(ctx, u.ID, role, languages); err != nil {
		return err
	}
	details := map[string]string{"from": string(u.Role), "to": string(role)}
	if len(u.Languages) > 0 {
		details["from_languages"] = strings.Join(u.Languages, ",")
	}
	if len(languages) > 0 {
		details["languages"] = strings.Join(languages, ",")
	}
	return s.audit.Record(ctx, audit.Entry{ActorID: actor.ID, Action: audit.RoleChanged, TargetType: "user", TargetID: u.ID,
		Details: details, IP: addr})
}

// Delete anonymises a person's account at their request (the password
// confirms it is them) and signs them out everywhere. Aggregate figures
// keep counting the anonymous account.
func (s *Service) Delete(ctx context.Context, u *account.User, password, addr string) error {
	if _, err := s.verify(ctx, u.Login, password, addr); err != nil {
		return passwordError(err, "password")
	}
	if err := s.users.Anonymise(ctx, u.ID, s.now()); err != nil {
		return err
	}
	if _, err := s.sessions.EndAll(ctx, u.ID, ""); err != nil {
		return err
	}
	return s.audit.Record(ctx, audit.Entry{ActorID: u.ID, Action: audit.AccountDeleted, TargetType: "user", TargetID: u.ID, IP: addr})
}

// passwordError turns a failed check of a person's own password into a
// form error, keeping throttling and storage errors as they are.
func passwordError(err error, field string) error {
	if errors.Is(err, ErrBadCredentials) {
		return account.FieldErrors{{Field: field, MessageID: "form.password.wrong"}}
	}
	return err
}

// JoinForm is the join form (docs/CONTRACT.md: code, name, login, password).
type JoinForm struct{ Code, Name, Login, Password string }

// Join adds a person to a cohort. A signed-in viewer just joins. Otherwise
// the login either belongs to an account, whose password must be right,
// or a trainee account is created with the cohort's organisation and
// region. It returns a session token when it signed someone in.
func (s *Service) Join(ctx context.Context, viewer *account.User, cohortID string, defaults account.Profile, f JoinForm, addr string, supported func(string) bool) (string, *account.User, error) {
	u := viewer
	if u == nil {
		login, err := account.ParseLogin(f.Login)
		if err != nil {
			return "", nil, account.FieldErrors{err.(*account.FieldError)}
		}
		// The form is checked as a new account's whether or not the login
		// has one, so that the answer says nothing about which logins
		// exist until the password is right (for a free login, any
		// acceptable one is).
		p := defaults
		p.Name = account.NormalizeName(f.Name)
		errs := p.Validate(supported)
		if ferr := account.CheckPassword(f.Password, p.Name, login.Value); ferr != nil {
			errs = append(errs, ferr)
		}
		if errs != nil {
			return "", nil, errs
		}
		existing, err := s.users.UserByLogin(ctx, login.Value)
		switch {
		case err == nil && !existing.Deleted():
			// The login has an account: joining with it needs its password.
			if u, err = s.verify(ctx, login, f.Password, addr); err != nil {
				if errors.Is(err, ErrBadCredentials) {
					return "", nil, account.FieldErrors{{Field: "login", MessageID: "form.login.taken"}}
				}
				return "", nil, err
			}
		case err == nil, errors.Is(err, account.ErrNotFound):
			defaults.Name = f.Name
			if u, _, err = s.Create(ctx, NewAccount{Login: f.Login, Name: f.Name, Password: f.Password, Role: account.RoleTrainee, Profile: defaults}, supported); err != nil {
				return "", nil, err
			}
		default:
			return "", nil, err
		}
	}
	if err := s.users.AddCohort(ctx, u.ID, cohortID); err != nil {
		return "", nil, err
	}
	if s.onJoin != nil {
		s.onJoin(ctx, u.ID, cohortID)
	}
	if viewer != nil {
		return "", u, nil
	}
	token, _, err := s.sessions.Start(ctx, u.ID, false)
	return token, u, err
}
