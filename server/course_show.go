package server

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/kalan-platform/kalan/courses"
	"github.com/kalan-platform/kalan/server/catalog"
	"github.com/kalan-platform/kalan/server/learning"
	"github.com/kalan-platform/kalan/server/training"
)

type coursePage struct {
	Page
	Title, TitleLang, Summary, SummaryLang string
	FallbackNote                           string
	ReviewNotes                            []reviewNote // the content is an unreviewed translation
	Minutes                                int
	Audience, AccessLabel                  string
	ContentLanguages                       string
	FirstLesson                            string
	Lessons                                []lessonLink
	QuizInfo                               string
	QuizURL                                string
	PackURL, PackLanguage                  string // the offline pack in the reader's language
	PackAudioURL, PackAudioSize            string // the same with the lessons' recordings, and what they add
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

// courseShow is a course's page: everyone sees what it holds (its lessons
// are checked on their own pages); a signed-in reader sees the version
// they follow and where they are in it.
func (h *handlers) courseShow(c *fiber.Ctx) error {
	v := currentViewer(c)
	course, err := h.Training.Course(c.UserContext(), v.user(), c.Params("slug"))
	if err != nil {
		return courseError(err)
	}
	p := h.page(c)
	cc := course.Def
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
	m.Description = m.Summary
	if !courseComplete(cc, p.Lang) {
		m.FallbackNote = p.T("course.fallback_note", "Language", p.LangName(p.Lang))
	}
	m.Lessons = lessonLinks(p, cc)
	m.ReviewNotes = reviewNotes(p, cc, contentLangs(p, cc)...)
	if cc.Access == courses.AccessPublic || v != nil {
		m.PackURL, m.PackLanguage = packURL(cc.Slug, p.Lang), p.LangName(p.Lang)
		if size := lessonRecordingsSize(cc, p.Lang); size > 0 {
			m.PackAudioURL, m.PackAudioSize = m.PackURL+"&audio=1", humanSize(p, size)
		}
		m.Offline = h.offerOffline(p, course, v != nil, saverOn(c))
	}
	if q := cc.Quiz; q != nil && q.Draw > 0 {
		m.QuizInfo = p.N("course.quiz_info", q.Draw, "PassMark", cc.PassMark)
		m.QuizURL = quizURL(cc.Slug)
	}
	if v != nil {
		if err := h.addProgress(c, &m, v, course); err != nil {
			return err
		}
	}
	return h.render(c, fiber.StatusOK, "course", m)
}

// lessonLinks is the lesson list of a course page.
func lessonLinks(p Page, cc *courses.Course) []lessonLink {
	var out []lessonLink
	for _, l := range cc.Lessons {
		link := lessonLink{URL: lessonURL(cc.Slug, l.ID)}
		link.Title, link.TitleLang = text(p, l.Title)
		if l.Minutes > 0 {
			link.Meta = p.N("course.minutes", l.Minutes)
		}
		if !l.Required {
			link.Meta += " · " + p.T("course.optional")
		}
		out = append(out, link)
	}
	return out
}

// contentLangs are the languages a course page shows the course in: its
// title's, its summary's and its lessons' titles'.
func contentLangs(p Page, cc *courses.Course) []string {
	_, title := cc.Title.Get(p.Lang)
	_, summary := cc.Summary.Get(p.Lang)
	langs := []string{title, summary}
	for _, l := range cc.Lessons {
		_, used := l.Title.Get(p.Lang)
		langs = append(langs, used)
	}
	return langs
}

// addProgress shows a signed-in reader where they are: percent done, the
// lesson to continue with (learning.Resume), their attempts, their
// certificate.
func (h *handlers) addProgress(c *fiber.Ctx, m *coursePage, v *viewer, course *catalog.Course) error {
	cc := course.Def
	cp, started := v.Progress[cc.Slug]
	prog := learning.Progress{LessonsDone: cp.LessonsDone, QuizPassed: cp.QuizPassed}
	m.SignedIn, m.Percent = true, learning.Percent(cc, prog)
	for i := range m.Lessons {
		m.Lessons[i].Done = contains(cp.LessonsDone, cc.Lessons[i].ID)
	}
	switch step := learning.Resume(cc, prog, cp.Last); {
	case cp.Certificate != "":
		m.CertificateURL, m.VerifyURL = certificatePDFURL(cp.Certificate), verifyURL(cp.Certificate)
	case step.Lesson != "":
		m.ContinueURL = lessonURL(cc.Slug, step.Lesson)
	case step.Quiz:
		m.ContinueURL = m.QuizURL
	}
	if !started || m.QuizURL == "" {
		return nil
	}
	attempts, err := h.Training.Attempts(c.UserContext(), v.User, course)
	if err != nil {
		return err
	}
	for _, a := range attempts {
		if a.Submitted() {
			m.Attempts = append(m.Attempts, attemptRow{URL: attemptURL(cc.Slug, a.ID),
				Date: a.SubmittedAt.Format("2006-01-02 15:04"), Score: a.Result.Score, Passed: a.Result.Passed})
		}
	}
	return nil
}

// openCourse is the course of the URL as the viewer reads it
// (training.Open: the version they follow, after the access check).
func (h *handlers) openCourse(c *fiber.Ctx) (*catalog.Course, error) {
	course, err := h.Training.Open(c.UserContext(), currentViewer(c).user(), c.Params("slug"))
	return course, courseError(err)
}

// courseError maps the refusals of opening a course (training.Open) to
// the reader's pages.
func courseError(err error) error {
	switch {
	case errors.Is(err, training.ErrNotFound):
		return errNotFound
	case errors.Is(err, training.ErrSignInNeeded):
		return errSignInNeeded
	case errors.Is(err, training.ErrNotMember):
		return errNotMember
	}
	return err
}

// lessonRecordingsSize is what the lessons' recordings add to a pack in
// lang (package pack puts each lesson's in the language it is shown in).
func lessonRecordingsSize(cc *courses.Course, lang string) int64 {
	var n int64
	for _, l := range cc.Lessons {
		_, used := l.Body.Get(lang)
		if m, ok := cc.Recording(l.Audio, used); ok {
			n += m.Size
		}
	}
	return n
}
