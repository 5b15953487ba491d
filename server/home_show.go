package server

import (
	"cmp"
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/kalan-platform/kalan/server/catalog"
	"github.com/kalan-platform/kalan/server/cohort"
	"github.com/kalan-platform/kalan/server/learning"
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
// person of their own work. It is built from their account document
// (already read for the session) and the in-memory catalog and cohorts:
// it costs no database query, so the home page stays cheap at any scale.
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
	updated                     int64
}

// certificateItem is a certificate the person holds.
type certificateItem struct {
	Title, TitleLang, Date string
	PDF, Verify            string
	completed              int64
}

func (h *handlers) learnerSummary(c *fiber.Ctx, p Page) (learnerSummary, error) {
	v := currentViewer(c)
	if v == nil {
		return learnerSummary{}, nil
	}
	s := learnerSummary{Shown: true}
	ctx := c.UserContext()
	member := h.Cohorts.OfMember(ctx, v.Cohorts)
	reader, all := cohort.Reader{UserID: v.ID, Role: v.Role, Cohorts: member}, h.Cohorts.All()
	for slug, cp := range v.Progress {
		course, err := h.Catalog.Get(ctx, cp.Version) // the version they follow, in memory once loaded
		if errors.Is(err, catalog.ErrNotFound) {
			continue
		}
		if err != nil {
			return s, err
		}
		cc := course.Def
		title, titleLang := text(p, cc.Title)
		if cp.Certificate != "" {
			s.Certificates = append(s.Certificates, certificateItem{Title: title, TitleLang: titleLang,
				Date: cp.CompletedAt.Format("2006-01-02"), PDF: certificatePDFURL(cp.Certificate),
				Verify: verifyURL(cp.Certificate), completed: cp.CompletedAt.UnixNano()})
			continue
		}
		// Lessons are read on the published course's URLs: a withdrawn
		// course, or one whose cohort the person left, has nowhere to go.
		published, ok := h.Catalog.Lookup(slug)
		if !ok || !cohort.CanRead(reader, published.Def.Access, slug, all) {
			continue
		}
		prog := learning.Progress{LessonsDone: cp.LessonsDone, QuizPassed: cp.QuizPassed}
		if learning.Complete(cc, prog) {
			continue
		}
		step := learning.Resume(cc, prog, cp.Last)
		item := continueItem{Title: title, TitleLang: titleLang, CourseURL: courseURL(slug),
			Done: step.Done, Lessons: step.Lessons, updated: cp.UpdatedAt.UnixNano()}
		switch {
		case step.Lesson != "":
			item.URL = lessonURL(slug, step.Lesson)
			for _, l := range cc.Lessons {
				if l.ID == step.Lesson {
					item.Lesson, item.LessonLang = text(p, l.Title)
				}
			}
		case step.Quiz:
			item.URL = quizURL(slug)
		default:
			continue
		}
		s.Continue = append(s.Continue, item)
	}
	// Most recent first; the slug breaks ties, so the order is stable.
	slices.SortFunc(s.Continue, func(a, b continueItem) int {
		return cmp.Or(cmp.Compare(b.updated, a.updated), cmp.Compare(a.CourseURL, b.CourseURL))
	})
	slices.SortFunc(s.Certificates, func(a, b certificateItem) int {
		return cmp.Or(cmp.Compare(b.completed, a.completed), cmp.Compare(a.PDF, b.PDF))
	})
	seen := map[string]bool{}
	for _, co := range member {
		for _, slug := range co.Courses {
			if _, started := v.Progress[slug]; started || seen[slug] {
				continue
			}
			seen[slug] = true
			if course, ok := h.Catalog.Lookup(slug); ok {
				s.ToStart = append(s.ToStart, newCourseCard(p, course))
			}
		}
	}
	return s, nil
}
