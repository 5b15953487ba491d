package cohort

import (
	"testing"
	"time"

	"github.com/kalan-platform/kalan/courses"
	"github.com/kalan-platform/kalan/server/account"
)

func TestCanRead(t *testing.T) {
	a := &Cohort{ID: "a", Courses: []string{"children"}, Trainers: []string{"t-a"}}
	b := &Cohort{ID: "b", Courses: []string{"interviews"}, Trainers: []string{"t-b"}, Closed: true}
	all := []*Cohort{a, b}
	tests := []struct {
		name   string
		reader Reader
		access courses.Access
		slug   string
		want   bool
	}{
		{"anyone reads a public course", Reader{}, courses.AccessPublic, "basics", true},
		{"anonymous cannot read a cohort course", Reader{}, courses.AccessCohort, "children", false},
		{"member of a cohort with the course", Reader{UserID: "u", Role: account.RoleTrainee, Cohorts: []*Cohort{a}}, courses.AccessCohort, "children", true},
		{"member of a closed cohort keeps access", Reader{UserID: "u", Role: account.RoleTrainee, Cohorts: []*Cohort{b}}, courses.AccessCohort, "interviews", true},
		{"member of another cohort", Reader{UserID: "u", Role: account.RoleTrainee, Cohorts: []*Cohort{b}}, courses.AccessCohort, "children", false},
		{"trainee of no cohort", Reader{UserID: "u", Role: account.RoleTrainee}, courses.AccessCohort, "children", false},
		{"trainer of a cohort with the course", Reader{UserID: "t-a", Role: account.RoleTrainer}, courses.AccessCohort, "children", true},
		{"trainer of another cohort", Reader{UserID: "t-b", Role: account.RoleTrainer}, courses.AccessCohort, "children", false},
		{"a trainee listed as trainer is still a trainee", Reader{UserID: "t-a", Role: account.RoleTrainee}, courses.AccessCohort, "children", false},
		{"admin reads everything", Reader{UserID: "x", Role: account.RoleAdmin}, courses.AccessCohort, "children", true},
		{"any access but public follows the cohort rule", Reader{UserID: "u", Role: account.RoleTrainee, Cohorts: []*Cohort{a}}, courses.Access("secret"), "children", true},
	}
	for _, tt := range tests {
		if got := CanRead(tt.reader, tt.access, tt.slug, all); got != tt.want {
			t.Errorf("%s: CanRead = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestCanManage(t *testing.T) {
	c := &Cohort{Trainers: []string{"t1", "t2"}}
	tests := []struct {
		user string
		role account.Role
		want bool
	}{
		{"t1", account.RoleTrainer, true},
		{"t2", account.RoleTrainer, true},
		{"t3", account.RoleTrainer, false},
		{"t1", account.RoleTrainee, false},
		{"x", account.RoleAdmin, true},
	}
	for _, tt := range tests {
		if got := CanManage(tt.user, tt.role, c); got != tt.want {
			t.Errorf("CanManage(%s, %s) = %v", tt.user, tt.role, got)
		}
	}
}

func TestFormValidate(t *testing.T) {
	known := func(s string) bool { return s == "basics" || s == "children" }
	c := &Cohort{}
	f := Form{Name: "  Gendarmerie   Ségou ", Courses: []string{"basics", "basics", " children", ""}, Region: "segou", Organisation: "gendarmerie", Starts: "2027-03-01", Ends: "2027-03-01"}
	if errs := f.Validate(c, known); errs != nil {
		t.Fatalf("valid form: %v", errs)
	}
	if c.Name != "Gendarmerie Ségou" || len(c.Courses) != 2 || !c.Starts.Equal(time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("applied: %+v", c)
	}
	before := *c
	bad := Form{Name: "", Courses: []string{"nope"}, Region: "x", Organisation: "y", Starts: "2027-13-01", Ends: "tomorrow"}
	errs := bad.Validate(c, known)
	for _, field := range []string{"name", "courses", "region", "organisation", "starts", "ends"} {
		if errs.For(field) == nil {
			t.Errorf("no error for %s", field)
		}
	}
	if c.Name != before.Name || len(c.Courses) != len(before.Courses) {
		t.Error("an invalid form changed the cohort")
	}
	for _, name := range []string{"Police \u202eseyaK", "Police\u2066 Kayes", "Police\x00Kayes"} {
		if errs := (Form{Name: name, Courses: []string{"basics"}, Region: "segou", Organisation: "police", Starts: "2027-03-01", Ends: "2027-03-02"}).Validate(&Cohort{}, known); errs.For("name") == nil {
			t.Errorf("name %q with hidden characters accepted", name)
		}
	}
	if FormOf(c).Starts != "2027-03-01" {
		t.Errorf("FormOf = %+v", FormOf(c))
	}
}

func FuzzFormValidate(f *testing.F) {
	f.Add("Ségou", "basics", "segou", "police", "2027-01-01", "2027-02-01")
	f.Add("", "../x", "", "", "2027-02-30", "0000-00-00")
	f.Fuzz(func(t *testing.T, name, course, region, org, starts, ends string) {
		c := &Cohort{}
		errs := Form{Name: name, Courses: []string{course}, Region: region, Organisation: org, Starts: starts, Ends: ends}.Validate(c, func(s string) bool { return s == "basics" })
		if errs == nil && (c.Name == "" || len(c.Courses) != 1 || c.Ends.Before(c.Starts)) {
			t.Fatalf("accepted an invalid form: %+v", c)
		}
		if errs != nil && c.Name != "" {
			t.Fatalf("a rejected form changed the cohort: %+v", c)
		}
	})
}
