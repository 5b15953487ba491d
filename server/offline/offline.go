// Package offline reads the events a device queued while it had no
// network: lessons completed, quiz answers saved, quiz attempts
// submitted. A device sends them in small batches when the network
// returns; each event carries an id the device made, so a batch sent twice
// or cut half-way and sent again counts every event once. This package
// only parses and checks a batch, and applies it once per event through
// the function it is given (package training applies the events).
package offline

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"time"

	"github.com/kalan-platform/kalan/courses"
)

// Limits of one batch. A device sends its queue in batches of at most
// MaxEvents; a bigger one is refused whole (413) and the device splits it.
const (
	MaxEvents = 50
	MaxBytes  = 128 << 10
	// MaxAhead is how far in the future an event's time may be: phone
	// clocks drift, but an event from tomorrow was not made offline.
	MaxAhead = 24 * time.Hour
	// maxAnswers bounds the questions of one event (quizzes have a few dozen).
	maxAnswers = 200
	maxChosen  = 20
)

// Kinds of events.
const (
	KindLesson  = "lesson"  // a lesson marked done: Course, Lesson
	KindAnswers = "answers" // the answers of an open attempt, saved: Attempt, Answers
	KindSubmit  = "submit"  // an attempt submitted with its answers: Attempt, Answers
)

// Event is one thing a trainee did offline.
type Event struct {
	ID      string              `json:"id"`   // made by the device, unique for its user
	User    string              `json:"user"` // who was signed in when it was queued
	Kind    string              `json:"type"`
	At      time.Time           `json:"at"`     // the device's clock
	Course  string              `json:"course"` // slug
	Lesson  string              `json:"lesson,omitempty"`
	Attempt string              `json:"attempt,omitempty"`
	Answers map[string][]string `json:"answers,omitempty"`
}

// BatchError is why a batch is malformed: Index is the first bad event
// (-1 when the batch itself is), Reason a message id suffix ("id", "type"…).
type BatchError struct {
	Index  int
	Reason string
}

func (e *BatchError) Error() string {
	if e.Index < 0 {
		return "offline: batch: " + e.Reason
	}
	return fmt.Sprintf("offline: event %d: %s", e.Index, e.Reason)
}

// Reasons lists every BatchError reason; each has the message
// sync.bad.<reason>.
var Reasons = []string{"json", "too_many", "id", "user", "at", "type", "course", "lesson", "attempt", "answers", "fields"}

// Why a well-formed event is refused; each has the message
// sync.refused.<code>.
const (
	RefusedUser     = "user"     // made by another person
	RefusedFuture   = "future"   // its time is more than MaxAhead from now
	RefusedCourse   = "course"   // unknown, or not open to the person
	RefusedLesson   = "lesson"   // not a lesson of the version followed
	RefusedAttempt  = "attempt"  // unknown, another person's, or of another course
	RefusedFinished = "finished" // the attempt was submitted already
	RefusedAnswers  = "answers"  // questions or options not of the attempt
)

// Refusals lists every refusal code.
var Refusals = []string{RefusedUser, RefusedFuture, RefusedCourse, RefusedLesson, RefusedAttempt, RefusedFinished, RefusedAnswers}

// ErrTooMany is returned for a batch of more than MaxEvents events.
var ErrTooMany = &BatchError{Index: -1, Reason: "too_many"}

var (
	eventID   = regexp.MustCompile(`^[A-Za-z0-9_-]{8,64}$`)
	userID    = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)
	attemptID = regexp.MustCompile(`^[0-9a-f]{24}$`)
	answerID  = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)
)

// Parse reads a batch: {"events": [...]}. Every event is checked before
// any is applied, so a malformed batch changes nothing.
func Parse(body []byte) ([]Event, error) {
	var b struct {
		Events []json.RawMessage `json:"events"`
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&b); err != nil || dec.More() || b.Events == nil {
		return nil, &BatchError{Index: -1, Reason: "json"}
	}
	if len(b.Events) > MaxEvents {
		return nil, ErrTooMany
	}
	out := make([]Event, len(b.Events))
	for i, raw := range b.Events {
		if err := json.Unmarshal(raw, &out[i]); err != nil {
			return nil, &BatchError{Index: i, Reason: "json"}
		}
		if reason := check(&out[i]); reason != "" {
			return nil, &BatchError{Index: i, Reason: reason}
		}
	}
	return out, nil
}

// check returns what is wrong with an event's form, or "".
func check(e *Event) string {
	switch {
	case !eventID.MatchString(e.ID):
		return "id"
	case !userID.MatchString(e.User):
		return "user"
	case e.At.IsZero():
		return "at"
	case !courses.ValidSlug(e.Course):
		return "course"
	}
	switch e.Kind {
	case KindLesson:
		if !courses.ValidSlug(e.Lesson) {
			return "lesson"
		}
		if e.Attempt != "" || e.Answers != nil {
			return "fields"
		}
	case KindAnswers, KindSubmit:
		if !attemptID.MatchString(e.Attempt) {
			return "attempt"
		}
		if !validAnswers(e.Answers) {
			return "answers"
		}
		if e.Lesson != "" {
			return "fields"
		}
	default:
		return "type"
	}
	return ""
}

func validAnswers(a map[string][]string) bool {
	if a == nil || len(a) > maxAnswers {
		return false
	}
	for q, chosen := range a {
		if !answerID.MatchString(q) || len(chosen) > maxChosen {
			return false
		}
		for _, o := range chosen {
			if !answerID.MatchString(o) {
				return false
			}
		}
	}
	return true
}

// TooFarAhead reports whether an event says it happened after now allows.
func TooFarAhead(e Event, now time.Time) bool { return e.At.After(now.Add(MaxAhead)) }
