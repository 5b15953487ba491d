package server

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/kalan-platform/kalan/server/account"
)

// option is one choice of a <select> or a checkbox list.
type option struct {
	Value, Label string
	Selected     bool
}

// codeOptions lists codes with their translated labels ("region.segou").
func codeOptions(p Page, prefix string, codes []string, selected ...string) []option {
	out := make([]option, len(codes))
	for i, code := range codes {
		out[i] = option{Value: code, Label: p.T(prefix + code), Selected: contains(selected, code)}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// languageOptions lists the interface languages by their own names.
func (h *handlers) languageOptions(selected string) []option {
	var out []option
	for _, l := range h.Locales.Languages() {
		out = append(out, option{Value: l.Code, Label: l.Name, Selected: l.Code == selected})
	}
	return out
}

// formErrors extracts the field errors of a service error, to show the
// form again with them; ok is false for any other error.
func formErrors(err error) (account.FieldErrors, bool) {
	var errs account.FieldErrors
	if errors.As(err, &errs) {
		return errs, true
	}
	var one *account.FieldError
	if errors.As(err, &one) {
		return account.FieldErrors{one}, true
	}
	return nil, false
}

// noStore marks a page that shows a secret (a one-time password, a reset
// link) so that no cache keeps it, and the browser's back button does not
// show it again from cache.
func noStore(c *fiber.Ctx) {
	c.Set(fiber.HeaderCacheControl, "no-store")
}

// seeOther redirects after a POST.
func seeOther(c *fiber.Ctx, to string) error {
	return c.Redirect(to, fiber.StatusSeeOther)
}
