package server

import (
	"bytes"
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/kalan-platform/kalan/courses"
	"github.com/kalan-platform/kalan/server/account"
	"github.com/kalan-platform/kalan/server/library"
)

type adminLibraryRow struct {
	resourceCard
	ID        string
	Downloads int
	Withdrawn bool
}

type adminLibraryPage struct {
	Page
	Resources []adminLibraryRow
	Days      int
}

// downloadDays is the period of the download counts on the admin page.
const downloadDays = 30

func (h *handlers) adminLibrary(c *fiber.Ctx) error {
	p := h.page(c)
	all, err := h.Library.All(c.UserContext())
	if err != nil {
		return err
	}
	counts, err := h.Library.Downloads(c.UserContext(), downloadDays)
	if err != nil {
		return err
	}
	m := adminLibraryPage{Page: p, Days: downloadDays}
	for _, r := range all {
		m.Resources = append(m.Resources, adminLibraryRow{resourceCard: h.resourceCard(p, r), ID: r.ID, Downloads: counts[r.ID], Withdrawn: r.Withdrawn()})
	}
	return h.render(c, fiber.StatusOK, "admin_library", m)
}

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
	for _, l := range h.Locales.Languages() {
		m.Langs = append(m.Langs, l.Code)
		m.MaterialLangs = append(m.MaterialLangs, option{Value: l.Code, Label: l.Name, Selected: l.Code == f.Language})
	}
	m.Topics = codeOptions(p, "library.topic.", library.Topics(), f.Topic)
	m.Audiences = codeOptions(p, "library.audience.", library.Audiences(), f.Audience)
	m.Formats = codeOptions(p, "library.format.", library.Formats(), f.Format)
	for _, pc := range h.Catalog.Published() {
		title, _ := text(p, pc.Course.Title)
		m.Courses = append(m.Courses, option{Value: pc.Course.Slug, Label: title, Selected: contains(f.Courses, pc.Course.Slug)})
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

// multipartStream reads a multipart form part by part as it arrives: the
// file goes to object storage without ever being held in memory.
func (h *handlers) multipartStream(c *fiber.Ctx) (*multipart.Reader, error) {
	_, params, err := mime.ParseMediaType(c.Get(fiber.HeaderContentType))
	if err != nil || params["boundary"] == "" {
		return nil, errBadRequest
	}
	s := c.Context().RequestBodyStream()
	if s == nil { // the body was read before the handler ran
		return multipart.NewReader(bytes.NewReader(c.Body()), params["boundary"]), nil
	}
	return multipart.NewReader(&stallReader{r: s, conn: c.Context().Conn(), idle: h.ReadTimeout}, params["boundary"]), nil
}

// stallReader moves the connection's read deadline forward before each
// read: the server's read timeout then cuts an upload that stalls, not
// one that is merely long. A body that stops short (a stall, a dropped
// connection) is the client's failure, not the storage's: errUploadCut.
type stallReader struct {
	r    io.Reader
	conn net.Conn
	idle time.Duration
}

func (s *stallReader) Read(p []byte) (int, error) {
	if err := s.conn.SetReadDeadline(time.Now().Add(s.idle)); err != nil {
		return 0, fmt.Errorf("%w: %w", errUploadCut, err)
	}
	n, err := s.r.Read(p)
	if err != nil && !errors.Is(err, io.EOF) {
		err = fmt.Errorf("%w: %w", errUploadCut, err)
	}
	return n, err
}

// maxField bounds one text field of a streamed form.
const maxField = 16 << 10

// eachUpload walks a streamed multipart form: text fields are gathered
// (the CSRF token must come before any file, and is checked here: the
// middleware cannot read a streamed body), then fn is called for each file.
func (h *handlers) eachUpload(c *fiber.Ctx, fn func(fields url.Values, u *library.Upload) error) (url.Values, int, error) {
	mr, err := h.multipartStream(c)
	if err != nil {
		return nil, 0, err
	}
	fields := url.Values{}
	files := 0
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return fields, files, nil
		}
		if errors.Is(err, errUploadCut) {
			return fields, files, err
		}
		if err != nil {
			return fields, files, errBadRequest
		}
		if part.FileName() == "" {
			value, err := io.ReadAll(io.LimitReader(part, maxField+1))
			if errors.Is(err, errUploadCut) {
				return fields, files, err
			}
			if err != nil || len(value) > maxField || len(fields) > 100 {
				return fields, files, errBadRequest
			}
			fields.Add(part.FormName(), string(value))
			continue
		}
		if subtle.ConstantTimeCompare([]byte(fields.Get(csrfField)), []byte(csrfToken(c))) != 1 {
			return fields, files, errCSRF
		}
		files++
		if err := fn(fields, &library.Upload{Name: part.FileName(), Body: part}); err != nil {
			return fields, files, err
		}
	}
}

// errFormShown stops a streamed upload after its form was shown again.
var errFormShown = errors.New("form shown again")

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

// uploadError is the answer to a streamed upload that stopped: nothing
// more when its form was shown again.
func uploadError(err error) error {
	switch {
	case errors.Is(err, errFormShown):
		return nil
	case errors.Is(err, library.ErrTooLarge):
		return errTooLarge
	}
	return err
}

// renderResourceForm shows the resource form again with its errors.
func (h *handlers) renderResourceForm(c *fiber.Ctx, action string, r *library.Resource, f library.Form, errs account.FieldErrors) error {
	return h.render(c, fiber.StatusBadRequest, "resource_form", h.resourceForm(c, action, r, f, errs))
}

func (h *handlers) libraryEdit(c *fiber.Ctx) error {
	r, err := h.resourceLoad(c, true)
	if err != nil {
		return err
	}
	return h.render(c, fiber.StatusOK, "resource_form", h.resourceForm(c, "/admin/library/"+r.ID, r, library.FormOf(r), nil))
}

func (h *handlers) libraryUpdate(c *fiber.Ctx) error {
	r, err := h.resourceLoad(c, true)
	if err != nil {
		return err
	}
	args := url.Values{}
	c.Request().PostArgs().VisitAll(func(k, v []byte) { args.Add(string(k), string(v)) })
	f := h.libraryFormOf(args)
	errs, err := h.Library.Update(c.UserContext(), currentViewer(c).User, r, f, h.Locales.Supported, h.publishedSlug, h.clientIP(c))
	if err != nil {
		return err
	}
	if errs != nil {
		return h.renderResourceForm(c, "/admin/library/"+r.ID, r, f, errs)
	}
	h.flash(c, flashLibrarySaved)
	return seeOther(c, "/admin/library/"+r.ID)
}

// libraryReplace puts a new file in place of the resource's.
func (h *handlers) libraryReplace(c *fiber.Ctx) error {
	r, err := h.resourceLoad(c, true)
	if err != nil {
		return err
	}
	replaced := false
	_, files, err := h.eachUpload(c, func(_ url.Values, u *library.Upload) error {
		if replaced {
			return nil // a resource has one file: the first one replaces it
		}
		replaced = true
		errs, err := h.Library.Replace(c.UserContext(), currentViewer(c).User, r, u, h.clientIP(c))
		if errs != nil {
			if err := h.renderResourceForm(c, "/admin/library/"+r.ID, r, library.FormOf(r), errs); err != nil {
				return err
			}
			return errFormShown
		}
		return err
	})
	if err != nil {
		return uploadError(err)
	}
	if files == 0 {
		return h.renderResourceForm(c, "/admin/library/"+r.ID, r, library.FormOf(r), account.FieldErrors{{Field: "file", MessageID: "form.file.required"}})
	}
	h.flash(c, flashLibrarySaved)
	return seeOther(c, "/admin/library/"+r.ID)
}

func (h *handlers) libraryWithdraw(c *fiber.Ctx) error { return h.librarySetWithdrawn(c, true) }
func (h *handlers) libraryRestore(c *fiber.Ctx) error  { return h.librarySetWithdrawn(c, false) }

func (h *handlers) librarySetWithdrawn(c *fiber.Ctx, withdrawn bool) error {
	r, err := h.resourceLoad(c, true)
	if err != nil {
		return err
	}
	if err := h.Library.SetWithdrawn(c.UserContext(), currentViewer(c).User, r, withdrawn, h.clientIP(c)); err != nil {
		return err
	}
	h.flash(c, flashLibrarySaved)
	return seeOther(c, "/admin/library/"+r.ID)
}

// isStreamingUpload names the routes whose multipart body is read as it
// arrives (library files): the CSRF token is checked by the handler, and
// the body may be as large as the library allows.
func isStreamingUpload(c *fiber.Ctx) bool {
	if c.Method() != fiber.MethodPost {
		return false
	}
	p := c.Path()
	return p == "/admin/library" || (strings.HasPrefix(p, "/admin/library/") && strings.HasSuffix(p, "/file"))
}
