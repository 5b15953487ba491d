package server

import (
	"github.com/kalan-platform/kalan/courses"
	"github.com/kalan-platform/kalan/server/learning"
)

// quizQuestion is a question as a form shows it. Before submission it
// carries no correctness and no feedback: those never reach the browser
// until the answers are in.
type quizQuestion struct {
	ID, Text, TextLang string
	Scenario           string // the situation, on the first question of a scenario
	ScenarioLang       string
	Multiple           bool // checkboxes rather than radio buttons
	Options            []quizOption
	Audio              *recordingView // the question read aloud
	// After grading only:
	Graded, Correct bool
	Review          string // URL of the lesson to read again
}

type quizOption struct {
	ID, Text, TextLang string
	Chosen             bool
	Audio              *recordingView // the answer read aloud
	// After grading only:
	Right    bool // a correct option
	Feedback string
}

func questionByID(q *courses.Quiz, id string) (courses.Question, bool) {
	for _, qu := range q.Questions {
		if qu.ID == id {
			return qu, true
		}
	}
	return courses.Question{}, false
}

func scenarioText(q *courses.Quiz, id string) courses.Text {
	for _, s := range q.Scenarios {
		if s.ID == id {
			return s.Text
		}
	}
	return nil
}

// quizQuestions lays out drawn questions with the answers given so far.
// result, when not nil, adds correctness and feedback (after submission):
// for a knowledge check, the key and why; for the final quiz, whether
// each answer given was right and why, but not the options left unchosen,
// so that retakes measure learning rather than memory of the key.
func quizQuestions(p Page, c *courses.Course, drawn []learning.Drawn, answers learning.Answers, result *learning.Result) []quizQuestion {
	graded := map[string]learning.QuestionResult{}
	if result != nil {
		for _, r := range result.Questions {
			graded[r.Question] = r
		}
	}
	var out []quizQuestion
	lastScenario := ""
	for _, d := range drawn {
		qu, ok := questionByID(c.Quiz, d.Question)
		if !ok {
			continue
		}
		q := quizQuestion{ID: qu.ID, Multiple: qu.Kind == courses.KindMultiple}
		q.Text, q.TextLang = text(p, qu.Text)
		if q.Audio = newRecording(p, c, qu.Audio, shownIn(p, q.TextLang)); q.Audio != nil {
			q.Audio.Label = listenLabel(p, q.Audio, p.T("quiz.listen_question"))
		}
		if qu.Scenario != "" && qu.Scenario != lastScenario {
			q.Scenario, q.ScenarioLang = text(p, scenarioText(c.Quiz, qu.Scenario))
		}
		lastScenario = qu.Scenario
		r, isGraded := graded[qu.ID]
		if isGraded {
			q.Graded, q.Correct = true, r.Correct
			if !r.Correct && qu.Review != "" {
				q.Review = lessonURL(c.Slug, qu.Review)
			}
		}
		for _, oid := range d.Options {
			for _, o := range qu.Options {
				if o.ID != oid {
					continue
				}
				opt := quizOption{ID: o.ID, Chosen: contains(answers[qu.ID], o.ID)}
				opt.Text, opt.TextLang = text(p, o.Text)
				if opt.Audio = newRecording(p, c, o.Audio, shownIn(p, opt.TextLang)); opt.Audio != nil {
					opt.Audio.Label = listenLabel(p, opt.Audio, p.T("quiz.listen_option", "Text", opt.Text))
				}
				switch {
				case !isGraded:
				case qu.Lesson != "": // a knowledge check teaches: every key and why
					opt.Right = o.Correct
					if opt.Chosen || o.Correct {
						opt.Feedback, _ = text(p, o.Feedback)
					}
				case opt.Chosen: // the final quiz explains the answers given, never the key
					opt.Right = o.Correct
					opt.Feedback, _ = text(p, o.Feedback)
				}
				q.Options = append(q.Options, opt)
			}
		}
		out = append(out, q)
	}
	return out
}

// questionLangs are the languages questions are shown in, for
// reviewNotes: a question's text, its scenario's and its options'.
func questionLangs(p Page, qs []quizQuestion) []string {
	var langs []string
	add := func(s, lang string) {
		switch {
		case s == "":
		case lang == "":
			langs = append(langs, p.Lang) // text says "" for the page's language
		default:
			langs = append(langs, lang)
		}
	}
	for _, q := range qs {
		add(q.Text, q.TextLang)
		add(q.Scenario, q.ScenarioLang)
		for _, o := range q.Options {
			add(o.Text, o.TextLang)
		}
	}
	return langs
}

// listenLabel names a quiz player for screen readers, saying when the
// voice is synthetic.
func listenLabel(p Page, r *recordingView, label string) string {
	if r.Synthetic {
		return p.T("audio.label_synthetic", "Label", label)
	}
	return label
}
