// Package training is a trainee's way through a course: which version
// they follow, lessons done, quiz attempts (started, saved as they go,
// submitted once), and the certificate issued on completion. Every write a
// trainee makes is idempotent, so a retry over a bad network never counts
// twice and a lost answer is never lost. The rules themselves (drawing,
// grading, completion) live in package learning; this package applies them
// through the store interfaces it declares.
package training

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"time"

	"github.com/kalan-platform/kalan/locales"
	"github.com/kalan-platform/kalan/server/account"
	"github.com/kalan-platform/kalan/server/audit"
	"github.com/kalan-platform/kalan/server/catalog"
	"github.com/kalan-platform/kalan/server/certificate"
	"github.com/kalan-platform/kalan/server/learning"
	"github.com/kalan-platform/kalan/server/offline"
)

// Errors of this package.
var (
	ErrNotFound   = errors.New("training: not found")
	ErrSubmitted  = errors.New("training: attempt already submitted")
	ErrNotYours   = errors.New("training: attempt of another person")
	ErrExists     = errors.New("training: already exists")
	ErrNoQuiz     = errors.New("training: the course has no final quiz")
	ErrNotStarted = errors.New("training: course not started")
)

// Attempt is one try at a course's final quiz.
type Attempt struct {
	ID          string
	UserID      string
	Course      string // slug
	Version     string
	Lang        string // the language the questions were shown in, for the statistics
	Seed        uint64
	Drawn       []learning.Drawn
	Answers     learning.Answers
	StartedAt   time.Time
	UpdatedAt   time.Time
	SubmittedAt time.Time        // zero while open
	Result      *learning.Result // nil while open
}

// Submitted reports whether the attempt is finished.
func (a *Attempt) Submitted() bool { return !a.SubmittedAt.IsZero() }

// Certificate is an issued certificate with its signature and status.
type Certificate struct {
	certificate.Certificate
	UserID    string
	Version   string
	Payload   []byte // the signed statement, exactly as signed
	Signature []byte
	IssuedAt  time.Time
	RevokedAt time.Time // zero unless revoked
	Reason    string    // why it was revoked
	RevokedBy string
	// EarnedIn are the ids of the holder's cohorts that followed the
	// course when it was issued: their trainers have authority over it.
	// Nil for a certificate issued before they were recorded (see
	// server/certificate_show.go for what is done then); empty, not nil,
	// when the holder was in no such cohort.
	EarnedIn []string
	// WithdrawnAt is set when the holder deleted their account: the
	// name, organisation and signed statement are gone, and the
	// certificate no longer certifies anything.
	WithdrawnAt time.Time
}

// Revoked reports whether the certificate was revoked, or withdrawn with
// its holder's account.
func (c *Certificate) Revoked() bool { return !c.RevokedAt.IsZero() || c.Withdrawn() }

// Withdrawn reports whether the holder's account was deleted.
func (c *Certificate) Withdrawn() bool { return !c.WithdrawnAt.IsZero() }

// Progress is what the service needs of people's progress.
type Progress interface {
	StartCourse(ctx context.Context, userID, slug, version string, now time.Time) error
	CompleteLesson(ctx context.Context, userID, slug, lesson string, now time.Time) error
	SetLastLesson(ctx context.Context, userID, slug, lesson string) error
	RecordScore(ctx context.Context, userID, slug string, score int, passed bool, now time.Time) error
	SetCompleted(ctx context.Context, userID, slug, serial string, at time.Time) error
	// ReplaceCertificate puts serial in place of the revoked one if the
	// progress still holds it, and reports whether this call did.
	ReplaceCertificate(ctx context.Context, userID, slug, revoked, serial string, at time.Time) (bool, error)
	UserByID(ctx context.Context, id string) (*account.User, error)
}

// Attempts keeps quiz attempts.
type Attempts interface {
	// CreateAttempt stores a new attempt; ErrExists when its id is taken.
	CreateAttempt(ctx context.Context, a *Attempt) error
	// Attempt returns an attempt by id, or ErrNotFound. Of the result of
	// a submitted one, only Score and Passed are kept.
	Attempt(ctx context.Context, id string) (*Attempt, error)
	// SaveAnswers replaces the answers of an open attempt; ErrSubmitted once submitted.
	SaveAnswers(ctx context.Context, id string, a learning.Answers, now time.Time) error
	// FinishAttempt stores the answers and result of an open attempt
	// (its Score and Passed: the rest is graded again when read). It reports
	// whether this call finished it: false when it was already submitted.
	FinishAttempt(ctx context.Context, id string, a learning.Answers, r learning.Result, now time.Time) (bool, error)
}

// Certificates keeps issued certificates.
type Certificates interface {
	// CreateCertificate stores a certificate; ErrExists when its serial is taken.
	CreateCertificate(ctx context.Context, c *Certificate) error
	CertificateBySerial(ctx context.Context, serial string) (*Certificate, error) // ErrNotFound
	RevokeCertificate(ctx context.Context, serial, reason, by string, at time.Time) error
}

// Outcomes learns what the service did, for the operator's metrics.
type Outcomes interface {
	Submitted(passed bool) // an attempt graded, once per attempt
	Issued()               // a certificate written
	Revoked()              // a certificate revoked
}

// Service is the trainee's side of courses.
type Service struct {
	progress Progress
	attempts Attempts
	certs    Certificates
	catalog  *catalog.Catalog
	cohorts  Cohorts
	audit    *audit.Log
	key      ed25519.PrivateKey
	issuer   string
	labels   locales.Translate
	recorder *Recorder
	syncLog  offline.Log
	outcomes Outcomes
	log      *slog.Logger
	now      func() time.Time
}

// Deps are what the service is built from.
type Deps struct {
	Progress     Progress
	Attempts     Attempts
	Certificates Certificates
	Catalog      *catalog.Catalog
	Cohorts      Cohorts // what Open decides access with
	Audit        *audit.Log
	Key          ed25519.PrivateKey // signs certificates
	Issuer       string             // names this installation in certificates ("Kalan kalan.example.org")
	Labels       locales.Translate
	Recorder     *Recorder   // writes the facts of trainer reports
	SyncLog      offline.Log // where Sync remembers the offline events applied
	// Outcomes, when set, is told of submissions, certificates issued and
	// revocations.
	Outcomes Outcomes
	Log      *slog.Logger
	Now      func() time.Time // nil: time.Now
}

// New returns the service.
func New(d Deps) *Service {
	if d.Now == nil {
		d.Now = time.Now
	}
	return &Service{progress: d.Progress, attempts: d.Attempts, certs: d.Certificates, catalog: d.Catalog, cohorts: d.Cohorts,
		audit: d.Audit, key: d.Key, issuer: d.Issuer, labels: d.Labels, recorder: d.Recorder, syncLog: d.SyncLog,
		outcomes: d.Outcomes, log: d.Log, now: d.Now}
}

// PublicKey is the key anyone checks certificates with.
func (s *Service) PublicKey() ed25519.PublicKey { return s.key.Public().(ed25519.PublicKey) }

// Version returns the version of a course a person follows: the one they
// started, else the published one (nil u: a visitor).
func (s *Service) Version(ctx context.Context, u *account.User, published *catalog.Course) (*catalog.Course, error) {
	if u == nil {
		return published, nil
	}
	p, ok := u.Progress[published.Def.Slug]
	if !ok || p.Version == published.ID {
		return published, nil
	}
	return s.catalog.Get(ctx, p.Version)
}

// progressOf is a person's progress in a course, as the rules see it.
func progressOf(u *account.User, slug string) learning.Progress {
	p := u.Progress[slug]
	return learning.Progress{LessonsDone: p.LessonsDone, QuizPassed: p.QuizPassed}
}

// Opened records the lesson a person opened, to continue from there. It
// writes only when the lesson changes.
func (s *Service) Opened(ctx context.Context, u *account.User, c *catalog.Course, lesson string) error {
	if p, ok := u.Progress[c.Def.Slug]; ok && p.Last == lesson {
		return nil
	}
	if err := s.start(ctx, u, c); err != nil {
		return err
	}
	return s.progress.SetLastLesson(ctx, u.ID, c.Def.Slug, lesson)
}

func (s *Service) start(ctx context.Context, u *account.User, c *catalog.Course) error {
	if _, ok := u.Progress[c.Def.Slug]; ok {
		return nil
	}
	if err := s.progress.StartCourse(ctx, u.ID, c.Def.Slug, c.ID, s.now()); err != nil {
		return err
	}
	s.recorder.member(ctx, u.ID, c.Def.Slug)
	return nil
}

// CompleteLesson marks a lesson done (idempotent) and issues the
// certificate when that completes the course.
func (s *Service) CompleteLesson(ctx context.Context, u *account.User, c *catalog.Course, lesson string) error {
	if err := s.start(ctx, u, c); err != nil {
		return err
	}
	if err := s.progress.CompleteLesson(ctx, u.ID, c.Def.Slug, lesson, s.now()); err != nil {
		return err
	}
	if _, err := s.IssueIfComplete(ctx, u.ID, c); err != nil {
		return err
	}
	s.recorder.member(ctx, u.ID, c.Def.Slug)
	return nil
}

// AttemptID is deterministic: the n-th attempt of a person at a version
// has one id, so two tabs starting at once get the same attempt, and a
// person's attempts are found by id.
func AttemptID(userID, version string, n int) string {
	sum := sha256.Sum256([]byte(fmt.Sprintf("attempt|%s|%s|%d", userID, version, n)))
	return hex.EncodeToString(sum[:12])
}

// NewAttempt is the n-th attempt of a person at a course version, its
// questions drawn from a seed its id gives.
func NewAttempt(userID string, c *catalog.Course, lang string, n int, now time.Time) *Attempt {
	id := AttemptID(userID, c.ID, n)
	seed := binary.BigEndian.Uint64([]byte(id[:16]))
	return &Attempt{ID: id, UserID: userID, Course: c.Def.Slug, Version: c.ID, Lang: lang, Seed: seed,
		Drawn: learning.Draw(c.Def.Quiz, seed), Answers: learning.Answers{}, StartedAt: now, UpdatedAt: now}
}

// attempt reads an attempt. The store keeps of a submitted attempt its
// answers, score and pass; the rest of the result (each question right
// or not, the lessons to read again) is graded again here from the
// immutable version it was taken on, as it was at submission.
func (s *Service) attempt(ctx context.Context, id string) (*Attempt, error) {
	return readAttempt(ctx, s.attempts, s.catalog, id)
}

func readAttempt(ctx context.Context, attempts Attempts, cat *catalog.Catalog, id string) (*Attempt, error) {
	a, err := attempts.Attempt(ctx, id)
	if err != nil || !a.Submitted() {
		return a, err
	}
	v, err := cat.Get(ctx, a.Version)
	if err != nil {
		return nil, fmt.Errorf("training: attempt %s: %w", id, err)
	}
	r := learning.Grade(v.Def, a.Drawn, a.Answers)
	r.Score, r.Passed = a.Result.Score, a.Result.Passed // as recorded, what the certificate rests on
	a.Result = &r
	return a, nil
}

// attemptsAt lists a person's attempts at a version, oldest first. Their
// ids are deterministic: each is read by id, up to the first that does
// not exist (the n-th is only ever started once the n-1 before it exist).
func (s *Service) attemptsAt(ctx context.Context, userID, version string) ([]*Attempt, error) {
	return attemptsAt(ctx, s.attempts, s.catalog, userID, version)
}

func attemptsAt(ctx context.Context, attempts Attempts, cat *catalog.Catalog, userID, version string) ([]*Attempt, error) {
	var list []*Attempt
	for n := 1; ; n++ {
		a, err := readAttempt(ctx, attempts, cat, AttemptID(userID, version, n))
		if errors.Is(err, ErrNotFound) {
			return list, nil
		}
		if err != nil {
			return nil, err
		}
		list = append(list, a)
	}
}

// history is what the attempt rules need of past attempts.
func history(list []*Attempt) (learning.History, *Attempt) {
	var h learning.History
	var open *Attempt
	for _, a := range list {
		if a.Submitted() {
			h.Submitted = append(h.Submitted, a.SubmittedAt)
		} else {
			open = a
		}
	}
	return h, open
}

// StartOrResume returns the open attempt of a person at a course, or
// starts one when the rules allow (else learning.ErrNoAttemptsLeft or
// *learning.WaitError).
func (s *Service) StartOrResume(ctx context.Context, u *account.User, c *catalog.Course, lang string) (*Attempt, error) {
	if !learning.HasFinalQuiz(c.Def) {
		return nil, ErrNoQuiz
	}
	if err := s.start(ctx, u, c); err != nil {
		return nil, err
	}
	list, err := s.attemptsAt(ctx, u.ID, c.ID)
	if err != nil {
		return nil, err
	}
	h, open := history(list)
	if open != nil {
		return open, nil
	}
	now := s.now().UTC()
	if err := learning.CanStart(c.Def.Quiz, h, now); err != nil {
		return nil, err
	}
	a := NewAttempt(u.ID, c, lang, len(list)+1, now)
	err = s.attempts.CreateAttempt(ctx, a)
	if errors.Is(err, ErrExists) { // started at the same moment elsewhere
		return s.attempt(ctx, a.ID)
	}
	return a, err
}

// Owned returns an attempt of the person, ErrNotYours for another's.
func (s *Service) Owned(ctx context.Context, u *account.User, id string) (*Attempt, error) {
	a, err := s.attempt(ctx, id)
	if err != nil {
		return nil, err
	}
	if a.UserID != u.ID {
		return nil, ErrNotYours
	}
	return a, nil
}

// Save stores the answers given so far (they replace the previous ones:
// repeating a save changes nothing).
func (s *Service) Save(ctx context.Context, u *account.User, c *catalog.Course, a *Attempt, answers learning.Answers) error {
	if a.Submitted() {
		return ErrSubmitted
	}
	if err := learning.ValidateAnswers(c.Def.Quiz, a.Drawn, answers); err != nil {
		return err
	}
	return s.attempts.SaveAnswers(ctx, a.ID, answers, s.now())
}

// Submit grades an attempt once. Submitting it again returns the first
// result without grading again. A pass is recorded, and completes the
// course when the lessons are done too.
func (s *Service) Submit(ctx context.Context, u *account.User, c *catalog.Course, a *Attempt, answers learning.Answers) (*Attempt, error) {
	if a.Submitted() {
		return a, nil
	}
	if err := learning.ValidateAnswers(c.Def.Quiz, a.Drawn, answers); err != nil {
		return nil, err
	}
	result := learning.Grade(c.Def, a.Drawn, answers)
	finished, err := s.attempts.FinishAttempt(ctx, a.ID, answers, result, s.now())
	if err != nil {
		return nil, err
	}
	done, err := s.attempt(ctx, a.ID)
	if err != nil {
		return nil, err
	}
	if finished {
		if err := s.progress.RecordScore(ctx, u.ID, c.Def.Slug, done.Result.Score, done.Result.Passed, s.now()); err != nil {
			return nil, err
		}
		if _, err := s.IssueIfComplete(ctx, u.ID, c); err != nil {
			return nil, err
		}
		s.recorder.answer(ctx, u, c, done)
		s.recorder.member(ctx, u.ID, c.Def.Slug)
		if s.outcomes != nil {
			s.outcomes.Submitted(done.Result.Passed)
		}
	}
	return done, nil
}

// Attempts lists a person's attempts at the version they follow.
func (s *Service) Attempts(ctx context.Context, u *account.User, c *catalog.Course) ([]*Attempt, error) {
	return s.attemptsAt(ctx, u.ID, c.ID)
}

// IssueIfComplete issues the person's certificate for a course when their
// progress completes it; it returns the certificate, or nil when the
// course is not complete. Issuing is idempotent: one certificate per
// person and course, whatever the retries. Its serial is claimed first in
// the person's progress (the first claim wins), then the certificate is
// written under it: a request cut in between is completed by the next.
// A revoked certificate is replaced by a new one, under a new serial,
// only once the person passed the final quiz again after the revocation
// (renewal): a lesson completed again does not undo a revocation, nor
// does anything in a course without a final quiz.
func (s *Service) IssueIfComplete(ctx context.Context, userID string, c *catalog.Course) (*Certificate, error) {
	u, err := s.progress.UserByID(ctx, userID) // fresh: the caller's copy predates its own write
	if err != nil {
		return nil, err
	}
	slug := c.Def.Slug
	if !learning.Complete(c.Def, progressOf(u, slug)) {
		return nil, nil
	}
	claimed := false
	if u.Progress[slug].Certificate == "" {
		if err := s.progress.SetCompleted(ctx, u.ID, slug, certificate.NewSerial(), s.now()); err != nil {
			return nil, err
		}
		claimed = true
	} else if claimed, err = s.renew(ctx, u, slug); err != nil {
		return nil, err
	}
	if claimed {
		if u, err = s.progress.UserByID(ctx, userID); err != nil {
			return nil, err
		}
	}
	p := u.Progress[slug]
	if cert, err := s.certs.CertificateBySerial(ctx, p.Certificate); !errors.Is(err, ErrNotFound) {
		return cert, err
	}
	cert := NewCertificate(Signer{Key: s.key, Issuer: s.issuer, Labels: s.labels}, u, c, s.now())
	cert.EarnedIn = s.recorder.followers(ctx, u, slug)
	if cert.EarnedIn == nil {
		cert.EarnedIn = []string{} // recorded: in no cohort, rather than unknown
	}
	err = s.certs.CreateCertificate(ctx, cert)
	if errors.Is(err, ErrExists) { // issued a moment ago by another request
		return s.certs.CertificateBySerial(ctx, p.Certificate)
	}
	if err != nil {
		return nil, err
	}
	s.log.Info("certificate issued", "course", slug, "version", c.ID)
	if s.outcomes != nil {
		s.outcomes.Issued()
	}
	return cert, nil
}

// renew claims a new serial in place of a revoked certificate when the
// person passed an attempt submitted after the revocation, and reports
// whether the progress changed (by this call or a concurrent one). The
// claim is conditional on the revoked serial: of parallel submissions,
// one claims and the others find the new serial.
func (s *Service) renew(ctx context.Context, u *account.User, slug string) (bool, error) {
	p := u.Progress[slug]
	cert, err := s.certs.CertificateBySerial(ctx, p.Certificate)
	if errors.Is(err, ErrNotFound) {
		return false, nil // claimed but not written yet: the caller writes it
	}
	if err != nil || !cert.Revoked() || cert.Withdrawn() {
		return false, err
	}
	list, err := s.attemptsAt(ctx, u.ID, p.Version)
	if err != nil {
		return false, err
	}
	for _, a := range list {
		if a.Submitted() && a.Result.Passed && a.SubmittedAt.After(cert.RevokedAt) {
			if _, err := s.progress.ReplaceCertificate(ctx, u.ID, slug, p.Certificate, certificate.NewSerial(), a.SubmittedAt); err != nil {
				return false, err
			}
			return true, nil
		}
	}
	return false, nil
}

// Signer is what signs certificates: the installation's key, its name,
// and the words of the statement in the holder's language.
type Signer struct {
	Key    ed25519.PrivateKey
	Issuer string
	Labels locales.Translate
}

// NewCertificate signs the certificate of a person whose progress in a
// course holds its serial and completion date.
func NewCertificate(sg Signer, u *account.User, c *catalog.Course, now time.Time) *Certificate {
	p := u.Progress[c.Def.Slug]
	lang := u.Lang
	if lang == "" {
		lang = "fr"
	}
	done := p.CompletedAt.UTC()
	title, _ := c.Def.Title.Get(lang)
	statement := certificate.Certificate{
		Serial: p.Certificate, Holder: u.Name, Course: c.Def.Slug, Title: title, Lang: lang,
		Completed: time.Date(done.Year(), done.Month(), done.Day(), 0, 0, 0, 0, time.UTC), Minutes: c.Def.DurationMinutes,
		Organisation: sg.Labels(lang, "organisation."+u.Organisation, nil), Issuer: sg.Issuer,
	}
	payload, sig := certificate.Sign(sg.Key, statement)
	return &Certificate{Certificate: statement, UserID: u.ID, Version: c.ID, Payload: payload, Signature: sig, IssuedAt: now.UTC()}
}

// Certificate finds a certificate by what a person typed or scanned.
func (s *Service) Certificate(ctx context.Context, serialInput string) (*Certificate, error) {
	serial, ok := certificate.NormalizeSerial(serialInput)
	if !ok {
		return nil, ErrNotFound
	}
	return s.certs.CertificateBySerial(ctx, serial)
}

// Revoke revokes a certificate, at once and for good, with a reason; the
// actor's right to do it is checked by the caller.
func (s *Service) Revoke(ctx context.Context, actor *account.User, c *Certificate, reason, addr string) error {
	if c.Revoked() {
		return nil
	}
	if err := s.certs.RevokeCertificate(ctx, c.Serial, reason, actor.ID, s.now()); err != nil {
		return err
	}
	if s.outcomes != nil {
		s.outcomes.Revoked()
	}
	s.recorder.member(ctx, c.UserID, c.Course)
	return s.audit.Record(ctx, audit.Entry{ActorID: actor.ID, Action: audit.CertificateRevoked, TargetType: "certificate",
		TargetID: c.Serial, Details: map[string]string{"reason": reason}, IP: addr})
}

// AttemptsOf lists every attempt of a person, at the version of each
// course they follow (the only one they can take), course by course.
func (s *Service) AttemptsOf(ctx context.Context, u *account.User) ([]*Attempt, error) {
	var out []*Attempt
	for _, slug := range slices.Sorted(maps.Keys(u.Progress)) {
		list, err := s.attemptsAt(ctx, u.ID, u.Progress[slug].Version)
		if err != nil {
			return nil, err
		}
		out = append(out, list...)
	}
	return out, nil
}

// CertificatesOf lists every certificate of a person: in each course, the
// revoked ones a later pass replaced, then the current one.
func (s *Service) CertificatesOf(ctx context.Context, u *account.User) ([]*Certificate, error) {
	var out []*Certificate
	for _, slug := range slices.Sorted(maps.Keys(u.Progress)) {
		p := u.Progress[slug]
		for _, serial := range append(slices.Clone(p.Earlier), p.Certificate) {
			if serial == "" {
				continue
			}
			cert, err := s.certs.CertificateBySerial(ctx, serial)
			if errors.Is(err, ErrNotFound) {
				continue // claimed, not written yet
			}
			if err != nil {
				return nil, err
			}
			out = append(out, cert)
		}
	}
	return out, nil
}
