package server

import (
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/kalan-platform/kalan/server/backup"
)

// BackupStatus tells how the scheduled backups are going
// (backup.Scheduler).
type BackupStatus interface {
	Status() backup.Status
}

type adminPage struct {
	Page
	Backup *backupView // nil when the server makes no backups (tests)
}

// backupView is the backup section of the admin page, formatted.
type backupView struct {
	Enabled, Running   bool
	Last, Size, Next   string
	Verified, Checked  bool
	Failed             string
	Failures, Keep     int
	Every, Dir, Took   string
	Documents, Objects int64
}

func (h *handlers) adminShow(c *fiber.Ctx) error {
	m := adminPage{Page: h.page(c)}
	if h.Backups != nil {
		m.Backup = newBackupView(m.Page, h.Backups.Status())
	}
	return h.render(c, fiber.StatusOK, "admin", m)
}

func newBackupView(p Page, s backup.Status) *backupView {
	const when = "2006-01-02 15:04 UTC"
	v := &backupView{Enabled: s.Enabled, Running: s.Running, Verified: s.Verified, Checked: s.Checked,
		Failures: s.Failures, Keep: s.Keep, Every: shortDuration(s.Every), Dir: s.Dir,
		Documents: s.Documents, Objects: int64(s.Objects)}
	if !s.Last.IsZero() {
		v.Last, v.Size = s.Last.UTC().Format(when), humanSize(p, s.Size)
	}
	if s.Took > 0 {
		v.Took = shortDuration(s.Took.Round(time.Second))
	}
	if !s.Failed.IsZero() {
		v.Failed = s.Failed.UTC().Format(when)
	}
	if s.Enabled && !s.Next.IsZero() {
		v.Next = s.Next.UTC().Format(when)
	}
	return v
}

// shortDuration writes 24h, 90m or 45s rather than Go's 24h0m0s.
func shortDuration(d time.Duration) string {
	switch {
	case d >= time.Hour && d%time.Hour == 0:
		return strconv.FormatInt(int64(d/time.Hour), 10) + "h"
	case d >= time.Minute && d%time.Minute == 0:
		return strconv.FormatInt(int64(d/time.Minute), 10) + "m"
	}
	return strconv.FormatInt(int64(d.Round(time.Second)/time.Second), 10) + "s"
}
