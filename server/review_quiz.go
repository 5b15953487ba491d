package server

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/kalan-platform/kalan/courses"
	"github.com/kalan-platform/kalan/server/catalog"
	"github.com/kalan-platform/kalan/server/review"
)

// reviewQuizPage shows a course's quiz for the review of one language,
// question by question: each text of the source language beside a field
// holding its translation (the draft, else the published text), one form
// per question or scenario.
type reviewQuizPage struct {
	Page
	Slug, Target, TargetName, Course string
	SourceLang, SourceName           string
	Items                            []reviewQuizItem
}

type reviewQuizItem struct {
	ID       string // the anchor: "q-<id>" or "s-<id>"
	Heading  string
	Action   string
	Revision int // the draft's revision the form was made from
	Draft    *review.Draft
	Fields   []reviewQuizField
	Error    string        // why what the reviewer sent was not saved
	Conflict *review.Draft // the draft another reviewer saved since
}

type reviewQuizField struct {
	Name, Label, Source, Value string
}

// quizFieldName is the form field of a quiz text: "text", or
// "option.<id>.text" and "option.<id>.feedback".
func quizFieldName(t courses.QuizText) string {
	if t.Option == "" {
		return t.Field
	}
	return "option." + t.Option + "." + t.Field
}

// reviewQuizShow is the quiz's review page.
func (h *handlers) reviewQuizShow(c *fiber.Ctx) error {
	lang := c.Params("lang")
	course, err := h.reviewQuiz(c, lang)
	if err != nil {
		return err
	}
	m, err := h.reviewQuizModel(c, course, lang)
	if err != nil {
		return err
	}
	return h.render(c, fiber.StatusOK, "review_quiz", m)
}

// reviewQuiz is reviewTarget for a course that has a quiz (404 without).
func (h *handlers) reviewQuiz(c *fiber.Ctx, lang string) (*catalog.Course, error) {
	course, err := h.reviewTarget(c, lang)
	if err == nil && course.Def.Quiz == nil {
		err = errNotFound
	}
	return course, err
}

// reviewQuizModel is the quiz's review page with every item as it stands.
func (h *handlers) reviewQuizModel(c *fiber.Ctx, course *catalog.Course, lang string) (reviewQuizPage, error) {
	drafts, err := h.Reviews.Drafts(c.UserContext(), course.Def.Slug, lang)
	if err != nil {
		return reviewQuizPage{}, err
	}
	p := h.page(c)
	title, _ := text(p, course.Def.Title)
	src := courses.SourceLang(course.Def)
	m := reviewQuizPage{Page: p, Slug: course.Def.Slug, Target: lang, TargetName: p.LangName(lang), Course: title,
		SourceLang: src, SourceName: p.LangName(src)}
	base := "/review/" + course.Def.Slug + "/" + lang + "/quiz/"
	for _, s := range course.Def.Quiz.Scenarios {
		key := review.ScenarioItem(s.ID)
		item := reviewQuizItem{ID: "s-" + s.ID, Heading: p.T("review.quiz.scenario", "ID", s.ID), Action: base + "scenario:" + s.ID}
		m.Items = append(m.Items, quizItem(p, course.Def, item, []courses.QuizText{{Scenario: s.ID, Field: courses.FieldText}}, src, lang, draftOf(drafts, key)))
	}
	for i, q := range course.Def.Quiz.Questions {
		key := review.QuizItem(q.ID)
		item := reviewQuizItem{ID: "q-" + q.ID, Heading: p.T("review.quiz.question", "Number", i+1, "ID", q.ID), Action: base + q.ID}
		m.Items = append(m.Items, quizItem(p, course.Def, item, review.QuizTexts(q, src), src, lang, draftOf(drafts, key)))
	}
	return m, nil
}

func draftOf(drafts map[string]review.Draft, key string) *review.Draft {
	if d, ok := drafts[key]; ok {
		return &d
	}
	return nil
}

// quizItem fills item with the fields of texts: the source text, and the
// draft's text, else the published translation.
func quizItem(p Page, c *courses.Course, item reviewQuizItem, texts []courses.QuizText, src, lang string, draft *review.Draft) reviewQuizItem {
	item.Draft = draft
	if draft != nil {
		item.Revision = draft.Revision
	}
	for _, t := range texts {
		source, _ := c.QuizText(t, src)
		value, _ := c.QuizText(t, lang)
		if v, ok := draft.Text(t); ok {
			value = v
		}
		label := p.T("review.quiz.text")
		switch {
		case t.Option != "" && t.Field == courses.FieldFeedback:
			label = p.T("review.quiz.feedback", "Option", t.Option)
		case t.Option != "":
			label = p.T("review.quiz.option", "Option", t.Option)
		}
		item.Fields = append(item.Fields, reviewQuizField{Name: quizFieldName(t), Label: label, Source: source, Value: value})
	}
	return item
}

// reviewQuizSave saves the texts of one quiz question (with its options)
// or scenario in a language as a draft: fields as quizFieldName names
// them, and revision, as for a lesson's text (lessonTextSave). Every text
// of the item must be sent; a bad one is refused (400) with the page, and
// nothing is stored; a draft saved meanwhile by someone else answers 409.
func (h *handlers) reviewQuizSave(c *fiber.Ctx) error {
	lang := c.Params("lang")
	course, err := h.reviewQuiz(c, lang)
	if err != nil {
		return err
	}
	key, texts, ok := quizItemTexts(course.Def, c.Params("item"))
	if !ok {
		return errNotFound
	}
	revision, err := formRevision(c)
	if err != nil {
		return err
	}
	values := map[courses.QuizText]string{}
	var refused string
	for _, t := range texts {
		v, err := review.CleanQuizText(c.FormValue(quizFieldName(t)))
		var te *review.TextError
		if errors.As(err, &te) && refused == "" {
			refused = te.MessageID
		}
		values[t] = v
	}
	show := func(status int, change func(*reviewQuizItem)) error {
		m, err := h.reviewQuizModel(c, course, lang)
		if err != nil {
			return err
		}
		for i := range m.Items {
			if m.Items[i].Action == c.Path() {
				for j := range m.Items[i].Fields {
					m.Items[i].Fields[j].Value = c.FormValue(m.Items[i].Fields[j].Name)
				}
				m.Items[i].Revision = revision
				change(&m.Items[i])
			}
		}
		return h.render(c, status, "review_quiz", m)
	}
	if refused != "" {
		return show(fiber.StatusBadRequest, func(it *reviewQuizItem) { it.Error = h.page(c).T(refused) })
	}
	saved, err := h.Reviews.SaveText(c.UserContext(), currentViewer(c).User,
		review.Draft{Slug: course.Def.Slug, Lang: lang, Lesson: key, Texts: values, Base: course.ID}, revision, h.clientIP(c))
	if errors.Is(err, review.ErrConflict) {
		return show(fiber.StatusConflict, func(it *reviewQuizItem) {
			it.Conflict = saved
			if saved != nil {
				it.Revision = saved.Revision
			}
		})
	}
	if err != nil {
		return err
	}
	h.flash(c, flashDraftSaved)
	return seeOther(c, "/review/"+course.Def.Slug+"/"+lang+"/quiz#"+anchorOf(key))
}

// quizItemTexts reads the URL's item: a question id, or "scenario:<id>".
func quizItemTexts(c *courses.Course, item string) (key string, texts []courses.QuizText, ok bool) {
	q, s, _ := review.ParseItem("quiz:" + item)
	if s != "" {
		if _, ok := c.QuizText(courses.QuizText{Scenario: s, Field: courses.FieldText}, courses.SourceLang(c)); ok {
			return review.ScenarioItem(s), []courses.QuizText{{Scenario: s, Field: courses.FieldText}}, true
		}
		return "", nil, false
	}
	for _, question := range c.Quiz.Questions {
		if question.ID == q {
			return review.QuizItem(q), review.QuizTexts(question, courses.SourceLang(c)), true
		}
	}
	return "", nil, false
}

// anchorOf is the page anchor of a quiz draft key.
func anchorOf(key string) string {
	q, s, _ := review.ParseItem(key)
	if s != "" {
		return "s-" + s
	}
	return "q-" + q
}
