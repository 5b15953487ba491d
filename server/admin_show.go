package server

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/kalan-platform/kalan/server/account"
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

type userRow struct {
	URL, Name, Login, Role, Organisation, Region string
}

type adminUsersPage struct {
	Page
	Search string
	Roles  []option
	Users  []userRow
}

// adminUsers lists accounts, filtered by role and a search on name or login.
func (h *handlers) adminUsers(c *fiber.Ctx) error {
	m := adminUsersPage{Page: h.page(c), Search: strings.TrimSpace(c.Query("q"))}
	role := c.Query("role")
	if _, ok := account.ParseRole(role); !ok {
		role = ""
	}
	m.Roles = roleOptions(m.Page, role)
	if len(m.Search) > 100 {
		return errBadRequest
	}
	users, err := h.Accounts.Users(c.UserContext(), account.UserQuery{Role: role, Search: m.Search, Limit: 200})
	if err != nil {
		return err
	}
	for _, u := range users {
		m.Users = append(m.Users, userRow{URL: "/admin/users/" + u.ID, Name: u.Name, Login: u.Login.Value,
			Role: m.T("role." + string(u.Role)), Organisation: m.T("organisation." + u.Organisation), Region: m.T("region." + u.Region)})
	}
	return h.render(c, fiber.StatusOK, "admin_users", m)
}

func roleOptions(p Page, selected string) []option {
	var out []option
	for _, r := range []account.Role{account.RoleTrainee, account.RoleTrainer, account.RoleAdmin} {
		out = append(out, option{Value: string(r), Label: p.T("role." + string(r)), Selected: string(r) == selected})
	}
	return out
}

type adminUserPage struct {
	Page
	User    *account.User
	Role    string
	Roles   []option
	Org     string
	Region  string
	Cohorts []string
	Self    bool
}

// adminUser loads the account of the URL.
func (h *handlers) adminUser(c *fiber.Ctx) (*account.User, error) {
	id := c.Params("user")
	if len(id) != 32 || strings.Trim(id, "0123456789abcdef") != "" {
		return nil, errNotFound
	}
	u, err := h.Accounts.UserByID(c.UserContext(), id)
	if errors.Is(err, account.ErrNotFound) || (err == nil && u.Deleted()) {
		return nil, errNotFound
	}
	return u, err
}

func (h *handlers) adminUserPage(c *fiber.Ctx, u *account.User, errs account.FieldErrors) adminUserPage {
	p := h.page(c)
	p.Errors = errs
	m := adminUserPage{Page: p, User: u, Role: p.T("role." + string(u.Role)), Roles: roleOptions(p, string(u.Role)),
		Org: p.T("organisation." + u.Organisation), Region: p.T("region." + u.Region), Self: u.ID == currentViewer(c).ID}
	for _, co := range h.Cohorts.OfMember(c.UserContext(), u.Cohorts) {
		m.Cohorts = append(m.Cohorts, co.Name)
	}
	return m
}

func (h *handlers) adminUserShow(c *fiber.Ctx) error {
	u, err := h.adminUser(c)
	if err != nil {
		return err
	}
	return h.render(c, fiber.StatusOK, "admin_user", h.adminUserPage(c, u, nil))
}

// adminUserRole changes a role. An admin cannot change their own role, so
// that the last admin cannot lock everyone out by mistake.
func (h *handlers) adminUserRole(c *fiber.Ctx) error {
	u, err := h.adminUser(c)
	if err != nil {
		return err
	}
	role, ok := account.ParseRole(c.FormValue("role"))
	if !ok || u.ID == currentViewer(c).ID {
		return h.render(c, fiber.StatusBadRequest, "admin_user", h.adminUserPage(c, u, account.FieldErrors{{Field: "role", MessageID: "form.role.invalid"}}))
	}
	if role != u.Role {
		if err := h.Auth.SetRole(c.UserContext(), currentViewer(c).User, u, role, h.clientIP(c)); err != nil {
			return err
		}
	}
	h.flash(c, flashRoleChanged)
	return seeOther(c, "/admin/users/"+u.ID)
}

func (h *handlers) adminUserReset(c *fiber.Ctx) error {
	u, err := h.adminUser(c)
	if err != nil {
		return err
	}
	return h.issueReset(c, u, "/admin/users/"+u.ID)
}
