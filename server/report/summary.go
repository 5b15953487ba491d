package report

import (
	"slices"
	"time"
)

// Status is where a trainee stands in a course.
type Status string

// The statuses, as the report filter names them.
const (
	NotStarted Status = "not-started"
	InProgress Status = "in-progress"
	Completed  Status = "completed"
)

// Statuses lists the statuses in their natural order.
func Statuses() []Status { return []Status{NotStarted, InProgress, Completed} }

// StatusOf says where a member stands.
func StatusOf(m Member) Status {
	switch {
	case !m.Completed.IsZero():
		return Completed
	case m.Started.IsZero():
		return NotStarted
	}
	return InProgress
}

// Summary is the figures of a group of trainees in a course (a cohort, a
// region…): each member counts once.
type Summary struct {
	Enrolled     int
	Started      int
	Completed    int
	Passed       int // passed the final quiz, lessons done or not
	Certificates int // valid (not revoked) certificates
	Scored       int // members with at least one submitted attempt
	Median       float64
	Last         time.Time // latest learning step of any member
}

// CompletionRate is Completed/Enrolled, 0 for an empty group.
func (s Summary) CompletionRate() float64 {
	if s.Enrolled == 0 {
		return 0
	}
	return float64(s.Completed) / float64(s.Enrolled)
}

// Summarise counts a group of members. Median is the median of the
// members' best scores, among those who submitted an attempt.
func Summarise(members []Member) Summary {
	s := Summary{Enrolled: len(members)}
	var scores []int
	for _, m := range members {
		if !m.Started.IsZero() {
			s.Started++
		}
		if !m.Completed.IsZero() {
			s.Completed++
		}
		if m.Passed {
			s.Passed++
		}
		if m.Certificate != "" && !m.Revoked {
			s.Certificates++
		}
		if m.Attempts > 0 {
			scores = append(scores, m.BestScore)
		}
		if m.Updated.After(s.Last) {
			s.Last = m.Updated
		}
	}
	s.Scored = len(scores)
	s.Median = median(scores)
	return s
}

// median of whole numbers; 0 for none.
func median(xs []int) float64 {
	if len(xs) == 0 {
		return 0
	}
	xs = slices.Clone(xs)
	slices.Sort(xs)
	n := len(xs)
	if n%2 == 1 {
		return float64(xs[n/2])
	}
	return float64(xs[n/2-1]+xs[n/2]) / 2
}

// Bands counts the best scores of the members who submitted an attempt in
// ten bands: 0–9, 10–19, …, 80–89, 90–100.
func Bands(members []Member) [10]int {
	var b [10]int
	for _, m := range members {
		if m.Attempts > 0 {
			b[min(m.BestScore/10, 9)]++
		}
	}
	return b
}
