package server_test

import (
	"testing"
)

// A confirmation carried over a redirect is shown once, for the ids that
// are confirmations only (the library's was missing from a hand-kept
// list, so admins never saw it); any other id in the cookie shows nothing.
func TestFlashShowsDeclaredConfirmationsOnly(t *testing.T) {
	e := newEnv(t)
	for id, shown := range map[string]bool{
		"flash.library_saved": true,
		"flash.cohort_saved":  true,
		"error.server.title":  false, // a message, not a confirmation
		"flash.nope":          false,
	} {
		c := e.client()
		c.cookies["kalan_flash"] = id
		got := c.get(t, "/courses?lang=en").doc(t).Find(".flash").Text()
		switch {
		case shown && got != e.t("en", id, nil):
			t.Errorf("%s: flash %q, want %q", id, got, e.t("en", id, nil))
		case !shown && got != "":
			t.Errorf("%s: flash %q shown", id, got)
		}
		if again := c.get(t, "/courses?lang=en").doc(t).Find(".flash").Length(); again != 0 {
			t.Errorf("%s: shown a second time", id)
		}
	}
}
