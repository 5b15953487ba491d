package report

import (
	"errors"
	"slices"
	"strings"
	"time"
)

// Unit is the members of one cohort in one course, with what the national
// view groups them by: the cohort's region and organisation, the course,
// and the month the cohort starts.
type Unit struct {
	Cohort                       string // id
	Region, Organisation, Course string
	Starts                       time.Time
	Members                      []Member
}

// Dimension is what the national view groups by.
type Dimension string

// The dimensions, the default first.
const (
	ByRegion       Dimension = "region"
	ByOrganisation Dimension = "organisation"
	ByCourse       Dimension = "course"
	ByMonth        Dimension = "month"
)

// Dimensions lists the dimensions, the default first.
func Dimensions() []Dimension { return []Dimension{ByRegion, ByOrganisation, ByCourse, ByMonth} }

// ParseDimension reads a ?by= value; anything unknown is by region.
func ParseDimension(s string) Dimension {
	if slices.Contains(Dimensions(), Dimension(s)) {
		return Dimension(s)
	}
	return ByRegion
}

// Group is one line of the national view.
type Group struct {
	Key     string // a region or organisation code, a course slug, or a month "2027-03"
	Cohorts int    // distinct cohorts
	Summary
}

// GroupUnits sums units by a dimension, in key order (months in time
// order). A trainee in two cohorts of the same course counts in both: a
// cohort is a training given, and each is reported.
func GroupUnits(units []Unit, by Dimension) []Group {
	members := map[string][]Member{}
	cohorts := map[string]map[string]bool{}
	for _, u := range units {
		key := u.Region
		switch by {
		case ByOrganisation:
			key = u.Organisation
		case ByCourse:
			key = u.Course
		case ByMonth:
			key = u.Starts.UTC().Format("2006-01")
		}
		members[key] = append(members[key], u.Members...)
		if cohorts[key] == nil {
			cohorts[key] = map[string]bool{}
		}
		cohorts[key][u.Cohort] = true
	}
	out := make([]Group, 0, len(members))
	for key, list := range members {
		out = append(out, Group{Key: key, Cohorts: len(cohorts[key]), Summary: Summarise(list)})
	}
	slices.SortFunc(out, func(a, b Group) int { return strings.Compare(a.Key, b.Key) })
	return out
}

// Period is a date range of the national view; a zero end is open.
type Period struct {
	From, To time.Time // days, both included
}

// Errors of ParsePeriod, for the message shown.
var (
	ErrBadDate      = errors.New("report: a date is not YYYY-MM-DD")
	ErrInvertedDate = errors.New("report: the start is after the end")
)

// ParsePeriod reads ?from= and ?to= (YYYY-MM-DD, each optional).
func ParsePeriod(from, to string) (Period, error) {
	var p Period
	var err error
	if from != "" {
		if p.From, err = time.Parse(time.DateOnly, from); err != nil {
			return Period{}, ErrBadDate
		}
	}
	if to != "" {
		if p.To, err = time.Parse(time.DateOnly, to); err != nil {
			return Period{}, ErrBadDate
		}
	}
	if !p.From.IsZero() && !p.To.IsZero() && p.From.After(p.To) {
		return Period{}, ErrInvertedDate
	}
	return p, nil
}

// Contains reports whether a moment falls on a day of the period.
func (p Period) Contains(t time.Time) bool {
	day := t.UTC().Truncate(24 * time.Hour)
	return (p.From.IsZero() || !day.Before(p.From)) && (p.To.IsZero() || !day.After(p.To))
}

// Months lists the months ("2006-01") the period touches, for reading only
// the stored answers of those months; nil (every month) when it is open at
// either end or longer than ten years.
func (p Period) Months() []string {
	if p.From.IsZero() || p.To.IsZero() || p.To.Sub(p.From) > 10*366*24*time.Hour {
		return nil
	}
	var out []string
	for m := time.Date(p.From.Year(), p.From.Month(), 1, 0, 0, 0, 0, time.UTC); !m.After(p.To); m = m.AddDate(0, 1, 0) {
		out = append(out, m.Format("2006-01"))
	}
	return out
}
