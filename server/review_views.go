package server

import (
	"slices"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/kalan-platform/kalan/courses"
	"github.com/kalan-platform/kalan/server/catalog"
)

// reviewTarget is the published course of the URL and the language of a
// review page or action (the URL's :lang, or the form's lang): 404 for a
// course that is not published, 400 for a language the course is not
// translated into (its source language included), 403 for a reviewer of
// other languages. Reviewers and admins only reach it (routes.go).
func (h *handlers) reviewTarget(c *fiber.Ctx, lang string) (*catalog.Course, error) {
	course, ok := h.Catalog.Lookup(c.Params("slug"))
	if !ok {
		return nil, errNotFound
	}
	if !reviewable(course.Def, lang) {
		return nil, errBadRequest
	}
	if !currentViewer(c).Reviews(lang) {
		return nil, errForbidden
	}
	return course, nil
}

// reviewLesson is reviewTarget and the lesson of the URL, with its index;
// missing is the answer when the course has no such lesson (404 for a
// page, 400 for a form posted to it).
func (h *handlers) reviewLesson(c *fiber.Ctx, lang string, missing error) (*catalog.Course, courses.Lesson, int, error) {
	course, err := h.reviewTarget(c, lang)
	if err != nil {
		return nil, courses.Lesson{}, 0, err
	}
	lesson, i, ok := course.Def.Lesson(c.Params("lesson"))
	if !ok {
		return nil, courses.Lesson{}, 0, missing
	}
	return course, lesson, i, nil
}

// reviewable reports whether lang is a translation of c that reviewers
// may work on: a language of the course other than its source.
func reviewable(c *courses.Course, lang string) bool {
	return lang != courses.SourceLang(c) && slices.Contains(c.Languages, lang)
}

// reviewLink is a course and language on the review pages.
type reviewLink struct {
	URL, Course, Lang, LangName string
	Reviewed                    bool // the published version is reviewed in Lang (file or mark)
}

// reviewLinks are the course translations the viewer may review.
func (h *handlers) reviewLinks(c *fiber.Ctx, p Page) []reviewLink {
	v := currentViewer(c)
	var out []reviewLink
	for _, course := range h.Catalog.Published() {
		title, _ := text(p, course.Def.Title)
		for _, lang := range course.Def.Languages {
			if reviewable(course.Def, lang) && v.Reviews(lang) {
				out = append(out, reviewLink{URL: "/review/" + course.Def.Slug + "/" + lang, Course: title, Lang: lang,
					LangName: p.LangName(lang), Reviewed: course.Def.Translations[lang].Reviewed})
			}
		}
	}
	return out
}

// formRevision is a review form's revision: the revision of the draft the
// form was made from (missing: 0, there was none), 400 when it is not a
// count.
func formRevision(c *fiber.Ctx) (int, error) {
	s := c.FormValue("revision")
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return 0, errBadRequest
	}
	return n, nil
}
