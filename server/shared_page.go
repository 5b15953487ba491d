package server

import (
	"bytes"
	"html/template"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// A signed-in lesson page differs from one reader to the next only by the
// reader's name, id and CSRF token (and the links of their role, which
// are part of its key). It is therefore rendered once per key with marks
// in place of those three values, kept in sharedPages, and the marks
// replaced for each reader: executing the templates (html/template calls
// an escaper by reflection for every value) was most of the cost of a
// signed-in lesson.
const (
	nameMark = "kalanNAMEmark0f3b"
	userMark = "kalanUSERmark0f3b"
	csrfMark = "kalanCSRFmark0f3b"
	// nameProbe is rendered in place of the name once per key to check
	// that every place the name goes is one where html/template escapes
	// it as template.HTMLEscapeString does (text, quoted attributes), the
	// escaping the replacement applies: in a script, a URL or an unquoted
	// attribute, one of these characters comes out otherwise.
	nameProbe = "kalanNAME<&'\"> =`probe0f3b"
)

// markedPage is the Page a shared page is rendered with: the marks, the
// links of the reader's role, and nothing else of the reader (no
// invitations, flash or errors), so that a template that came to show
// more of the reader shows it empty rather than one reader's to the next.
func markedPage(p Page, name string) Page {
	p.CSRF, p.Flash, p.Errors = csrfMark, "", nil
	p.Viewer = &ViewerInfo{ID: userMark, Name: name, Trainer: p.Viewer.Trainer, Admin: p.Viewer.Admin}
	return p
}

// sharedPage renders page for the reader of p from the shared rendering
// under key, rendering it with model(markedPage(p)) the first time. key
// must name everything the page depends on besides the reader's name, id
// and token (sharedPageKey). ok is false when the page cannot be shared
// for this reader (a token that is not plain [A-Za-z0-9_-], or a template
// that puts the name where HTML escaping is not enough): the caller then
// renders it whole.
func (h *handlers) sharedPage(c *fiber.Ctx, page, key string, p Page, model func(Page) any) (ok bool, err error) {
	if p.Viewer == nil || !plainToken(p.CSRF) || !plainToken(p.Viewer.ID) {
		return false, nil
	}
	body, found := h.sharedPages.get(key)
	if !found {
		var marked, probed bytes.Buffer
		if err := h.View.Render(&marked, page, model(markedPage(p, nameMark))); err != nil {
			return false, err
		}
		if err := h.View.Render(&probed, page, model(markedPage(p, nameProbe))); err != nil {
			return false, err
		}
		if !bytes.Equal(bytes.ReplaceAll(probed.Bytes(), []byte(template.HTMLEscapeString(nameProbe)), []byte(nameMark)), marked.Bytes()) {
			h.Log.Warn("a signed-in page cannot be shared: the reader's name is where HTML escaping is not enough", "page", page)
			return false, nil
		}
		body = marked.Bytes()
		h.sharedPages.put(key, body)
	}
	body = bytes.ReplaceAll(body, []byte(nameMark), []byte(template.HTMLEscapeString(p.Viewer.Name)))
	body = bytes.ReplaceAll(body, []byte(userMark), []byte(p.Viewer.ID))
	body = bytes.ReplaceAll(body, []byte(csrfMark), []byte(p.CSRF))
	h.setPageHeaders(c, fiber.StatusOK)
	c.Response().SetBodyRaw(body)
	return true, nil
}

// plainToken reports a non-empty value that needs no escaping in any
// HTML context: letters, digits, '-' and '_'.
func plainToken(s string) bool {
	return s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_')
	}) < 0
}

// sharedPageKey is the key of a signed-in page's shared rendering for
// this request, or "" when it must be rendered for the request alone (a
// flash message, a query other than lang and saver). parts name what the
// page depends on besides the language, the address and the role.
func sharedPageKey(c *fiber.Ctx, parts ...string) string {
	v := currentViewer(c)
	if v == nil || c.Cookies(flashCookie) != "" || !plainQuery(c) {
		return ""
	}
	lang, _ := c.Locals(localLang).(string)
	return strings.Join(append(parts, lang, string(v.Role), c.OriginalURL()), "|")
}
