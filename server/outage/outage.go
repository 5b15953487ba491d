// Package outage is what pages need to know of a database outage,
// without depending on the database package: the sentinel the store
// wraps around every error that means the database did not answer, how
// long a command waits before it says so, and the observer of commands
// the operator's metrics implement.
package outage

import (
	"errors"
	"time"
)

// ErrDatabase wraps errors that mean the database did not answer, so that
// callers can answer 503 instead of 500.
var ErrDatabase = errors.New("store: database unavailable")

// DatabaseWait is how long a command waits for a server that does not
// answer before it fails with ErrDatabase: a page that needs the database
// answers 503 within 3 s, this plus its rendering.
const DatabaseWait = 2500 * time.Millisecond

// CommandObserver learns the outcome of every command sent to the
// database, for the operator's metrics. unavailable tells a failure that
// means "the database did not answer" (ErrDatabase) from one that is a
// fault of the command.
type CommandObserver interface {
	ObserveCommand(name string, elapsed time.Duration, failed, unavailable bool)
}
