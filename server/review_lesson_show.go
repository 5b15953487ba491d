package server

import (
	"errors"
	"html/template"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/kalan-platform/kalan/courses"
	"github.com/kalan-platform/kalan/server/catalog"
	"github.com/kalan-platform/kalan/server/review"
)

// reviewLessonPage shows one lesson for review: the source text beside
// the translation's edit form, and a preview of the translation rendered
// and sanitised as learners will see it.
type reviewLessonPage struct {
	Page
	Slug, Target, TargetName, Course string
	Lesson, Title                    string
	Action                           string // where the form posts
	Source                           template.HTML
	SourceLang, SourceName           string
	SourceTitle                      string // the lesson's title in the source language
	TitleValue                       string // the title field: the draft's, the published one, or what the reviewer sent
	Markdown                         string // the textarea: the draft, the published text, or what the reviewer sent
	Revision                         int    // the draft's revision the form was made from
	Draft                            *review.Draft
	Preview                          template.HTML
	PreviewError                     string // why the text cannot be previewed (and was not saved)
	// Conflict is the draft another reviewer saved since this one read
	// it: shown beside the reviewer's own text, which the form keeps.
	Conflict *review.Draft
	// The recording: where its form posts, the draft recording (nil:
	// none) and why an upload was refused.
	AudioAction string
	Recording   *draftRecordingView
	AudioError  string
	AudioLimits string // "10 min, 4 MB"
	// AudioMaxSeconds is where recording in the browser stops.
	AudioMaxSeconds int
}

// draftRecordingView is a draft recording as the review page plays it.
type draftRecordingView struct {
	URL, Duration, Size, ByName string
	At                          string // the day and the time (UTC) of the upload
}

// reviewLessonShow is a lesson's review page: the draft when there is one,
// otherwise the published text in the language.
func (h *handlers) reviewLessonShow(c *fiber.Ctx) error {
	lang := c.Params("lang")
	course, lesson, i, err := h.reviewLesson(c, lang, errNotFound)
	if err != nil {
		return err
	}
	m, err := h.reviewLessonModel(c, course, lesson, i, lang)
	if err != nil {
		return err
	}
	m.preview(course, m.Markdown)
	return h.render(c, fiber.StatusOK, "review_lesson", m)
}

// reviewLessonModel is the review page of a lesson as it stands: its text
// draft (or the published text) in the form and the preview, and its
// draft recording.
func (h *handlers) reviewLessonModel(c *fiber.Ctx, course *catalog.Course, lesson courses.Lesson, i int, lang string) (reviewLessonPage, error) {
	draft, err := h.Reviews.Draft(c.UserContext(), course.Def.Slug, lang, lesson.ID)
	if err != nil && !errors.Is(err, review.ErrNotFound) {
		return reviewLessonPage{}, err
	}
	m := h.reviewLessonPage(c, course, lesson, i, lang, draft)
	if draft != nil {
		m.Markdown, m.Revision = draft.Markdown, draft.Revision
		if draft.Title != "" {
			m.TitleValue = draft.Title
		}
	} else {
		m.Markdown = lesson.Body[lang]
	}
	m.preview(course, m.Markdown)
	return m, nil
}

func (h *handlers) reviewLessonPage(c *fiber.Ctx, course *catalog.Course, lesson courses.Lesson, i int, lang string, draft *review.Draft) reviewLessonPage {
	p := h.page(c)
	title, _ := text(p, course.Def.Title)
	lt, _ := lesson.Title.Get(lang)
	src := courses.SourceLang(course.Def)
	source, _ := course.LessonHTML(i, src)
	st, _ := lesson.Title.Get(src)
	return reviewLessonPage{Page: p, Slug: course.Def.Slug, Target: lang, TargetName: p.LangName(lang), Course: title, Lesson: lesson.ID,
		Title: lt, SourceTitle: st, TitleValue: lesson.Title[lang], Action: "/admin/courses/" + course.Def.Slug + "/lessons/" + lesson.ID + "/text", Source: source, SourceLang: src, SourceName: p.LangName(src),
		Draft: draft, AudioAction: "/admin/courses/" + course.Def.Slug + "/lessons/" + lesson.ID + "/audio",
		AudioLimits:     durationLabel(p, courses.MaxLessonRecording) + ", " + humanSize(p, courses.MaxLessonRecordingSize),
		AudioMaxSeconds: int(courses.MaxLessonRecording.Seconds()) - 1,
		Recording:       h.draftRecording(c, p, course.Def.Slug, lang, lesson.ID)}
}

// draftRecording is the draft recording of a lesson in lang, or nil (none,
// or the database did not answer: the page still shows the text).
func (h *handlers) draftRecording(c *fiber.Ctx, p Page, slug, lang, lesson string) *draftRecordingView {
	rec, err := h.Reviews.Recording(c.UserContext(), slug, lang, lesson)
	if err != nil {
		if !errors.Is(err, review.ErrNotFound) {
			h.Log.Warn("draft recording unread", "course", slug, "lang", lang, "lesson", lesson, "err", err)
		}
		return nil
	}
	return &draftRecordingView{URL: "/review/" + slug + "/" + lang + "/" + lesson + "/audio", Duration: durationLabel(p, rec.Duration),
		Size: humanSize(p, rec.Size), ByName: rec.ByName, At: p.Day(rec.At) + " " + rec.At.UTC().Format("15:04") + " UTC"}
}

// preview renders markdown as the lesson would show it, or says why not.
func (m *reviewLessonPage) preview(course *catalog.Course, markdown string) {
	if markdown == "" {
		return
	}
	html, err := catalog.Preview(course, m.Target, markdown)
	if err != nil {
		m.PreviewError = m.T("review.error.reference")
		return
	}
	// What a publication would refuse is refused now, with its line.
	if problems := courses.CheckLessonText(course.Def, courses.LessonFile(m.Lesson, m.Target), []byte(markdown)); len(problems) > 0 {
		msgs := make([]string, len(problems))
		for i, p := range problems {
			msgs[i] = strconv.Itoa(p.Line) + ": " + p.Message
		}
		m.PreviewError = m.T("publish.error.checks") + " " + strings.Join(msgs, "; ")
		return
	}
	m.Preview = html
}
