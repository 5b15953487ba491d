package account

import (
	"regexp"
	"slices"
	"testing"
)

func TestParseRole(t *testing.T) {
	tests := []struct {
		in   string
		want Role
		ok   bool
	}{
		{"trainee", RoleTrainee, true},
		{"trainer", RoleTrainer, true},
		{"admin", RoleAdmin, true},
		{"Reviewer", RoleReviewer, true},
		{" Admin ", RoleAdmin, true},
		{"", "", false},
		{"root", "", false},
		{"administrator", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := ParseRole(tt.in)
			if got != tt.want || ok != tt.ok {
				t.Errorf("ParseRole(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestCodes(t *testing.T) {
	code := regexp.MustCompile(`^[a-z]+(-[a-z]+)*$`)
	tests := []struct {
		name  string
		list  func() []string
		is    func(string) bool
		first string
		n     int
	}{
		{"organisations", Organisations, IsOrganisation, "police", 6},
		{"regions", Regions, IsRegion, "bamako", 20},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			list := tt.list()
			if len(list) != tt.n || list[0] != tt.first {
				t.Fatalf("got %d codes starting with %q, want %d starting with %q", len(list), list[0], tt.n, tt.first)
			}
			sorted := slices.Clone(list)
			slices.Sort(sorted)
			if len(slices.Compact(sorted)) != len(list) {
				t.Errorf("duplicate codes in %v", list)
			}
			for _, c := range list {
				if !code.MatchString(c) {
					t.Errorf("code %q is not lower-case ASCII words joined by hyphens", c)
				}
				if !tt.is(c) {
					t.Errorf("Is(%q) = false", c)
				}
			}
			if tt.is("") || tt.is("Police") || tt.is("Ségou") {
				t.Error("Is accepts a non-code")
			}
			list[0] = "changed"
			if tt.list()[0] != tt.first {
				t.Error("the list is shared between callers")
			}
		})
	}
}

func TestFieldErrors(t *testing.T) {
	var none FieldErrors
	if none.Err() != nil || none.For("name") != nil {
		t.Error("an empty FieldErrors is not valid")
	}
	errs := FieldErrors{
		{Field: "name", MessageID: "form.name.invalid"},
		{Field: "region", MessageID: "form.region.required"},
		{Field: "name", MessageID: "form.name.other"},
	}
	if got := errs.For("name"); got != errs[0] {
		t.Errorf("For(name) = %v, want the first", got)
	}
	if errs.For("login") != nil {
		t.Error("For(login) is not nil")
	}
	if got, want := errs.Error(), "name: form.name.invalid; region: form.region.required; name: form.name.other"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if errs.Err() == nil {
		t.Error("Err() is nil")
	}
}
