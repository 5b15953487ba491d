// Package audit keeps the append-only record of what trainers and admins
// did: who, what, when, from where. The application only ever appends to
// it and reads it; nothing edits or deletes an entry.
package audit

import (
	"context"
	"fmt"
	"log/slog"
	"time"
)

// Actions recorded. Each has a message id "audit.action.<action>" for the
// audit page.
const (
	CohortCreated      = "cohort.created"
	CohortUpdated      = "cohort.updated"
	CohortClosed       = "cohort.closed"
	CohortReopened     = "cohort.reopened"
	CohortTrainer      = "cohort.trainer_added"
	Enrolled           = "cohort.enrolled"
	InvitationAccepted = "cohort.invitation_accepted" // by the person invited
	InvitationDeclined = "cohort.invitation_declined"
	CohortLeft         = "cohort.left" // by the member
	RoleChanged        = "user.role_changed"
	UserCreated        = "user.created"
	PasswordReset      = "user.password_reset_issued"
	AccountDeleted     = "user.deleted" // by its owner: recorded so that admins know why a name is gone
	CertificateRevoked = "certificate.revoked"
	LibraryAdded       = "library.added"
	LibraryUpdated     = "library.updated"
	LibraryReplaced    = "library.replaced"
	LibraryWithdrawn   = "library.withdrawn"
	LibraryRestored    = "library.restored"
	// DraftSaved: a reviewer saved the text of a lesson in a language as
	// a draft (details: lang, lesson, revision, base version).
	DraftSaved = "review.draft_saved"
	// TranslationReviewed: a reviewer marked a language of a published
	// course version reviewed (details: lang, version).
	TranslationReviewed = "review.marked"
	// RecordingSaved: a reviewer uploaded the recording of a lesson in a
	// language as a draft (details: lang, lesson, sha256, container,
	// bytes, duration_ms).
	RecordingSaved = "review.recording_saved"
	// CoursePublished: a reviewer or an admin published the drafts of a
	// course as a new version (details: version, from, languages, texts,
	// recordings, reviewed).
	CoursePublished = "review.published"
)

// Actions lists every action, for the filter of the audit page.
func Actions() []string {
	return []string{CohortCreated, CohortUpdated, CohortClosed, CohortReopened, CohortTrainer, Enrolled,
		InvitationAccepted, InvitationDeclined, CohortLeft, UserCreated, RoleChanged, PasswordReset, AccountDeleted, CertificateRevoked,
		LibraryAdded, LibraryUpdated, LibraryReplaced, LibraryWithdrawn, LibraryRestored, DraftSaved, TranslationReviewed, RecordingSaved, CoursePublished}
}

// Entry is one recorded action.
type Entry struct {
	At         time.Time
	ActorID    string // "" for the command line
	Action     string
	TargetType string // "cohort", "user"
	TargetID   string
	Details    map[string]string // small facts: {"from": "trainee", "to": "trainer"}, {"count": "12"}
	IP         string
}

// Filter selects entries; zero fields match everything.
type Filter struct {
	ActorID  string
	Action   string
	TargetID string
	From, To time.Time // To is exclusive
	Limit    int
	Before   time.Time // for paging: entries strictly before this instant
}

// Store appends and reads entries.
type Store interface {
	AppendAudit(ctx context.Context, e Entry) error
	// Audit returns matching entries, newest first.
	Audit(ctx context.Context, f Filter) ([]Entry, error)
}

// Log records actions.
type Log struct {
	store Store
	log   *slog.Logger
	now   func() time.Time
}

// NewLog returns an audit log writing to store.
func NewLog(store Store, log *slog.Logger) *Log {
	return &Log{store: store, log: log, now: time.Now}
}

// Record appends an entry stamped now. An action whose record fails is
// reported to the caller: an unrecorded trainer action must not pass
// silently.
func (l *Log) Record(ctx context.Context, e Entry) error {
	e.At = l.now().UTC()
	if err := l.store.AppendAudit(ctx, e); err != nil {
		return fmt.Errorf("audit: record %s: %w", e.Action, err)
	}
	return nil
}

// Entries reads the log.
func (l *Log) Entries(ctx context.Context, f Filter) ([]Entry, error) {
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 100
	}
	return l.store.Audit(ctx, f)
}
