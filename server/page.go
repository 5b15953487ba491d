package server

import (
	"fmt"
	"html/template"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"github.com/kalan-platform/kalan/courses"
	"github.com/kalan-platform/kalan/locales"
	"github.com/kalan-platform/kalan/server/account"
)

// Page is what every page model embeds: the language, the language
// switcher, and the translation methods templates call as
// {{.T "message.id" "Name" value}} and {{.N "message.id" count}}.
type Page struct {
	Lang      string
	Dir       string
	Languages []LangLink
	Viewer    *ViewerInfo // nil when nobody is signed in
	CSRF      string      // the token every form carries in _csrf
	Here      string      // this page's path and query, for ?next=
	Flash     string      // a confirmation carried over a redirect, translated
	Errors    account.FieldErrors
	// Description is the page's meta description when the page's content
	// gives one (a course's summary on its course and lesson pages, a
	// library resource's description); when empty, the page template's
	// "description" block says what the page is for.
	Description string
	loc         *locales.Localizer
	names       func(code string) string
}

// ViewerInfo is what every page shows of the signed-in person.
type ViewerInfo struct {
	ID             string // for the offline queue: events carry who made them
	Name           string
	Trainer, Admin bool // may open the trainer pages; the admin pages
	Reviewer       bool // may open the review pages (reviewers and admins)
	// Invitations are the cohorts the person is asked to join, shown on
	// the home and account pages until answered.
	Invitations []InvitationView
}

// InvitationView is one invitation to a cohort, with the forms' targets.
type InvitationView struct {
	Cohort, Organisation, Region string
	Accept, Decline              string
}

// LangLink is one entry of the language switcher.
type LangLink struct {
	Code, Name, URL string
	Current         bool
}

// T translates a message; kv are name/value pairs of template data.
func (p Page) T(id string, kv ...any) string { return p.loc.T(id, pairs(kv)) }

// N translates a message with plural forms; kv as for T.
func (p Page) N(id string, count int, kv ...any) string { return p.loc.N(id, count, pairs(kv)) }

// FieldError is the translated first problem of a form field, or "".
func (p Page) FieldError(field string) string {
	e := p.Errors.For(field)
	if e == nil {
		return ""
	}
	return p.loc.T(e.MessageID, e.Data)
}

// fieldErrorPrefix starts the id of a field's error message, which the
// field names in aria-describedby.
const fieldErrorPrefix = "error-"

// fieldError is a field's error message for the "field-error" partial.
type fieldError struct{ ID, Text string }

// ErrorOf is the error of a field with the id its message carries, for
// {{template "field-error" (.ErrorOf "name")}}; Text is "" without one.
func (p Page) ErrorOf(field string) fieldError {
	return fieldError{ID: fieldErrorPrefix + field, Text: p.FieldError(field)}
}

// Describe is the aria attributes of a form field: aria-describedby
// naming its hints (ids) and its error message, and aria-invalid when it
// has an error. Templates write <input id="name" …{{.Describe "name" "name-hint"}}>;
// field and hints are ids written in templates, escaped all the same.
func (p Page) Describe(field string, hints ...string) template.HTMLAttr {
	ids := hints
	invalid := p.Errors.For(field) != nil
	if invalid {
		ids = append(ids[:len(ids):len(ids)], fieldErrorPrefix+field)
	}
	var b strings.Builder
	if len(ids) > 0 {
		b.WriteString(` aria-describedby="` + template.HTMLEscapeString(strings.Join(ids, " ")) + `"`)
	}
	if invalid {
		b.WriteString(` aria-invalid="true"`)
	}
	return template.HTMLAttr(b.String())
}

// errorSummary is the list of a form's errors shown at its top after a
// failed submit, each linking to its field.
type errorSummary struct {
	Heading string
	Items   []errorLink
}

// errorLink is one error of the summary: its message and the id of the
// field it is about.
type errorLink struct{ Target, Text string }

// ErrorSummary lists the errors of a form's fields, in the form's order;
// pairs are the fields' names and their elements' ids: {{template
// "error-summary" (.ErrorSummary "name" "name" "courses" "courses")}}.
// Errors of other fields (another form of the page) are left out.
func (p Page) ErrorSummary(pairs ...string) errorSummary {
	s := errorSummary{Heading: p.T("form.error_summary")}
	for i := 0; i+1 < len(pairs); i += 2 {
		if e := p.Errors.For(pairs[i]); e != nil {
			s.Items = append(s.Items, errorLink{Target: pairs[i+1], Text: p.loc.T(e.MessageID, e.Data)})
		}
	}
	return s
}

// LangName is a language's own name, or its code when Kalan's interface
// does not have that language.
func (p Page) LangName(code string) string { return p.names(code) }

func pairs(kv []any) map[string]any {
	if len(kv) == 0 {
		return nil
	}
	m := make(map[string]any, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		m[fmt.Sprint(kv[i])] = kv[i+1]
	}
	return m
}

// page builds the common part of a page model for this request.
func (h *handlers) page(c *fiber.Ctx) Page {
	lang, _ := c.Locals(localLang).(string)
	if lang == "" { // an error before the language middleware ran
		lang = h.Locales.Negotiate(c.Get(fiber.HeaderAcceptLanguage), c.Cookies(langCookie))
	}
	current, _ := h.Locales.Language(lang)
	p := Page{Lang: lang, Dir: current.Dir, CSRF: csrfToken(c), Here: c.OriginalURL(), loc: h.Locales.Localizer(lang), names: h.langName}
	if v := currentViewer(c); v != nil {
		p.Viewer = &ViewerInfo{ID: v.ID, Name: v.Name, Trainer: v.Role == account.RoleTrainer || v.Role == account.RoleAdmin, Admin: v.Role == account.RoleAdmin,
			Reviewer: v.Role == account.RoleReviewer || v.Role == account.RoleAdmin}
		for _, co := range h.Cohorts.Invitations(v.User) {
			p.Viewer.Invitations = append(p.Viewer.Invitations, InvitationView{Cohort: co.Name, Organisation: p.T("organisation." + co.Organisation),
				Region: p.T("region." + co.Region), Accept: invitationURL(co.ID, true), Decline: invitationURL(co.ID, false)})
		}
	}
	if id := c.Cookies(flashCookie); id != "" {
		if f, ok := flashByID[id]; ok {
			p.Flash = p.T(f.id)
		}
		c.Cookie(&fiber.Cookie{Name: flashCookie, Path: "/", MaxAge: -1, HTTPOnly: true, SameSite: fiber.CookieSameSiteLaxMode})
	}
	for _, l := range h.Locales.Languages() {
		p.Languages = append(p.Languages, LangLink{Code: l.Code, Name: l.Name, URL: langURL(c, l.Code), Current: l.Code == lang})
	}
	return p
}

func (h *handlers) langName(code string) string {
	if l, ok := h.Locales.Language(code); ok {
		return l.Name
	}
	return code
}

// langURL is the current page in another language, other parameters kept.
func langURL(c *fiber.Ctx, code string) string {
	args := fasthttp.AcquireArgs()
	defer fasthttp.ReleaseArgs(args)
	c.Request().URI().QueryArgs().CopyTo(args)
	args.Set("lang", code)
	return c.Path() + "?" + args.String()
}

// text picks a translatable text in the page language and says which
// language it is in when that differs (for the lang attribute, so that a
// screen reader pronounces a French fallback as French).
func text(p Page, t courses.Text) (s, lang string) {
	s, used := t.Get(p.Lang)
	if used == p.Lang {
		used = ""
	}
	return s, used
}

// reviewNote is the notice of a page whose course content is a
// translation that no native speaker has reviewed yet.
type reviewNote struct {
	Lang    string // the notice's language: the reader's
	Content string // the language of the content it is about
	Text    string
}

// reviewNotes are the notices a page owes its reader for the languages its
// course content is shown in (used: the languages Text.Get and LessonHTML
// returned; "" is ignored): one per language that is a translation the
// course's translations do not mark reviewed. The course's own language
// (courses.SourceLang) never has one.
func reviewNotes(p Page, c *courses.Course, used ...string) []reviewNote {
	var out []reviewNote
	src := courses.SourceLang(c)
	for i, lang := range used {
		if lang == "" || lang == src || c.Translations[lang].Reviewed || slices.Contains(used[:i], lang) {
			continue
		}
		out = append(out, reviewNote{Lang: p.Lang, Content: lang, Text: p.T("course.unreviewed_note", "Language", p.LangName(lang))})
	}
	return out
}

// list joins translated items with the language's separator.
func list(p Page, items []string) string {
	return strings.Join(items, p.T("list.separator"))
}

// render writes a page. Pages are private (they vary with the language
// and the reader) and revalidated on each visit; the ETag middleware turns
// an unchanged page into a 304. A signed-in reader's pages, error pages
// included, are never stored (see noStoreSignedIn).
func (h *handlers) render(c *fiber.Ctx, status int, name string, model any) error {
	h.setPageHeaders(c, status)
	return h.View.Render(c, name, model)
}

// setPageHeaders are the status and headers of an HTML page.
func (h *handlers) setPageHeaders(c *fiber.Ctx, status int) {
	c.Status(status)
	h.setDocumentHeaders(c) // an error page is a page, whatever route failed
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	switch {
	case currentViewer(c) != nil:
		c.Set(fiber.HeaderCacheControl, "no-store")
	case len(c.Response().Header.Peek(fiber.HeaderCacheControl)) == 0: // noStore may have come first
		c.Set(fiber.HeaderCacheControl, "private, no-cache")
	}
	c.Vary(fiber.HeaderAcceptLanguage, fiber.HeaderCookie)
}
