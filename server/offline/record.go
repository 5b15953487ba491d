package offline

import "time"

// Record is an offline event of a person as the Log keeps it, for their
// export.
type Record struct {
	ID       string // the device's event id
	Kind     string
	At       time.Time // the device's clock
	Received time.Time
}
