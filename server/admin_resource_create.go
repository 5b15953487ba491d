package server

import (
	"net/url"

	"github.com/gofiber/fiber/v2"

	"github.com/kalan-platform/kalan/courses"
	"github.com/kalan-platform/kalan/server/account"
	"github.com/kalan-platform/kalan/server/library"
)

// resourceFormPage is the upload form, or the edit page of a resource.
type resourceFormPage struct {
	Page
	Action                              string
	Resource                            *library.Resource // nil for a new one
	Form                                library.Form
	Langs                               []string
	Topics, Audiences, Formats, Courses []option
	MaterialLangs                       []option
	MaxMB                               int64
}

func (h *handlers) resourceForm(c *fiber.Ctx, action string, r *library.Resource, f library.Form, errs account.FieldErrors) resourceFormPage {
	p := h.page(c)
	p.Errors = errs
	m := resourceFormPage{Page: p, Action: action, Resource: r, Form: f, MaxMB: h.Library.MaxSize >> 20}
	m.Langs = h.interfaceLangs()
	m.MaterialLangs = materialLangOptions(p, library.MaterialLanguages(m.Langs), f.Language)
	m.Topics = codeOptions(p, "library.topic.", library.Topics(), f.Topic)
	m.Audiences = codeOptions(p, "library.audience.", library.Audiences(), f.Audience)
	m.Formats = codeOptions(p, "library.format.", library.Formats(), f.Format)
	for _, pc := range h.Catalog.Published() {
		title, _ := text(p, pc.Def.Title)
		m.Courses = append(m.Courses, option{Value: pc.Def.Slug, Label: title, Selected: contains(f.Courses, pc.Def.Slug)})
	}
	return m
}

func (h *handlers) libraryNew(c *fiber.Ctx) error {
	return h.render(c, fiber.StatusOK, "resource_form", h.resourceForm(c, "/admin/library", nil, library.Form{Licence: "CC BY 4.0"}, nil))
}

// formOf reads the metadata fields of the resource form.
func (h *handlers) libraryFormOf(v url.Values) library.Form {
	f := library.Form{Title: courses.Text{}, Description: courses.Text{}, Topic: v.Get("topic"), Audience: v.Get("audience"),
		Format: v.Get("format"), Language: v.Get("language"), Licence: v.Get("licence"), Credit: v.Get("credit"), Courses: v["courses"]}
	for _, l := range h.Locales.Languages() {
		f.Title[l.Code] = v.Get("title_" + l.Code)
		f.Description[l.Code] = v.Get("description_" + l.Code)
	}
	return f
}

// libraryCreate stores one or several uploaded files with the metadata of
// the form (fields first, files last). A second file gets its name added
// to the title. The files are all received before any is added: one bad
// or cut file leaves none behind.
func (h *handlers) libraryCreate(c *fiber.Ctx) error {
	v := currentViewer(c)
	var staged []*library.Resource
	fields, files, err := h.eachUpload(c, func(fields url.Values, u *library.Upload) error {
		f := h.libraryFormOf(fields)
		if len(staged) > 0 {
			for lang, t := range f.Title {
				if t != "" {
					f.Title[lang] = t + " (" + library.CleanFileName(u.Name) + ")"
				}
			}
		}
		r, errs, err := h.Library.Stage(c.UserContext(), f, u, h.Locales.Supported, h.publishedSlug)
		if errs != nil {
			if err := h.renderResourceForm(c, "/admin/library", nil, h.libraryFormOf(fields), errs); err != nil {
				return err
			}
			return errFormShown
		}
		if err != nil {
			return err
		}
		staged = append(staged, r)
		return nil
	})
	if err == nil && files == 0 {
		return h.renderResourceForm(c, "/admin/library", nil, h.libraryFormOf(fields), account.FieldErrors{{Field: "file", MessageID: "form.file.required"}})
	}
	if err != nil {
		h.Library.Discard(c.UserContext(), staged)
		return uploadError(err)
	}
	if err := h.Library.Commit(c.UserContext(), v.User, staged, h.clientIP(c)); err != nil {
		return err
	}
	h.flash(c, flashLibrarySaved)
	if len(staged) == 1 {
		return seeOther(c, "/admin/library/"+staged[0].ID)
	}
	return seeOther(c, "/admin/library")
}

// renderResourceForm shows the resource form again with its errors.
func (h *handlers) renderResourceForm(c *fiber.Ctx, action string, r *library.Resource, f library.Form, errs account.FieldErrors) error {
	return h.render(c, fiber.StatusBadRequest, "resource_form", h.resourceForm(c, action, r, f, errs))
}
