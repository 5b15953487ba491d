package server

import (
	"errors"
	"html/template"
	"net/url"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/kalan-platform/kalan/courses"
	"github.com/kalan-platform/kalan/server/catalog"
	"github.com/kalan-platform/kalan/server/learning"
	"github.com/kalan-platform/kalan/server/training"
)

type lessonPage struct {
	Page
	CourseURL, CourseTitle, CourseTitleLang string
	LessonID                                string
	Number, Total                           int
	Title, TitleLang                        string
	Body                                    template.HTML
	BodyLang                                string
	Recording                               *recordingView // the lesson read aloud, in the language of its text
	FallbackNote                            string
	ReviewNotes                             []reviewNote // the lesson is an unreviewed translation
	PrevURL, NextURL, QuizURL               string
	SignIn                                  string // invitation to sign in, for anonymous readers
	SignedIn, Done                          bool
	CompleteURL                             string
	Checks                                  []quizQuestion // the knowledge check of the lesson
	CheckURL                                string
	CheckScore                              string // after a check: "2 of 3 right"
	Saver                                   bool   // the data saver is on: media are links
	SaverURL                                string // this page with the data saver switched
}

// lessonShow renders a lesson from the in-memory catalog: a public lesson
// costs no database round trip (and is rendered once per language and
// data-saver setting, see pageCache); a signed-in reader's session and
// account come from the store's cache.
func (h *handlers) lessonShow(c *fiber.Ctx) error {
	course, lesson, i, err := h.Training.ReadLesson(c.UserContext(), currentViewer(c).user(), c.Params("slug"), c.Params("lesson"))
	if errors.Is(err, training.ErrSignInNeeded) {
		return c.Redirect("/login?next="+url.QueryEscape(c.OriginalURL()), fiber.StatusSeeOther)
	}
	if err != nil {
		return courseError(err)
	}
	if c.Query("check") == "" {
		key := publicPageKey(c, course.ID)
		if h.sendCached(c, key) {
			return nil
		}
		if err := h.renderLesson(c, course, lesson, i, nil); err != nil {
			return err
		}
		h.keepRendered(c, key)
		return nil
	}
	// The knowledge check is a GET form: it changes nothing (checks do not
	// count), so it needs no CSRF token, and the lesson page stays the same
	// for every reader of a language (cached, compressed once).
	drawn := learning.Checks(course.Def.Quiz, lesson.ID, checkSeed(lesson.ID))
	answers := answersIn(c.Request().URI().QueryArgs())
	if err := learning.ValidateAnswers(course.Def.Quiz, drawn, answers); err != nil {
		return errBadAnswers
	}
	return h.renderLesson(c, course, lesson, i, &checkOutcome{answers: answers, result: learning.GradeChecks(course.Def, drawn, answers)})
}

// checkOutcome is a graded knowledge check, shown in the lesson.
type checkOutcome struct {
	answers learning.Answers
	result  learning.Result
}

func (h *handlers) renderLesson(c *fiber.Ctx, course *catalog.Course, lesson courses.Lesson, i int, check *checkOutcome) error {
	cc := course.Def
	p := h.page(c)
	m := lessonPage{Page: p, LessonID: lesson.ID, CourseURL: courseURL(cc.Slug), Number: i + 1, Total: len(cc.Lessons)}
	if v := currentViewer(c); v != nil {
		m.SignedIn = true
		m.Done = contains(v.Progress[cc.Slug].LessonsDone, lesson.ID)
		m.CompleteURL = lessonCompleteURL(cc.Slug, lesson.ID)
	} else {
		// Anyone may read a public lesson; signing in records progress.
		m.SignIn = "/login?next=" + url.QueryEscape(c.OriginalURL())
	}
	m.CourseTitle, m.CourseTitleLang = text(p, cc.Title)
	m.Title, m.TitleLang = text(p, lesson.Title)
	m.Description, _ = text(p, cc.Summary)
	body, used := course.LessonHTML(i, p.Lang)
	if m.Saver = saverOn(c); m.Saver {
		body, used = course.LessonSaverHTML(i, p.Lang)
	}
	m.Body, m.SaverURL = body, saverURL(c, !m.Saver)
	if used != p.Lang {
		m.BodyLang = used
		m.FallbackNote = p.T("lesson.fallback_note", "Language", p.LangName(p.Lang), "Fallback", p.LangName(used))
	}
	m.Recording = newRecording(p, cc, lesson.Audio, used)
	if i > 0 {
		m.PrevURL = lessonURL(cc.Slug, cc.Lessons[i-1].ID)
	}
	if i+1 < len(cc.Lessons) {
		m.NextURL = lessonURL(cc.Slug, cc.Lessons[i+1].ID)
	} else if learning.HasFinalQuiz(cc) {
		m.QuizURL = quizURL(cc.Slug)
	}
	if cc.Quiz != nil {
		drawn := learning.Checks(cc.Quiz, lesson.ID, checkSeed(lesson.ID))
		if check != nil {
			m.Checks = quizQuestions(p, cc, drawn, check.answers, &check.result)
			m.CheckScore = p.T("check.score", "Correct", check.result.Correct, "Total", check.result.Total)
		} else {
			m.Checks = quizQuestions(p, cc, drawn, nil, nil)
		}
		m.CheckURL = lessonURL(cc.Slug, lesson.ID) + "#check"
	}
	// The notice is about the language the lesson's text is shown in (its
	// fallback when it has one) and its knowledge check's.
	m.ReviewNotes = reviewNotes(p, cc, append([]string{used}, questionLangs(p, m.Checks)...)...)
	if key := sharedPageKey(c, "lesson", course.ID, strconv.Itoa(i), strconv.FormatBool(m.Saver), strconv.FormatBool(m.Done)); key != "" && check == nil {
		shared, err := h.sharedPage(c, "lesson", key, m.Page, func(p Page) any { model := m; model.Page = p; return model })
		if shared || err != nil {
			return err
		}
	}
	return h.render(c, fiber.StatusOK, "lesson", m)
}
