package server

import (
	"context"
	"errors"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/kalan-platform/kalan/server/account"
	"github.com/kalan-platform/kalan/server/learning"
	"github.com/kalan-platform/kalan/server/offline"
	"github.com/kalan-platform/kalan/server/training"
)

// syncPath is where devices send what was done offline.
const syncPath = "/api/v1/sync"

type syncResult struct {
	ID     string `json:"id"`
	Status string `json:"status"`
	Code   string `json:"code,omitempty"`   // why refused: one of offline.Refusals
	Reason string `json:"reason,omitempty"` // the same, in the reader's language
	URL    string `json:"url,omitempty"`    // a submitted attempt's result page
}

type syncReply struct {
	Results  []syncResult `json:"results"`
	SyncedAt time.Time    `json:"synced_at"`
}

// syncBadBatch is the 400 answer: the first bad event and why.
type syncBadBatch struct {
	Error string `json:"error"`
	Index int    `json:"index"`
}

// syncState tells the device's script who is signed in (it sends only
// that person's events) and the token its requests must carry.
type syncState struct {
	User      string `json:"user"`
	CSRF      string `json:"csrf"`
	MaxEvents int    `json:"max_events"`
}

func (h *handlers) syncShow(c *fiber.Ctx) error {
	noStore(c)
	return c.JSON(syncState{User: currentViewer(c).ID, CSRF: csrfToken(c), MaxEvents: offline.MaxEvents})
}

// syncCreate applies a batch of events queued offline (see offline.Sync:
// each once, refusals with their reason); a malformed batch changes
// nothing.
func (h *handlers) syncCreate(c *fiber.Ctx) error {
	p := h.page(c)
	events, err := offline.Parse(c.Body())
	var bad *offline.BatchError
	switch {
	case errors.Is(err, offline.ErrTooMany):
		h.metrics.syncBatch("malformed")
		return c.Status(fiber.StatusRequestEntityTooLarge).JSON(apiError{p.T("sync.bad.too_many", "Max", offline.MaxEvents)})
	case errors.As(err, &bad):
		h.metrics.syncBatch("malformed")
		return c.Status(fiber.StatusBadRequest).JSON(syncBadBatch{
			Error: p.T("sync.bad.event", "Index", bad.Index, "Reason", p.T("sync.bad."+bad.Reason)), Index: bad.Index})
	case err != nil:
		return err
	}
	u := currentViewer(c).User
	results, err := offline.Sync(c.UserContext(), h.SyncLog, u.ID, events, time.Now(), func(ctx context.Context, e offline.Event) (string, error) {
		_, started := u.Progress[e.Course]
		code, err := h.applyEvent(c, u, e)
		if err == nil && code == "" && !started {
			// The event started the course: the next ones must see it.
			u, err = h.Accounts.UserByID(ctx, u.ID)
		}
		return code, err
	})
	if errors.Is(err, offline.ErrBusy) {
		// Another send of these events is being answered: nothing of this
		// one is dropped by the device, which sends it again.
		h.metrics.syncBatch("busy")
		c.Set(fiber.HeaderRetryAfter, "5")
		return c.Status(fiber.StatusServiceUnavailable).JSON(apiError{p.T("sync.busy")})
	}
	if err != nil {
		h.metrics.syncBatch("failed")
		return err // the device sends the batch again; what was applied is acknowledged then
	}
	h.metrics.syncBatch("answered")
	reply := syncReply{Results: make([]syncResult, len(results)), SyncedAt: time.Now().UTC()}
	for i, r := range results {
		reply.Results[i] = syncResult{ID: r.Event.ID, Status: r.Status, Code: r.Code}
		h.metrics.syncEvent(r.Status)
		if r.Status == offline.Refused {
			reply.Results[i].Reason = p.T("sync.refused." + r.Code)
		}
		if r.Event.Kind == offline.KindSubmit {
			reply.Results[i].URL = attemptURL(r.Event.Course, r.Event.Attempt)
		}
	}
	noStore(c)
	return c.JSON(reply)
}

// applyEvent does what the event's form would have done, or says with a
// refusal code why it cannot.
func (h *handlers) applyEvent(c *fiber.Ctx, u *account.User, e offline.Event) (string, error) {
	if e.Kind == offline.KindLesson {
		return h.syncLesson(c, u, e)
	}
	return h.syncAttempt(c, u, e)
}

// syncLesson marks a lesson done, as its form does; a refusal code when
// the course or lesson is unknown or not the person's to read.
func (h *handlers) syncLesson(c *fiber.Ctx, u *account.User, e offline.Event) (string, error) {
	published, ok := h.Catalog.Lookup(e.Course)
	if !ok || !h.canRead(c, published.Course) {
		return offline.RefusedCourse, nil
	}
	course, err := h.Training.Version(c.UserContext(), u, published)
	if err != nil {
		return "", err
	}
	if _, _, ok := course.Course.Lesson(e.Lesson); !ok {
		return offline.RefusedLesson, nil
	}
	return "", h.Training.CompleteLesson(c.UserContext(), u, course, e.Lesson)
}

// syncAttempt saves or submits the answers of one of the person's open
// attempts; it is graded here, on arrival, never on the device.
func (h *handlers) syncAttempt(c *fiber.Ctx, u *account.User, e offline.Event) (string, error) {
	ctx := c.UserContext()
	a, err := h.Training.Owned(ctx, u, e.Attempt)
	switch {
	case errors.Is(err, training.ErrNotFound), errors.Is(err, training.ErrNotYours):
		return offline.RefusedAttempt, nil
	case err != nil:
		return "", err
	case a.Course != e.Course:
		return offline.RefusedAttempt, nil
	}
	published, ok := h.Catalog.Lookup(a.Course)
	if !ok || !h.canRead(c, published.Course) {
		return offline.RefusedCourse, nil
	}
	if a.Submitted() {
		return offline.RefusedFinished, nil
	}
	course, err := h.Catalog.Get(ctx, a.Version)
	if err != nil {
		return "", err
	}
	answers := learning.Answers(e.Answers)
	if e.Kind == offline.KindAnswers {
		err = h.Training.Save(ctx, u, course, a, answers)
	} else {
		_, err = h.Training.Submit(ctx, u, course, a, answers)
	}
	switch {
	case errors.Is(err, training.ErrSubmitted):
		return offline.RefusedFinished, nil
	case errors.Is(answerError(err), errBadAnswers):
		return offline.RefusedAnswers, nil
	}
	return "", err
}

// attemptURL is the result page of an attempt.
func attemptURL(slug, attempt string) string { return courseURL(slug) + "/quiz/attempts/" + attempt }
