package server

import (
	"net/url"

	"github.com/gofiber/fiber/v2"

	"github.com/kalan-platform/kalan/server/account"
	"github.com/kalan-platform/kalan/server/library"
)

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

func (h *handlers) libraryRestore(c *fiber.Ctx) error { return h.librarySetWithdrawn(c, false) }

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
