package server

import (
	"encoding/json"
	"time"

	"github.com/gofiber/fiber/v2"
)

// accountExportDoc is everything Kalan keeps about a person, for them.
// The password hash is left out: it is a secret even from its owner's
// browser history.
type accountExportDoc struct {
	ExportedAt time.Time       `json:"exported_at"`
	Account    accountExported `json:"account"`
	Cohorts    []cohortRef     `json:"cohorts"`
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

// accountExport gives the signed-in person their own data as JSON.
func (h *handlers) accountExport(c *fiber.Ctx) error {
	u := currentViewer(c).User
	doc := accountExportDoc{ExportedAt: time.Now().UTC(), Cohorts: []cohortRef{}, Account: accountExported{
		ID: u.ID, Login: u.Login.Value, Name: u.Name, Organisation: u.Organisation, Region: u.Region,
		Language: u.Lang, Role: string(u.Role), CreatedAt: u.CreatedAt, UpdatedAt: u.UpdatedAt,
	}}
	for _, co := range h.Cohorts.OfMember(c.UserContext(), u.Cohorts) {
		doc.Cohorts = append(doc.Cohorts, cohortRef{ID: co.ID, Name: co.Name})
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
