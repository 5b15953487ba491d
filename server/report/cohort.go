package report

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

// Person is what a report shows of a trainee, from their account.
type Person struct {
	ID, Name, Organisation string
	Login                  string // "" for an anonymised account
}

// Row is one trainee of a cohort report.
type Row struct {
	Person
	Member
	Status  Status
	Stalled bool
}

// Rows makes one row per person, with their facts in members (a person
// without facts has not started). A trainee has stalled when they are in
// progress and their last learning step is older than stalledAfter.
func Rows(people []Person, members map[string]Member, now time.Time, stalledAfter time.Duration) []Row {
	rows := make([]Row, 0, len(people))
	for _, p := range people {
		m := members[p.ID]
		r := Row{Person: p, Member: m, Status: StatusOf(m)}
		last := m.Updated
		if last.IsZero() {
			last = m.Started
		}
		r.Stalled = r.Status == InProgress && now.Sub(last) > stalledAfter
		rows = append(rows, r)
	}
	return rows
}

// Sort is how a report's rows are ordered (the ?sort= of the page).
type Sort string

// The orders a report offers.
const (
	ByName     Sort = "name"
	ByProgress Sort = "progress"
	ByScore    Sort = "score"
	ByAttempts Sort = "attempts"
	ByActivity Sort = "activity"
)

// Sorts lists the orders, the default first.
func Sorts() []Sort { return []Sort{ByName, ByProgress, ByScore, ByAttempts, ByActivity} }

// ParseSort reads a ?sort= value; anything unknown is by name.
func ParseSort(s string) Sort {
	if slices.Contains(Sorts(), Sort(s)) {
		return Sort(s)
	}
	return ByName
}

// SortRows orders rows in place; lang sorts names as its readers expect
// (é with e, ɛ after e in Bambara). Figures sort highest first unless asc;
// names A to Z unless desc. Ties fall back to the name, so the order is
// stable from one load to the next.
func SortRows(rows []Row, by Sort, desc bool, lang string) {
	col := collate.New(language.Make(lang), collate.IgnoreCase)
	byName := func(a, b Row) int {
		if c := col.CompareString(a.Name, b.Name); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	}
	figure := func(a, b Row) int {
		switch by {
		case ByProgress:
			return cmp.Compare(a.Percent, b.Percent)
		case ByScore:
			return cmp.Compare(score(a.Member), score(b.Member))
		case ByAttempts:
			return cmp.Compare(a.Attempts, b.Attempts)
		case ByActivity:
			return a.Updated.Compare(b.Updated)
		}
		return 0
	}
	slices.SortStableFunc(rows, func(a, b Row) int {
		if by == ByName {
			if desc {
				return -byName(a, b)
			}
			return byName(a, b)
		}
		c := figure(a, b)
		if !desc {
			c = -c // highest first is the natural way to read figures
		}
		if c != 0 {
			return c
		}
		return byName(a, b)
	})
}

// score ranks "no attempt" below a score of 0.
func score(m Member) int {
	if m.Attempts == 0 {
		return -1
	}
	return m.BestScore
}

// ParseStatus reads a ?status= filter; "" or anything unknown is no filter.
func ParseStatus(s string) Status {
	if slices.Contains(Statuses(), Status(s)) {
		return Status(s)
	}
	return ""
}

// Filter keeps the rows of a status ("" keeps all).
func Filter(rows []Row, s Status) []Row {
	if s == "" {
		return rows
	}
	var out []Row
	for _, r := range rows {
		if r.Status == s {
			out = append(out, r)
		}
	}
	return out
}

// StalledRows are the rows of trainees who stalled, longest silent first.
func StalledRows(rows []Row) []Row {
	var out []Row
	for _, r := range rows {
		if r.Stalled {
			out = append(out, r)
		}
	}
	slices.SortStableFunc(out, func(a, b Row) int { return lastStep(a).Compare(lastStep(b)) })
	return out
}

func lastStep(r Row) time.Time {
	if r.Updated.IsZero() {
		return r.Started
	}
	return r.Updated
}
