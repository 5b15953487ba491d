package cohort

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"time"

	"github.com/kalan-platform/kalan/server/account"
	"github.com/kalan-platform/kalan/server/audit"
	"github.com/kalan-platform/kalan/server/throttle"
)

// ErrNotFound is returned for an unknown cohort.
var ErrNotFound = errors.New("cohort: not found")

// Errors of joining with a code.
var (
	ErrUnknownCode = errors.New("cohort: no cohort with this code")
	ErrClosed      = errors.New("cohort: closed to new members")
)

// JoinRule limits wrong codes per client address, so that codes cannot be
// guessed; right codes are not counted.
var JoinRule = throttle.Rule{Max: 20, Window: 15 * time.Minute}

// ErrCodeTaken is returned by a Store when a new cohort's join code is
// already used.
var ErrCodeTaken = errors.New("cohort: join code already used")

// Store keeps cohorts.
type Store interface {
	CreateCohort(ctx context.Context, c *Cohort) error // ErrCodeTaken
	UpdateCohort(ctx context.Context, c *Cohort) error
	AddTrainer(ctx context.Context, cohortID, userID string) error
	Cohort(ctx context.Context, id string) (*Cohort, error)         // ErrNotFound
	CohortByCode(ctx context.Context, code string) (*Cohort, error) // ErrNotFound
	Cohorts(ctx context.Context) ([]*Cohort, error)
}

// Members is what enrolment needs of the accounts.
type Members interface {
	UserByLogin(ctx context.Context, login string) (*account.User, error)
	CreateUser(ctx context.Context, u *account.User) error
	AddCohort(ctx context.Context, userID, cohortID string) error
	Invite(ctx context.Context, userID, cohortID string) error
	// AnswerInvitation reports false when there was no invitation.
	AnswerInvitation(ctx context.Context, userID, cohortID string, accept bool) (bool, error)
	// LeaveCohort reports false when the person was not a member.
	LeaveCohort(ctx context.Context, userID, cohortID string) (bool, error)
	SetOneTimePassword(ctx context.Context, userID, hash string, expires time.Time) error
}

// OneTimeValidity is how long a one-time password handed out by a trainer
// stays usable.
const OneTimeValidity = 30 * 24 * time.Hour

// Service creates and changes cohorts; the cohorts it keeps in memory
// (its Cache) answer the reads.
type Service struct {
	*Cache
	store   Store
	members Members
	audit   *audit.Log
	codes   *throttle.Limiter
	log     *slog.Logger
	now     func() time.Time
	// onJoin is told of each person enrolled (the trainer reports count
	// them).
	onJoin func(ctx context.Context, userID, cohortID string)
}

// Deps are what the service is built from.
type Deps struct {
	Store    Store
	Members  Members
	Failures throttle.Store // wrong join codes, per address
	Audit    *audit.Log
	// Cache holds the cohorts in memory; nil: a new one on Store. Share
	// one with whatever reads cohorts for OnJoin.
	Cache *Cache
	// OnJoin, when set, is told of each person enrolled or accepting an
	// invitation.
	OnJoin func(ctx context.Context, userID, cohortID string)
	Log    *slog.Logger
	Now    func() time.Time // nil: time.Now
}

// NewService returns the cohort service; call Refresh to fill its cache.
func NewService(d Deps) *Service {
	if d.Cache == nil {
		d.Cache = NewCache(d.Store)
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	return &Service{Cache: d.Cache, store: d.Store, members: d.Members, audit: d.Audit, log: d.Log, now: d.Now,
		onJoin: d.OnJoin, codes: throttle.New("join-address", JoinRule, d.Failures)}
}

// ByCode finds the cohort a person wants to join. Each try is counted
// against the client address before the code is looked up
// (*throttle.LimitedError when too many); a wrong code stays counted, any
// other outcome gives the try back, so a room of trainees joining with
// the right code uses nothing up.
func (s *Service) ByCode(ctx context.Context, input, addr string) (*Cohort, error) {
	try, err := s.codes.Reserve(ctx, addr)
	if err != nil {
		return nil, err
	}
	code := account.NormalizeJoinCode(input)
	var c *Cohort
	err = ErrUnknownCode
	if code != "" {
		c, err = s.store.CohortByCode(ctx, code)
		if errors.Is(err, ErrNotFound) {
			err = ErrUnknownCode
		}
	}
	if errors.Is(err, ErrUnknownCode) {
		return nil, err
	}
	if err := errors.Join(err, try.Release(ctx)); err != nil {
		return nil, err
	}
	if c.Closed {
		return nil, ErrClosed
	}
	return c, nil
}

// Managed returns the cohorts a user may manage: all for an admin, their
// own for a trainer.
func (s *Service) Managed(userID string, role account.Role) []*Cohort {
	var out []*Cohort
	for _, c := range s.All() {
		if CanManage(userID, role, c) {
			out = append(out, c)
		}
	}
	return out
}

// Create makes a cohort run by its creator, with a fresh join code.
func (s *Service) Create(ctx context.Context, actor *account.User, f Form, known func(string) bool, ip string) (*Cohort, account.FieldErrors, error) {
	c := &Cohort{ID: account.NewID(), Trainers: []string{actor.ID}, CreatedBy: actor.ID, CreatedAt: s.now().UTC()}
	if errs := f.Validate(c, known); errs != nil {
		return nil, errs, nil
	}
	for attempt := 0; ; attempt++ {
		c.JoinCode = account.NewJoinCode()
		err := s.store.CreateCohort(ctx, c)
		if err == nil {
			break
		}
		if !errors.Is(err, ErrCodeTaken) || attempt == 4 {
			return nil, nil, err
		}
	}
	if err := s.record(ctx, actor, audit.CohortCreated, c, ip, map[string]string{"name": c.Name}); err != nil {
		return nil, nil, err
	}
	s.keep(c)
	return c, nil, nil
}

// Update applies a form to a cohort.
func (s *Service) Update(ctx context.Context, actor *account.User, c *Cohort, f Form, known func(string) bool, ip string) (account.FieldErrors, error) {
	changed := *c
	if errs := f.Validate(&changed, known); errs != nil {
		return errs, nil
	}
	if err := s.store.UpdateCohort(ctx, &changed); err != nil {
		return nil, err
	}
	if err := s.record(ctx, actor, audit.CohortUpdated, &changed, ip, nil); err != nil {
		return nil, err
	}
	return nil, s.reload(ctx, c.ID)
}

// SetClosed closes a cohort to new members, or opens it again.
func (s *Service) SetClosed(ctx context.Context, actor *account.User, c *Cohort, closed bool, ip string) error {
	changed := *c
	changed.Closed = closed
	if err := s.store.UpdateCohort(ctx, &changed); err != nil {
		return err
	}
	action := audit.CohortReopened
	if closed {
		action = audit.CohortClosed
	}
	if err := s.record(ctx, actor, action, c, ip, nil); err != nil {
		return err
	}
	return s.reload(ctx, c.ID)
}

// AddTrainer lets another trainer (or admin) run the cohort.
func (s *Service) AddTrainer(ctx context.Context, actor *account.User, c *Cohort, trainer *account.User, ip string) error {
	if err := s.store.AddTrainer(ctx, c.ID, trainer.ID); err != nil {
		return err
	}
	if err := s.record(ctx, actor, audit.CohortTrainer, c, ip, map[string]string{"trainer": trainer.ID}); err != nil {
		return err
	}
	return s.reload(ctx, c.ID)
}

// Enrolled is one person of an enrolment.
type Enrolled struct {
	Row     account.EnrolRow
	User    *account.User // nil for an invitation: the trainer learns nothing of the account
	New     bool          // the account was created
	OneTime string        // the one-time password to hand over, for new accounts
	// Invited: the account existed, and its owner is asked to accept.
	Invited bool
}

// Enrol adds the people of a checked CSV file to a cohort: new accounts
// are created in it with a one-time password; the owners of existing
// accounts are invited, and join only if they accept (a trainer must not
// be able to take anyone's progress and certificates by typing their
// phone number). Each
// step is idempotent, so if the database fails half-way, importing the
// same file again completes the enrolment without duplicating anyone.
func (s *Service) Enrol(ctx context.Context, actor *account.User, c *Cohort, rows []account.EnrolRow, lang, ip string) ([]Enrolled, error) {
	var out []Enrolled
	for _, row := range rows {
		e, err := s.enrolOne(ctx, c, row, lang)
		if err != nil {
			return out, fmt.Errorf("cohort: enrol line %d: %w", row.Line, err)
		}
		out = append(out, e)
	}
	created, invitedN := 0, 0
	for _, e := range out {
		if e.New {
			created++
		}
		if e.Invited {
			invitedN++
		}
	}
	err := s.record(ctx, actor, audit.Enrolled, c, ip, map[string]string{
		"rows": strconv.Itoa(len(out)), "created": strconv.Itoa(created), "invited": strconv.Itoa(invitedN),
	})
	return out, err
}

func (s *Service) enrolOne(ctx context.Context, c *Cohort, row account.EnrolRow, lang string) (Enrolled, error) {
	e := Enrolled{Row: row}
	u, err := s.members.UserByLogin(ctx, row.Login.Value)
	if err == nil && !u.Deleted() {
		e.Invited = true
		if slices.Contains(u.Cohorts, c.ID) {
			return e, nil // already a member: nothing to ask
		}
		return e, s.members.Invite(ctx, u.ID, c.ID)
	}
	if errors.Is(err, account.ErrNotFound) {
		org, region := row.Organisation, row.Region
		if org == "" {
			org = c.Organisation
		}
		if region == "" {
			region = c.Region
		}
		now := s.now().UTC()
		u = &account.User{ID: account.NewID(), Login: row.Login, Name: row.Name, Organisation: org, Region: region,
			Lang: lang, Role: account.RoleTrainee, CreatedAt: now, UpdatedAt: now}
		e.OneTime = account.GeneratePassword()
		u.OneTimeHash, u.OneTimeExpires, u.MustChangePassword = account.HashOneTime(e.OneTime), now.Add(OneTimeValidity), true
		err = s.members.CreateUser(ctx, u)
		if errors.Is(err, account.ErrLoginTaken) { // taken meanwhile (a concurrent enrolment, someone joining): ask
			e.OneTime, e.Invited = "", true
			if u, err = s.members.UserByLogin(ctx, row.Login.Value); err == nil {
				err = s.members.Invite(ctx, u.ID, c.ID)
			}
			return e, err
		}
		e.New = err == nil
	}
	if err != nil {
		return e, err
	}
	if err := s.members.AddCohort(ctx, u.ID, c.ID); err != nil {
		return e, err
	}
	if s.onJoin != nil {
		s.onJoin(ctx, u.ID, c.ID)
	}
	e.User = u
	return e, nil
}

// ErrNoInvitation is an answer to an invitation that is not open.
var ErrNoInvitation = errors.New("cohort: no such invitation")

// AnswerInvitation accepts or declines an invitation of the person's.
// Answering twice the same way is not an error.
func (s *Service) AnswerInvitation(ctx context.Context, u *account.User, cohortID string, accept bool, ip string) error {
	c, err := s.Get(ctx, cohortID)
	if errors.Is(err, ErrNotFound) || (err == nil && accept && c.Closed) {
		return ErrNoInvitation
	}
	if err != nil {
		return err
	}
	ok, err := s.members.AnswerInvitation(ctx, u.ID, c.ID, accept)
	if err != nil {
		return err
	}
	if !ok {
		if accept && slices.Contains(u.Cohorts, c.ID) {
			return nil
		}
		if !accept && !slices.Contains(u.Invitations, c.ID) && !slices.Contains(u.Cohorts, c.ID) {
			return nil
		}
		return ErrNoInvitation
	}
	action := audit.InvitationDeclined
	if accept {
		action = audit.InvitationAccepted
		if s.onJoin != nil {
			s.onJoin(ctx, u.ID, c.ID)
		}
	}
	return s.record(ctx, u, action, c, ip, nil)
}

// Leave takes a member out of a cohort at their own request: its
// trainers no longer see them, and its courses are no longer theirs to
// read (what they earned stays theirs). Leaving twice is not an error.
func (s *Service) Leave(ctx context.Context, u *account.User, cohortID, ip string) error {
	c, err := s.Get(ctx, cohortID)
	if errors.Is(err, ErrNotFound) {
		return ErrNotMember
	}
	if err != nil {
		return err
	}
	left, err := s.members.LeaveCohort(ctx, u.ID, c.ID)
	if err != nil || !left {
		if err == nil && !slices.Contains(u.Cohorts, c.ID) {
			err = ErrNotMember
		}
		return err
	}
	return s.record(ctx, u, audit.CohortLeft, c, ip, nil)
}

// ErrNotMember is a request to leave a cohort one is not in.
var ErrNotMember = errors.New("cohort: not a member")

func (s *Service) record(ctx context.Context, actor *account.User, action string, c *Cohort, ip string, details map[string]string) error {
	return s.audit.Record(ctx, audit.Entry{ActorID: actor.ID, Action: action, TargetType: "cohort", TargetID: c.ID, Details: details, IP: ip})
}
