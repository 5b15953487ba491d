package account

import (
	"errors"
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
	CreatedAt          time.Time
	UpdatedAt          time.Time
	DeletedAt          time.Time // set when the account was anonymised at its owner's request
}

// Deleted reports whether the account was anonymised.
func (u *User) Deleted() bool { return !u.DeletedAt.IsZero() }
