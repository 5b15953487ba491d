package server

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/kalan-platform/kalan/server/account"
	"github.com/kalan-platform/kalan/server/audit"
	"github.com/kalan-platform/kalan/server/certificate"
	"github.com/kalan-platform/kalan/server/offline"
	"github.com/kalan-platform/kalan/server/session"
)

// exportSchemaVersion is the version of the export's shape: 2 added
// progress, attempts, certificates, sync events, sessions, reset links,
// audit entries and open invitations to the account and cohorts of
// version 1.
const exportSchemaVersion = 2

// AccountRecords are the reads of a person's records that only their
// export needs (the store implements them). They filter on the person's
// id, reading whole collections on the embedded database: acceptable for
// an export, which is rare, and never on a hot route.
type AccountRecords interface {
	SessionsOf(ctx context.Context, userID string) ([]session.Session, error)
	SyncEventsOf(ctx context.Context, userID string) ([]offline.Record, error)
	ResetsOf(ctx context.Context, userID string) ([]time.Time, error)
	AuditOf(ctx context.Context, userID string, targets []string) ([]audit.Entry, error)
}

// accountExportDoc is everything Kalan keeps about a person, for them, in
// every collection that holds something of theirs. Secrets stay out: the
// password and one-time password hashes, session ids (the hashes of
// session tokens) and reset link hashes.
type accountExportDoc struct {
	SchemaVersion  int                  `json:"schema_version"`
	ExportedAt     time.Time            `json:"exported_at"`
	Account        accountExported      `json:"account"`
	Cohorts        []cohortRef          `json:"cohorts"`
	Invitations    []cohortRef          `json:"invitations"` // not answered yet
	Progress       []progressExported   `json:"progress"`
	Attempts       []attemptExported    `json:"attempts"`
	Certificates   []certExported       `json:"certificates"`
	SyncEvents     []syncEventExported  `json:"sync_events"`
	Sessions       []sessionExported    `json:"sessions"`
	PasswordResets []resetExported      `json:"reset_links"`
	Audit          []auditEntryExported `json:"audit"`
}

type accountExported struct {
	ID           string    `json:"id"`
	Login        string    `json:"login"`
	Name         string    `json:"name"`
	Organisation string    `json:"organisation"`
	Region       string    `json:"region"`
	Language     string    `json:"language"`
	Role         string    `json:"role"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
}

type cohortRef struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

type progressExported struct {
	Course              string     `json:"course"`
	Version             string     `json:"version"`
	LessonsDone         []string   `json:"lessons_done"`
	LastLesson          string     `json:"last_lesson,omitempty"`
	QuizPassed          bool       `json:"quiz_passed"`
	BestScore           int        `json:"best_score"`
	StartedAt           time.Time  `json:"started_at"`
	UpdatedAt           time.Time  `json:"updated_at"`
	CompletedAt         *time.Time `json:"completed_at,omitempty"`
	Certificate         string     `json:"certificate,omitempty"`
	EarlierCertificates []string   `json:"earlier_certificates,omitempty"`
}

type attemptExported struct {
	ID          string             `json:"id"`
	Course      string             `json:"course"`
	Version     string             `json:"version"`
	Language    string             `json:"language"`
	StartedAt   time.Time          `json:"started_at"`
	UpdatedAt   time.Time          `json:"updated_at"`
	SubmittedAt *time.Time         `json:"submitted_at,omitempty"`
	Score       *int               `json:"score,omitempty"`
	Passed      *bool              `json:"passed,omitempty"`
	Questions   []questionExported `json:"questions"`
}

type questionExported struct {
	Question string   `json:"question"`
	Options  []string `json:"options"` // as shown, in order
	Chosen   []string `json:"chosen"`
}

type certExported struct {
	Serial       string     `json:"serial"`
	Course       string     `json:"course"`
	Version      string     `json:"version"`
	Title        string     `json:"title"`
	Language     string     `json:"language"`
	Holder       string     `json:"holder"`
	Organisation string     `json:"organisation"`
	Completed    string     `json:"completed"`
	Minutes      int        `json:"minutes"`
	Issuer       string     `json:"issuer"`
	IssuedAt     time.Time  `json:"issued_at"`
	EarnedIn     []string   `json:"earned_in_cohorts,omitempty"`
	RevokedAt    *time.Time `json:"revoked_at,omitempty"`
	Reason       string     `json:"reason,omitempty"`
	WithdrawnAt  *time.Time `json:"withdrawn_at,omitempty"`
}

type syncEventExported struct {
	ID       string    `json:"id"` // the device's event id
	Kind     string    `json:"kind"`
	At       time.Time `json:"at"` // the device's clock
	Received time.Time `json:"received"`
}

type sessionExported struct {
	CreatedAt time.Time `json:"created_at"`
	LastSeen  time.Time `json:"last_seen"`
	ExpiresAt time.Time `json:"expires_at"`
	Remember  bool      `json:"remember"`
	Current   bool      `json:"current"` // the one this export was asked from
}

type resetExported struct {
	ExpiresAt time.Time `json:"expires_at"`
}

type auditEntryExported struct {
	At         time.Time         `json:"at"`
	ActorID    string            `json:"actor_id"`
	Action     string            `json:"action"`
	TargetType string            `json:"target_type"`
	TargetID   string            `json:"target_id"`
	Details    map[string]string `json:"details,omitempty"`
	IP         string            `json:"ip,omitempty"`
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// accountExport gives the signed-in person their own data as JSON.
func (h *handlers) accountExport(c *fiber.Ctx) error {
	v := currentViewer(c)
	doc, err := h.exportOf(c.UserContext(), v.User, v.session.ID)
	if err != nil {
		return err
	}
	body, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return err
	}
	noStore(c)
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="kalan-account.json"`)
	return c.Send(body)
}

func (h *handlers) exportOf(ctx context.Context, u *account.User, currentSession string) (*accountExportDoc, error) {
	records := h.Records
	doc := &accountExportDoc{SchemaVersion: exportSchemaVersion, ExportedAt: time.Now().UTC(), Cohorts: []cohortRef{}, Invitations: []cohortRef{},
		Progress: []progressExported{}, Attempts: []attemptExported{}, Certificates: []certExported{}, SyncEvents: []syncEventExported{},
		Sessions: []sessionExported{}, PasswordResets: []resetExported{}, Audit: []auditEntryExported{},
		Account: accountExported{ID: u.ID, Login: u.Login.Value, Name: u.Name, Organisation: u.Organisation, Region: u.Region,
			Language: u.Lang, Role: string(u.Role), CreatedAt: u.CreatedAt, UpdatedAt: u.UpdatedAt}}
	for _, co := range h.Cohorts.OfMember(ctx, u.Cohorts) {
		doc.Cohorts = append(doc.Cohorts, cohortRef{ID: co.ID, Name: co.Name})
	}
	for _, co := range h.Cohorts.Invitations(u) {
		doc.Invitations = append(doc.Invitations, cohortRef{ID: co.ID, Name: co.Name})
	}
	for slug, p := range u.Progress {
		doc.Progress = append(doc.Progress, progressExported{Course: slug, Version: p.Version, LessonsDone: p.LessonsDone,
			LastLesson: p.Last, QuizPassed: p.QuizPassed, BestScore: p.BestScore, StartedAt: p.StartedAt, UpdatedAt: p.UpdatedAt,
			CompletedAt: timePtr(p.CompletedAt), Certificate: p.Certificate, EarlierCertificates: p.Earlier})
	}
	slices.SortFunc(doc.Progress, func(a, b progressExported) int { return strings.Compare(a.Course, b.Course) })
	attempts, err := h.Training.AttemptsOf(ctx, u)
	if err != nil {
		return nil, err
	}
	for _, a := range attempts {
		out := attemptExported{ID: a.ID, Course: a.Course, Version: a.Version, Language: a.Lang, StartedAt: a.StartedAt,
			UpdatedAt: a.UpdatedAt, SubmittedAt: timePtr(a.SubmittedAt), Questions: []questionExported{}}
		if a.Result != nil {
			out.Score, out.Passed = &a.Result.Score, &a.Result.Passed
		}
		for _, d := range a.Drawn {
			chosen := a.Answers[d.Question]
			if chosen == nil {
				chosen = []string{}
			}
			out.Questions = append(out.Questions, questionExported{Question: d.Question, Options: d.Options, Chosen: chosen})
		}
		doc.Attempts = append(doc.Attempts, out)
	}
	certs, err := h.Training.CertificatesOf(ctx, u)
	if err != nil {
		return nil, err
	}
	var serials []string
	for _, cert := range certs {
		serials = append(serials, cert.Serial)
		doc.Certificates = append(doc.Certificates, certExported{Serial: certificate.FormatSerial(cert.Serial), Course: cert.Course,
			Version: cert.Version, Title: cert.Title, Language: cert.Lang, Holder: cert.Holder, Organisation: cert.Organisation,
			Completed: cert.Completed.Format("2006-01-02"), Minutes: cert.Minutes, Issuer: cert.Issuer, IssuedAt: cert.IssuedAt,
			EarnedIn: cert.EarnedIn, RevokedAt: timePtr(cert.RevokedAt), Reason: cert.Reason, WithdrawnAt: timePtr(cert.WithdrawnAt)})
	}
	events, err := records.SyncEventsOf(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	for _, e := range events {
		doc.SyncEvents = append(doc.SyncEvents, syncEventExported(e))
	}
	sessions, err := records.SessionsOf(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	for _, s := range sessions {
		doc.Sessions = append(doc.Sessions, sessionExported{CreatedAt: s.CreatedAt, LastSeen: s.LastSeen, ExpiresAt: s.ExpiresAt,
			Remember: s.Remember, Current: s.ID == currentSession})
	}
	resets, err := records.ResetsOf(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	for _, at := range resets {
		doc.PasswordResets = append(doc.PasswordResets, resetExported{ExpiresAt: at})
	}
	entries, err := records.AuditOf(ctx, u.ID, serials)
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		doc.Audit = append(doc.Audit, auditEntryExported{At: e.At, ActorID: e.ActorID, Action: e.Action, TargetType: e.TargetType,
			TargetID: e.TargetID, Details: e.Details, IP: e.IP})
	}
	return doc, nil
}
