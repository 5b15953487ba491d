package server_test

import (
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/kalan-platform/kalan/server/account"
)

// A signed-in lesson is rendered once and shared: each reader still gets
// their own name, CSRF token and id, and nothing of anyone else, whoever
// asked first and however many ask at once.
func TestSignedInLessonIsSharedSafely(t *testing.T) {
	e := newEnv(t)
	path := "/courses/" + basics + "/lessons/indicators"
	type reader struct {
		c    *client
		u    *account.User
		name string
	}
	var readers []reader
	for _, r := range []struct{ login, name string }{
		{"awa@kalan.test", "Awa Traoré"},
		{"bakary@kalan.test", "Bakary Diallo"},
		{"aissata@kalan.test", "Aïssata N'Diaye"},
	} {
		c, u := e.signedIn(t, account.RoleTrainee, r.login, r.name)
		readers = append(readers, reader{c, u, r.name})
	}
	pages := make([]response, len(readers))
	var wg sync.WaitGroup
	for i, r := range readers {
		tab := r.c.tab(t)
		wg.Go(func() {
			resp := tab.get(t, path)
			if resp.StatusCode != http.StatusOK {
				t.Errorf("%s: %d", r.name, resp.StatusCode)
			}
			pages[i] = resp
		})
	}
	wg.Wait()
	for i, r := range readers {
		page := string(pages[i].body)
		form := pages[i].doc(t).Find("form.complete")
		if token, _ := form.Find(`input[name="_csrf"]`).Attr("value"); token != r.c.csrf(t) {
			t.Errorf("%s: the form carries CSRF token %q, not theirs", r.name, token)
		}
		if id, _ := form.Find(`input[name="user"]`).Attr("value"); id != r.u.ID {
			t.Errorf("%s: the form carries user %q, not theirs (%s)", r.name, id, r.u.ID)
		}
		for j, other := range readers {
			if j != i && (strings.Contains(page, other.u.ID) || strings.Contains(page, other.c.csrf(t))) {
				t.Errorf("%s's page holds %s's id or token", r.name, other.name)
			}
		}
		if strings.Contains(page, "mark0f3b") {
			t.Errorf("%s's page holds a mark", r.name)
		}
		for j, other := range readers {
			if j != i && strings.Contains(page, template.HTMLEscapeString(other.name)) {
				t.Errorf("%s's page shows %s's name", r.name, other.name)
			}
		}
		if !strings.Contains(page, template.HTMLEscapeString(r.name)) {
			t.Errorf("%s's page does not show their name", r.name)
		}
	}
	if strings.Contains(e.logs.String(), "cannot be shared") {
		t.Error("the lesson was not shared: its templates put the name where HTML escaping is not enough")
	}
	// Marking the lesson done changes that reader's page only.
	awa, bakary := readers[0], readers[1]
	if r := awa.c.post(t, path+"/complete", url.Values{"user": {awa.u.ID}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("complete: %d", r.StatusCode)
	}
	if awa.c.get(t, path).doc(t).Find("form.complete").Length() != 0 {
		t.Error("the lesson done still offers to mark it done")
	}
	if bakary.c.get(t, path).doc(t).Find("form.complete").Length() != 1 {
		t.Error("another reader's lesson shows as done")
	}
}
