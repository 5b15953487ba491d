package server

import (
	"errors"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/kalan-platform/kalan/server/offline"
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

// syncCreate has a batch of events queued offline applied
// (training.Sync: each once, refusals with their reason) and says what
// became of each; a malformed batch changes nothing.
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
	results, err := h.Training.Sync(c.UserContext(), currentViewer(c).User, events, time.Now())
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
	for _, r := range results {
		h.metrics.syncEvent(r.Status)
	}
	noStore(c)
	return c.JSON(syncReplyOf(p, results))
}

// syncReplyOf says what became of each event, refusals in the reader's
// language.
func syncReplyOf(p Page, results []offline.Result) syncReply {
	reply := syncReply{Results: make([]syncResult, len(results)), SyncedAt: time.Now().UTC()}
	for i, r := range results {
		reply.Results[i] = syncResult{ID: r.Event.ID, Status: r.Status, Code: r.Code}
		if r.Status == offline.Refused {
			reply.Results[i].Reason = p.T("sync.refused." + r.Code)
		}
		if r.Event.Kind == offline.KindSubmit {
			reply.Results[i].URL = attemptURL(r.Event.Course, r.Event.Attempt)
		}
	}
	return reply
}
