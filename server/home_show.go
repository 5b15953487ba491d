package server

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/kalan-platform/kalan/server/catalog"
	"github.com/kalan-platform/kalan/server/library"
)

// homeCourses is how many courses the home page highlights.
const homeCourses = 3

type homePage struct {
	Page
	Courses   []courseCard
	Resources []resourceCard // library highlights in the reader's language first
	Learner   learnerSummary // the signed-in person's own work
}

// homeResources is how many library items the home page highlights.
const homeResources = 3

// homeShow is the home page. A visitor's copy is rendered once per
// language and data-saver setting and kept (see pageCache); a signed-in
// person's never is: it carries their own work.
func (h *handlers) homeShow(c *fiber.Ctx) error {
	list := h.Catalog.Published()
	if len(list) > homeCourses {
		list = list[:homeCourses]
	}
	lang, _ := c.Locals(localLang).(string)
	items, err := h.Library.List(c.UserContext(), library.Filter{Language: lang})
	if err != nil {
		return err
	}
	if len(items) > homeResources {
		items = items[:homeResources]
	}
	key := publicPageKey(c, homeVersion(list, items)) // "" when signed in
	if h.sendCached(c, key) {
		return nil
	}
	p := h.page(c)
	cards := courseCards(p, list)
	if err := h.withProgress(c, cards, list); err != nil {
		return err
	}
	m := homePage{Page: p, Courses: cards}
	for _, r := range items {
		m.Resources = append(m.Resources, h.resourceCard(p, r))
	}
	if m.Learner, err = h.learnerSummary(c, p); err != nil {
		return err
	}
	if err := h.render(c, fiber.StatusOK, "home", m); err != nil {
		return err
	}
	h.keepRendered(c, key)
	return nil
}

// homeVersion names what a visitor's home shows: the versions of its
// courses and the resources with their last change, so that a publication
// or an upload gives a new cache key.
func homeVersion(list []*catalog.Course, items []*library.Resource) string {
	var b strings.Builder
	b.WriteString("home")
	for _, c := range list {
		b.WriteString("|" + c.ID)
	}
	for _, r := range items {
		b.WriteString("|" + r.ID + "@" + strconv.FormatInt(r.UpdatedAt.UnixNano(), 36))
	}
	return b.String()
}

// learnerSummary is what the home and account pages show a signed-in
// person of their own work (training.Summary).
type learnerSummary struct {
	Shown        bool // a signed-in person: the summary is shown, even empty
	Continue     []continueItem
	Certificates []certificateItem
	ToStart      []courseCard // courses of their cohorts not started yet
}

// Empty reports whether the person has nothing to continue, show or start.
func (s learnerSummary) Empty() bool {
	return len(s.Continue) == 0 && len(s.Certificates) == 0 && len(s.ToStart) == 0
}

// continueItem is a course in progress and where to continue it.
type continueItem struct {
	Title, TitleLang, CourseURL string
	URL                         string // the next lesson, or the quiz (which resumes an open attempt)
	Lesson, LessonLang          string // the next lesson's title; "" when the quiz is next
	Done, Lessons               int
}

// certificateItem is a certificate the person holds.
type certificateItem struct {
	Title, TitleLang, Date string
	PDF, Verify            string
}

func (h *handlers) learnerSummary(c *fiber.Ctx, p Page) (learnerSummary, error) {
	v := currentViewer(c)
	if v == nil {
		return learnerSummary{}, nil
	}
	sum, err := h.Training.Summary(c.UserContext(), v.User)
	if err != nil {
		return learnerSummary{}, err
	}
	s := learnerSummary{Shown: true}
	for _, e := range sum.Certificates {
		title, titleLang := text(p, e.Course.Def.Title)
		s.Certificates = append(s.Certificates, certificateItem{Title: title, TitleLang: titleLang,
			Date: e.Completed.Format("2006-01-02"), PDF: certificatePDFURL(e.Serial), Verify: verifyURL(e.Serial)})
	}
	for _, w := range sum.Continue {
		title, titleLang := text(p, w.Course.Def.Title)
		item := continueItem{Title: title, TitleLang: titleLang, CourseURL: courseURL(w.Slug),
			Done: w.Step.Done, Lessons: w.Step.Lessons, URL: quizURL(w.Slug)}
		if l, _, ok := w.Course.Def.Lesson(w.Step.Lesson); ok {
			item.URL = lessonURL(w.Slug, l.ID)
			item.Lesson, item.LessonLang = text(p, l.Title)
		}
		s.Continue = append(s.Continue, item)
	}
	for _, course := range sum.ToStart {
		s.ToStart = append(s.ToStart, newCourseCard(p, course))
	}
	return s, nil
}
