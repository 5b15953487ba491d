package server

import (
	"github.com/gofiber/fiber/v2"

	"github.com/kalan-platform/kalan/courses"
	"github.com/kalan-platform/kalan/server/catalog"
	"github.com/kalan-platform/kalan/server/learning"
)

type coursePage struct {
	Page
	Title, TitleLang, Summary, SummaryLang string
	FallbackNote                           string
	Minutes                                int
	Audience, AccessLabel                  string
	ContentLanguages                       string
	FirstLesson                            string
	Lessons                                []lessonLink
	QuizInfo                               string
	QuizURL                                string
	PackURL, PackLanguage                  string // the offline pack in the reader's language
	Offline                                *offlineOffer
	// For a signed-in reader:
	SignedIn                  bool
	Percent                   int
	ContinueURL               string
	Attempts                  []attemptRow
	CertificateURL, VerifyURL string
}

type lessonLink struct {
	URL, Title, TitleLang, Meta string
	Done                        bool
}

// attemptRow is one past attempt in the trainee's history.
type attemptRow struct {
	URL, Date string
	Score     int
	Passed    bool
}

func (h *handlers) courseShow(c *fiber.Ctx) error {
	course, err := h.publishedCourse(c.Params("slug"))
	if err != nil {
		return err
	}
	v := currentViewer(c)
	if v != nil {
		if course, err = h.Training.Version(c.UserContext(), v.User, course); err != nil {
			return err
		}
	}
	p := h.page(c)
	cc := course.Course
	m := coursePage{
		Page:             p,
		Minutes:          cc.DurationMinutes,
		Audience:         audienceLabels(p, cc.Audience),
		AccessLabel:      p.T("course.access." + string(cc.Access)),
		ContentLanguages: languageNames(p, cc.Languages),
		FirstLesson:      lessonURL(cc.Slug, cc.Lessons[0].ID),
	}
	m.Title, m.TitleLang = text(p, cc.Title)
	m.Summary, m.SummaryLang = text(p, cc.Summary)
	if !courseComplete(cc, p.Lang) {
		m.FallbackNote = p.T("course.fallback_note", "Language", p.LangName(p.Lang))
	}
	for _, l := range cc.Lessons {
		link := lessonLink{URL: lessonURL(cc.Slug, l.ID)}
		link.Title, link.TitleLang = text(p, l.Title)
		if l.Minutes > 0 {
			link.Meta = p.N("course.minutes", l.Minutes)
		}
		if !l.Required {
			link.Meta += " · " + p.T("course.optional")
		}
		m.Lessons = append(m.Lessons, link)
	}
	if cc.Access == courses.AccessPublic || v != nil {
		m.PackURL, m.PackLanguage = courseURL(cc.Slug)+"/pack?lang="+p.Lang, p.LangName(p.Lang)
		m.Offline = h.offerOffline(p, course, v != nil, saverOn(c))
	}
	if q := cc.Quiz; q != nil && q.Draw > 0 {
		m.QuizInfo = p.N("course.quiz_info", q.Draw, "PassMark", cc.PassMark)
		m.QuizURL = courseURL(cc.Slug) + "/quiz"
	}
	if v != nil {
		if err := h.addProgress(c, &m, v, course); err != nil {
			return err
		}
	}
	return h.render(c, fiber.StatusOK, "course", m)
}

// addProgress shows a signed-in reader where they are: percent done, the
// lesson to continue with, their attempts, their certificate.
func (h *handlers) addProgress(c *fiber.Ctx, m *coursePage, v *viewer, course *catalog.Course) error {
	cc := course.Course
	cp := v.Progress[cc.Slug]
	prog := learning.Progress{LessonsDone: cp.LessonsDone, QuizPassed: cp.QuizPassed}
	m.SignedIn, m.Percent = true, learning.Percent(cc, prog)
	for i := range m.Lessons {
		m.Lessons[i].Done = contains(cp.LessonsDone, cc.Lessons[i].ID)
	}
	switch next := learning.Next(cc, prog); {
	case cp.Certificate != "":
		m.CertificateURL, m.VerifyURL = certificatePDFURL(cp.Certificate), verifyURL(cp.Certificate)
	case next == "" && cp.Last == "" && len(cp.LessonsDone) == 0:
	case next != "":
		m.ContinueURL = lessonURL(cc.Slug, next)
		if cp.Last != "" && !contains(cp.LessonsDone, cp.Last) {
			m.ContinueURL = lessonURL(cc.Slug, cp.Last) // where they left off
		}
	case !cp.QuizPassed && m.QuizURL != "":
		m.ContinueURL = m.QuizURL
	}
	if _, started := v.Progress[cc.Slug]; !started || m.QuizURL == "" {
		return nil
	}
	attempts, err := h.Training.Attempts(c.UserContext(), v.User, course)
	if err != nil {
		return err
	}
	for _, a := range attempts {
		if a.Submitted() {
			m.Attempts = append(m.Attempts, attemptRow{URL: m.QuizURL + "/attempts/" + a.ID,
				Date: a.SubmittedAt.Format("2006-01-02 15:04"), Score: a.Result.Score, Passed: a.Result.Passed})
		}
	}
	return nil
}

// readableCourse is the course of the URL as the viewer reads it (the
// version they follow), after the access check: 401 for a visitor, 403
// for a signed-in reader who is not a member.
func (h *handlers) readableCourse(c *fiber.Ctx) (*catalog.Course, error) {
	published, err := h.publishedCourse(c.Params("slug"))
	if err != nil {
		return nil, err
	}
	v := currentViewer(c)
	if !h.canRead(c, published.Course) {
		if v == nil {
			return nil, errSignInNeeded
		}
		return nil, errNotMember
	}
	if v == nil {
		return published, nil
	}
	return h.Training.Version(c.UserContext(), v.User, published)
}

// publishedCourse finds a published course by the slug of a URL; a slug
// that is not even well-formed is simply not found.
func (h *handlers) publishedCourse(slug string) (*catalog.Course, error) {
	if !courses.ValidSlug(slug) {
		return nil, errNotFound
	}
	course, ok := h.Catalog.Lookup(slug)
	if !ok {
		return nil, errNotFound
	}
	return course, nil
}
