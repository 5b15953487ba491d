package server

import (
	"html/template"
	"slices"

	"github.com/gofiber/fiber/v2"

	"github.com/kalan-platform/kalan/courses"
	"github.com/kalan-platform/kalan/server/catalog"
	"github.com/kalan-platform/kalan/server/chart"
	"github.com/kalan-platform/kalan/server/report"
	"github.com/kalan-platform/kalan/server/sheet"
)

// optionView is one option of a question, with its figures.
type optionView struct {
	report.OptionFigures
	Text, TextLang string
}

// figuresView is a question's figures over one language (Lang "" for all).
type figuresView struct {
	Lang, LangName string
	report.Figures
	Options []optionView
}

// questionView is one question of the statistics page.
type questionView struct {
	Number         int
	ID             string
	Text, TextLang string
	All            figuresView
	ByLang         []figuresView
	Flags          []string // translated
}

// Lines are the figures over all languages, then each language.
func (q questionView) Lines() []figuresView { return append([]figuresView{q.All}, q.ByLang...) }

type questionsPage struct {
	Page
	Title, Scope  string // the page's heading and what it covers (a cohort, all cohorts)
	Back          string
	Tabs          []courseTab
	Period        bool   // the page takes a date range (all cohorts)
	From, To      string // as typed
	Attempts      int
	Questions     []questionView
	Chart         template.HTML
	Exports       exportLinks
	MinAnswers    int
	ShareFlagHint string
}

// questionsScope is what a statistics page covers.
type questionsScope struct {
	cohort string // "": all
	period report.Period
	course *catalog.Course
}

// pool is the final-quiz pool of a course (its questions outside lessons).
func pool(c *courses.Course) []courses.Question {
	var out []courses.Question
	if c.Quiz == nil {
		return nil
	}
	for _, q := range c.Quiz.Questions {
		if q.Lesson == "" {
			out = append(out, q)
		}
	}
	return out
}

// questionStats computes the statistics of a scope.
func (h *handlers) questionStats(c *fiber.Ctx, s questionsScope) ([]report.QuestionStats, int, error) {
	return h.Reports.QuestionStats(c.UserContext(), pool(s.course.Def), s.course.Def.Slug, s.cohort, s.period)
}

// cohortQuestions is the question statistics of one cohort and course.
func (h *handlers) cohortQuestions(c *fiber.Ctx) error {
	co, view, err := h.reportOf(c)
	if err != nil {
		return err
	}
	p := h.page(c)
	m := questionsPage{Page: p, Scope: co.Name, Back: cohortURL(co) + "?course=" + view.Course.Def.Slug,
		Exports: exports(c, cohortQuestionsURL(co)), Tabs: h.courseTabs(p, co, view.Course.Def.Slug, "/questions")}
	return h.renderQuestions(c, m, questionsScope{cohort: co.ID, course: view.Course})
}

// cohortQuestionsExport is the same as a file.
func (h *handlers) cohortQuestionsExport(format string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		co, view, err := h.reportOf(c)
		if err != nil {
			return err
		}
		return h.sendQuestions(c, questionsScope{cohort: co.ID, course: view.Course}, format, "kalan-questions-"+co.Name)
	}
}

func (h *handlers) renderQuestions(c *fiber.Ctx, m questionsPage, s questionsScope) error {
	stats, attempts, err := h.questionStats(c, s)
	if err != nil {
		return err
	}
	m.Attempts, m.MinAnswers = attempts, report.MinAnswers
	m.Title, _ = text(m.Page, s.course.Def.Title)
	ch := chart.Chart{ID: "facility", Title: m.T("report.chart.facility"), Desc: m.T("report.chart.facility_desc"), Max: 1}
	for i, st := range stats {
		qv := h.questionView(m.Page, i+1, st)
		m.Questions = append(m.Questions, qv)
		if st.All.Answers > 0 {
			ch.Bars = append(ch.Bars, chart.Bar{Label: m.T("report.question_number", "N", i+1), Value: st.All.Facility,
				Text: m.Pct(st.All.Facility), Mark: len(qv.Flags) > 0})
		}
	}
	if len(ch.Bars) > 0 {
		m.Chart = chart.Horizontal(ch)
	}
	return h.render(c, fiber.StatusOK, "questions", m)
}

func (h *handlers) questionView(p Page, n int, st report.QuestionStats) questionView {
	qv := questionView{Number: n, ID: st.Question.ID}
	qv.Text, qv.TextLang = text(p, st.Question.Text)
	qv.All = figures(p, st.Question, "", st.All)
	langs := make([]string, 0, len(st.ByLang))
	for lang := range st.ByLang {
		langs = append(langs, lang)
	}
	slices.Sort(langs)
	for _, lang := range langs {
		qv.ByLang = append(qv.ByLang, figures(p, st.Question, lang, st.ByLang[lang]))
	}
	for _, f := range st.Flags {
		qv.Flags = append(qv.Flags, p.T("report.flag."+f.Code, "Language", p.LangName(f.Lang)))
	}
	return qv
}

func figures(p Page, q courses.Question, lang string, f report.Figures) figuresView {
	v := figuresView{Lang: lang, Figures: f, LangName: p.T("report.all_languages")}
	if lang != "" {
		v.LangName = p.LangName(lang)
	}
	for i, o := range f.Options {
		ov := optionView{OptionFigures: o}
		ov.Text, ov.TextLang = text(p, q.Options[i].Text)
		v.Options = append(v.Options, ov)
	}
	return v
}

// sendQuestions writes the statistics as a file: one row per option and
// language (all languages first), the figures of the question repeated on
// each, so that a spreadsheet can filter and pivot them.
func (h *handlers) sendQuestions(c *fiber.Ctx, s questionsScope, format, name string) error {
	stats, _, err := h.questionStats(c, s)
	if err != nil {
		return err
	}
	p := h.page(c)
	t := sheet.Table{Name: p.T("report.questions.title"), Columns: []sheet.Column{
		{Header: p.T("report.col.question_number"), Kind: sheet.Int},
		{Header: p.T("report.col.question"), Kind: sheet.Text},
		{Header: p.T("report.col.language"), Kind: sheet.Text},
		{Header: p.T("report.col.answers"), Kind: sheet.Int},
		{Header: p.T("report.col.facility"), Kind: sheet.Percent},
		{Header: p.T("report.col.discrimination"), Kind: sheet.Decimal},
		{Header: p.T("report.col.option"), Kind: sheet.Text},
		{Header: p.T("report.col.correct"), Kind: sheet.Text},
		{Header: p.T("report.col.chosen"), Kind: sheet.Percent},
		{Header: p.T("report.col.chosen_upper"), Kind: sheet.Percent},
		{Header: p.T("report.col.chosen_lower"), Kind: sheet.Percent},
		{Header: p.T("report.col.flags"), Kind: sheet.Text},
	}}
	for i, st := range stats {
		qv := h.questionView(p, i+1, st)
		for _, f := range qv.Lines() {
			var facility, disc any
			if f.Answers > 0 {
				facility = f.Facility
			}
			if f.HasGroups {
				disc = f.Discrimination
			}
			flags := ""
			if f.Lang == "" {
				flags = list(p, qv.Flags)
			}
			for _, o := range f.Options {
				var share, upper, lower any
				if f.Answers > 0 {
					share = o.Share
				}
				if f.HasGroups {
					upper, lower = o.Upper, o.Lower
				}
				correct := p.T("report.no")
				if o.Correct {
					correct = p.T("report.yes")
				}
				t.Rows = append(t.Rows, []any{qv.Number, qv.Text, f.LangName, f.Answers, facility, disc, o.Text, correct, share, upper, lower, flags})
			}
		}
	}
	return sendTable(c, t, format, name+"-"+s.course.Def.Slug)
}
