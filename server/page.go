package server

import (
	"fmt"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"kalan/courses"
	"kalan/locales"
)

// Page is what every page model embeds: the language, the language
// switcher, and the translation methods templates call as
// {{.T "message.id" "Name" value}} and {{.N "message.id" count}}.
type Page struct {
	Lang      string
	Dir       string
	Languages []LangLink
	loc       *locales.Localizer
	names     func(code string) string
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
	p := Page{Lang: lang, Dir: current.Dir, loc: h.Locales.Localizer(lang), names: h.langName}
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

// list joins translated items with the language's separator.
func list(p Page, items []string) string {
	return strings.Join(items, p.T("list.separator"))
}

// render writes a page. Pages are private (they vary with the language
// and, later, the reader) and revalidated on each visit; the ETag
// middleware turns an unchanged page into a 304.
func (h *handlers) render(c *fiber.Ctx, status int, name string, model any) error {
	c.Status(status)
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	c.Set(fiber.HeaderCacheControl, "private, no-cache")
	c.Vary(fiber.HeaderAcceptLanguage, fiber.HeaderCookie)
	return h.View.Render(c, name, model)
}
