package server

import (
	"slices"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/kalan-platform/kalan/server/audit"
)

type auditRow struct {
	At, Actor, Action, Target, Details, IP string
}

type auditPage struct {
	Page
	Actions         []option
	From, To, Actor string
	Rows            []auditRow
	NextURL         string // older entries
}

// auditPageSize is how many entries one page shows.
const auditPageSize = 100

// adminAudit shows the audit log, newest first, filtered by action, actor
// and dates (YYYY-MM-DD, in the URL so a view can be shared).
func (h *handlers) adminAudit(c *fiber.Ctx) error {
	m := auditPage{Page: h.page(c), From: c.Query("from"), To: c.Query("to"), Actor: c.Query("actor")}
	f := audit.Filter{Limit: auditPageSize, ActorID: m.Actor}
	action := c.Query("action")
	if action != "" && !slices.Contains(audit.Actions(), action) {
		return errBadRequest
	}
	f.Action = action
	var err error
	if f.From, err = optionalDate(m.From); err != nil {
		return errBadRequest
	}
	if f.To, err = optionalDate(m.To); err != nil {
		return errBadRequest
	}
	if !f.To.IsZero() {
		f.To = f.To.Add(24 * time.Hour) // the "to" day is included
	}
	if b := c.Query("before"); b != "" {
		if f.Before, err = time.Parse(time.RFC3339Nano, b); err != nil {
			return errBadRequest
		}
	}
	if len(m.Actor) > 64 {
		return errBadRequest
	}
	for _, a := range audit.Actions() {
		m.Actions = append(m.Actions, option{Value: a, Label: m.T("audit.action." + a), Selected: a == action})
	}
	entries, err := h.Audit.Entries(c.UserContext(), f)
	if err != nil {
		return err
	}
	names, err := h.names(c, entries)
	if err != nil {
		return err
	}
	for _, e := range entries {
		m.Rows = append(m.Rows, auditRow{At: e.At.Format("2006-01-02 15:04:05 UTC"), Actor: names[e.ActorID],
			Action: m.T("audit.action." + e.Action), Target: e.TargetType + " " + e.TargetID, Details: details(e.Details), IP: e.IP})
	}
	if len(entries) == auditPageSize {
		q := c.Request().URI().QueryArgs()
		q.Set("before", entries[len(entries)-1].At.Format(time.RFC3339Nano))
		m.NextURL = "/admin/audit?" + q.String()
	}
	return h.render(c, fiber.StatusOK, "admin_audit", m)
}

func optionalDate(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	return time.Parse("2006-01-02", s)
}

// names finds who the actors of entries are; the command line has no id.
func (h *handlers) names(c *fiber.Ctx, entries []audit.Entry) (map[string]string, error) {
	var ids []string
	for _, e := range entries {
		if e.ActorID != "" && !slices.Contains(ids, e.ActorID) {
			ids = append(ids, e.ActorID)
		}
	}
	users, err := h.Accounts.UsersByIDs(c.UserContext(), ids)
	if err != nil {
		return nil, err
	}
	names := map[string]string{"": "kalan (CLI)"}
	for _, u := range users {
		names[u.ID] = u.Name + " (" + u.Login.Value + ")"
	}
	return names, nil
}

func details(d map[string]string) string {
	keys := make([]string, 0, len(d))
	for k := range d {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + d[k]
	}
	return strings.Join(parts, " ")
}
