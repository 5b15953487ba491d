// Package cohort is the domain of training cohorts: a group of trainees
// following some courses together ("Gendarmerie Ségou, March 2027"), run by
// one or more trainers, joined with a code. It decides who may read a
// course. It does no I/O.
package cohort

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/kalan-platform/kalan/courses"
	"github.com/kalan-platform/kalan/server/account"
)

// Cohort is one training group.
type Cohort struct {
	ID           string
	Name         string
	Courses      []string // course slugs
	Region       string   // account.Regions code
	Organisation string   // account.Organisations code
	Starts, Ends time.Time
	JoinCode     string // normalised, see account.NewJoinCode
	Trainers     []string
	Closed       bool // no more joins; members keep their access
	CreatedBy    string
	CreatedAt    time.Time
}

// HasTrainer reports whether userID runs the cohort.
func (c *Cohort) HasTrainer(userID string) bool { return slices.Contains(c.Trainers, userID) }

// Includes reports whether the cohort follows a course.
func (c *Cohort) Includes(slug string) bool { return slices.Contains(c.Courses, slug) }

// Form is what a trainer types to create or change a cohort (docs/CONTRACT.md:
// name, courses, region, organisation, starts, ends as YYYY-MM-DD).
type Form struct {
	Name         string
	Courses      []string
	Region       string
	Organisation string
	Starts, Ends string
}

// dateLayout is the date format of the form.
const dateLayout = "2006-01-02"

// Validate checks a form and applies it to c. known says whether a course
// slug exists. Errors are message ids, for the form page.
func (f Form) Validate(c *Cohort, known func(slug string) bool) account.FieldErrors {
	var errs account.FieldErrors
	name := account.NormalizeName(f.Name)
	switch n := utf8.RuneCountInString(name); {
	case n == 0:
		errs = append(errs, &account.FieldError{Field: "name", MessageID: "form.cohort_name.required"})
	case n > 120:
		errs = append(errs, &account.FieldError{Field: "name", MessageID: "form.cohort_name.long"})
	case account.HasHiddenRunes(name):
		errs = append(errs, &account.FieldError{Field: "name", MessageID: "form.hidden_characters"})
	}
	var slugs []string
	for _, s := range f.Courses {
		s = strings.TrimSpace(s)
		if s == "" || slices.Contains(slugs, s) {
			continue
		}
		if !courses.ValidSlug(s) || !known(s) {
			errs = append(errs, &account.FieldError{Field: "courses", MessageID: "form.courses.unknown"})
			continue
		}
		slugs = append(slugs, s)
	}
	if len(slugs) == 0 && errs.For("courses") == nil {
		errs = append(errs, &account.FieldError{Field: "courses", MessageID: "form.courses.required"})
	}
	if !slices.Contains(account.Regions(), f.Region) {
		errs = append(errs, &account.FieldError{Field: "region", MessageID: "form.region.invalid"})
	}
	if !slices.Contains(account.Organisations(), f.Organisation) {
		errs = append(errs, &account.FieldError{Field: "organisation", MessageID: "form.organisation.invalid"})
	}
	starts, errStart := time.Parse(dateLayout, strings.TrimSpace(f.Starts))
	ends, errEnd := time.Parse(dateLayout, strings.TrimSpace(f.Ends))
	if errStart != nil {
		errs = append(errs, &account.FieldError{Field: "starts", MessageID: "form.date.invalid"})
	}
	if errEnd != nil {
		errs = append(errs, &account.FieldError{Field: "ends", MessageID: "form.date.invalid"})
	}
	if errStart == nil && errEnd == nil && ends.Before(starts) {
		errs = append(errs, &account.FieldError{Field: "ends", MessageID: "form.date.before_start"})
	}
	if len(errs) > 0 {
		return errs
	}
	c.Name, c.Courses, c.Region, c.Organisation, c.Starts, c.Ends = name, slugs, f.Region, f.Organisation, starts, ends
	return nil
}

// FormOf is the form that shows a cohort's current values.
func FormOf(c *Cohort) Form {
	f := Form{Name: c.Name, Courses: c.Courses, Region: c.Region, Organisation: c.Organisation}
	if !c.Starts.IsZero() {
		f.Starts, f.Ends = c.Starts.Format(dateLayout), c.Ends.Format(dateLayout)
	}
	return f
}

// Reader is who asks to read a course.
type Reader struct {
	UserID string // "" when not signed in
	Role   account.Role
	// Cohorts are the cohorts the reader is a member of.
	Cohorts []*Cohort
}

// CanRead decides whether a reader may read the lessons of a course:
// public courses are open to all; cohort courses to admins, to members of
// a cohort that follows the course, and to the trainers of such a cohort.
// all lists every cohort, for the trainers' case.
func CanRead(r Reader, access courses.Access, slug string, all []*Cohort) bool {
	if access == courses.AccessPublic {
		return true
	}
	if r.UserID == "" {
		return false
	}
	if r.Role == account.RoleAdmin {
		return true
	}
	for _, c := range r.Cohorts {
		if c.Includes(slug) {
			return true
		}
	}
	if r.Role == account.RoleTrainer {
		for _, c := range all {
			if c.HasTrainer(r.UserID) && c.Includes(slug) {
				return true
			}
		}
	}
	return false
}

// CanManage decides whether a user may see and change a cohort: its
// trainers and admins.
func CanManage(userID string, role account.Role, c *Cohort) bool {
	return role == account.RoleAdmin || (role == account.RoleTrainer && c.HasTrainer(userID))
}
