package report

import "context"

// Courses are the courses of one cohort whose members a report reads.
type Courses struct {
	Cohort  string
	Courses []string // slugs
}

// Key names the members of one cohort in one course.
type Key struct{ Cohort, Course string }

// manyCohorts is from how many cohorts reading every member line at once
// (one read of the whole collection) costs less than reading each cohort
// and course by _id: a trainer has a few cohorts, an admin or the
// national view all of them.
const manyCohorts = 20

// Members returns the members of each cohort in each of its courses.
func (s *Service) Members(ctx context.Context, cohorts []Courses) (map[Key][]Member, error) {
	var buckets []Bucket
	if len(cohorts) > manyCohorts {
		all, err := s.All(ctx)
		if err != nil {
			return nil, err
		}
		buckets = all
	} else {
		for _, co := range cohorts {
			for _, slug := range co.Courses {
				b, err := s.Cohort(ctx, co.Cohort, slug)
				if err != nil {
					return nil, err
				}
				buckets = append(buckets, b)
			}
		}
	}
	out := map[Key][]Member{}
	for _, b := range buckets {
		k := Key{b.Cohort, b.Course}
		for _, m := range b.Members {
			out[k] = append(out[k], m)
		}
	}
	return out, nil
}
