package account

import (
	"slices"
	"strings"
)

// Role is what an account may do: trainees take courses, trainers run
// cohorts, reviewers check the translations of course content in their
// languages (User.Languages), admins run the platform (docs/DESIGN.md §6).
type Role string

// The roles. Their values are stored and typed on the command line
// (`kalan users create --role`), so they never change.
const (
	RoleTrainee Role = "trainee"
	RoleTrainer Role = "trainer"
	RoleAdmin   Role = "admin"
	// RoleReviewer reviews translations: it sees the review pages of its
	// languages and nothing of trainees, cohorts or reports.
	RoleReviewer Role = "reviewer"
)

// Roles returns every role, in the order forms list them.
func Roles() []Role { return []Role{RoleTrainee, RoleTrainer, RoleReviewer, RoleAdmin} }

// ParseRole reads a role as typed on the command line or in a form; case
// and surrounding spaces do not matter.
func ParseRole(s string) (Role, bool) {
	switch r := Role(strings.ToLower(strings.TrimSpace(s))); r {
	case RoleTrainee, RoleTrainer, RoleReviewer, RoleAdmin:
		return r, true
	}
	return "", false
}

// Organisations returns the codes of the kinds of organisation a person
// works for, in the order forms list them. The UI translates a code with
// the message id "organisation.<code>". It returns a new slice each time,
// so a caller may keep or change it.
func Organisations() []string {
	return []string{"police", "gendarmerie", "social-services", "labour-inspection", "ngo", "other"}
}

// Regions returns the codes of Mali's regions, in the order forms list
// them: the District of Bamako first, then the 19 regions of the 2023
// reform. The UI translates a code with the message id "region.<code>".
// Codes are lower-case ASCII because they are stored and typed in CSV
// files; the accents belong to the translations.
func Regions() []string {
	return []string{
		"bamako",
		"kayes", "koulikoro", "sikasso", "segou", "mopti",
		"tombouctou", "gao", "kidal", "taoudenit", "menaka",
		"nioro", "kita", "dioila", "nara", "bougouni",
		"koutiala", "san", "douentza", "bandiagara",
	}
}

// IsOrganisation reports whether code is one of Organisations.
func IsOrganisation(code string) bool { return slices.Contains(Organisations(), code) }

// IsRegion reports whether code is one of Regions.
func IsRegion(code string) bool { return slices.Contains(Regions(), code) }
