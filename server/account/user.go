package account

import (
	"errors"
	"slices"
	"time"
)

// Errors of account stores.
var (
	ErrNotFound   = errors.New("account: not found")
	ErrLoginTaken = errors.New("account: login already used")
)

// User is one account.
type User struct {
	ID           string
	Login        Login
	Name         string
	Organisation string
	Region       string
	Lang         string // preferred interface language; "" = decide from the browser
	Role         Role
	// Languages are the content languages a reviewer reviews (ParseLanguages);
	// empty for every other role.
	Languages []string
	// PasswordHash is the argon2id hash of the chosen password, "" until
	// the person has chosen one.
	PasswordHash string
	// OneTimeHash is the hash of a one-time password handed out by a
	// trainer or printed by `kalan users create`; it expires, and signing
	// in with it forces a password change.
	OneTimeHash    string
	OneTimeExpires time.Time
	// MustChangePassword sends the person to the password page first.
	MustChangePassword bool
	Cohorts            []string // ids of the cohorts the person is a member of
	// Invitations are the cohorts a trainer invited the person to, not
	// yet accepted or declined: a trainer sees nothing of a person who
	// has not accepted.
	Invitations []string
	// Progress is what the person did in each course they started, by
	// course slug.
	Progress  map[string]CourseProgress
	CreatedAt time.Time
	UpdatedAt time.Time
	DeletedAt time.Time // set when the account was anonymised at its owner's request
}

// Reviews reports whether the person may review the translation of course
// content into lang: a reviewer of that language, or an admin.
func (u *User) Reviews(lang string) bool {
	return u.Role == RoleAdmin || (u.Role == RoleReviewer && slices.Contains(u.Languages, lang))
}

// Deleted reports whether the account was anonymised.
func (u *User) Deleted() bool { return !u.DeletedAt.IsZero() }

// CourseProgress is a person's work in one course. It is pinned to the
// version they started: publishing a new version never moves or wipes it.
type CourseProgress struct {
	Version     string // the course version id the person follows
	LessonsDone []string
	Last        string // the last lesson opened, to continue from
	QuizPassed  bool
	BestScore   int // percent
	StartedAt   time.Time
	UpdatedAt   time.Time
	CompletedAt time.Time // zero until complete
	Certificate string    // serial, once issued
	// Earlier are the serials of revoked certificates that a later pass
	// replaced, oldest first: kept so that the person's export and the
	// deletion of their account find every certificate by _id.
	Earlier []string
}
