package courses

import (
	"fmt"
	"io"
	"io/fs"
	"path"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// Severities of a Problem: an error (the zero value) keeps a course from
// loading; warnings and notes are advice that `courses check` prints
// without failing.
const (
	SeverityError   = ""
	SeverityWarning = "warning"
	SeverityNote    = "note"
)

// Thresholds of the quiz-quality checks.
const (
	// MinPoolPerDraw: the final-quiz pool should hold at least this many
	// questions per question drawn, so that two attempts differ.
	MinPoolPerDraw = 3
	// True-false keys: the share of "true" keys should lie in this range
	// (percent).
	MinTrueShare, MaxTrueShare = 40, 60
)

// Quality holds the figures of a course's quiz that the quality checks
// judge. Option texts are measured in the source language.
type Quality struct {
	Lang    string // source language (SourceLang)
	HasQuiz bool

	Pool, Draw  int // final-quiz questions (without lesson) and questions drawn per attempt
	MaxAttempts int // 0 = unlimited
	WaitMinutes int
	// AttemptsBeforeWait attempts may follow one another without waiting.
	AttemptsBeforeWait int

	// Single-choice questions, and those whose correct option is strictly
	// the longest (in characters of Lang): a test-wise guess.
	Single        int
	LongestKey    int
	LongestKeyIDs []string

	// True-false questions whose "true" and "false" options could be told
	// apart (by id "true"/"false", or text Vrai/Faux, True/False), and how
	// many of them have "true" as the key.
	TrueFalse int
	TrueKeys  int
	// True-false questions whose options cannot be told apart, and those
	// that list "false" before "true".
	Unclear, FalseFirst []string
	// Final-quiz questions where a wrong option's feedback quotes a correct
	// option: the result page shows that feedback, so it hands over the key.
	KeyInFeedback []string
}

// PoolShort reports whether the final-quiz pool is smaller than
// MinPoolPerDraw × draw.
func (q Quality) PoolShort() bool { return q.Pool > 0 && q.Pool < MinPoolPerDraw*q.Draw }

// LongestCue reports whether the key is the longest option in more than
// half of the single-choice questions.
func (q Quality) LongestCue() bool { return q.Single > 0 && 2*q.LongestKey > q.Single }

// TrueUnbalanced reports whether the share of "true" keys lies outside
// MinTrueShare–MaxTrueShare percent. An odd number of questions cannot
// split evenly: the split closest to half (2 of 5, 1 of 3, 0 or 1 of 1) is
// never reported.
func (q Quality) TrueUnbalanced() bool {
	n, t := q.TrueFalse, q.TrueKeys
	if n == 0 {
		return false
	}
	if 100*t >= MinTrueShare*n && 100*t <= MaxTrueShare*n {
		return false
	}
	return abs(2*t-n) > 1
}

// Percent returns 100·part/whole rounded, 0 when whole is 0.
func Percent(part, whole int) int {
	if whole == 0 {
		return 0
	}
	return (200*part + whole) / (2 * whole)
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// SourceLang is the language a course is written in and translated from:
// French when the course is complete in it, else English, else its first
// language.
func SourceLang(c *Course) string {
	for _, l := range fallbacks {
		if slices.Contains(c.Languages, l) {
			return l
		}
	}
	if len(c.Languages) > 0 {
		return c.Languages[0]
	}
	return fallbacks[0]
}

// QualityOf computes the quality figures of a course's quiz.
func QualityOf(c *Course) Quality {
	q := Quality{Lang: SourceLang(c)}
	if c.Quiz == nil {
		return q
	}
	q.HasQuiz = true
	q.Draw, q.MaxAttempts, q.WaitMinutes, q.AttemptsBeforeWait = c.Quiz.Draw, c.Quiz.MaxAttempts, c.Quiz.WaitMinutes, c.Quiz.AttemptsBeforeWait
	for _, qu := range c.Quiz.Questions {
		if qu.Lesson == "" {
			q.Pool++
			if feedbackQuotesKey(qu.Options, q.Lang) {
				q.KeyInFeedback = append(q.KeyInFeedback, qu.ID)
			}
		}
		switch qu.Kind {
		case KindSingle:
			if len(qu.Options) < 2 {
				continue
			}
			q.Single++
			if longestIsKey(qu.Options, q.Lang) {
				q.LongestKey++
				q.LongestKeyIDs = append(q.LongestKeyIDs, qu.ID)
			}
		case KindTrueFalse:
			t := trueOption(qu.Options, q.Lang)
			if t < 0 {
				q.Unclear = append(q.Unclear, qu.ID)
				continue
			}
			q.TrueFalse++
			if qu.Options[t].Correct {
				q.TrueKeys++
			}
			if t > 0 {
				q.FalseFirst = append(q.FalseFirst, qu.ID)
			}
		}
	}
	return q
}

// feedbackQuotesKey reports whether the feedback of a wrong option holds
// the whole text of a correct one (ignoring case, spaces and punctuation).
// Short keys ("Vrai", "Oui") are left out: they are words, not quotes.
func feedbackQuotesKey(opts []Option, lang string) bool {
	for _, key := range opts {
		k := plainWords(key.Text[lang])
		if !key.Correct || utf8.RuneCountInString(k) < 12 {
			continue
		}
		for _, o := range opts {
			if !o.Correct && strings.Contains(plainWords(o.Feedback[lang]), k) {
				return true
			}
		}
	}
	return false
}

// plainWords lower-cases s and keeps its letters and digits, one space
// between words.
func plainWords(s string) string {
	return strings.Join(strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}), " ")
}

// longestIsKey reports whether the one correct option is strictly longer
// than every other option, in characters of lang.
func longestIsKey(opts []Option, lang string) bool {
	key, keyLen, others := -1, 0, 0
	for i, o := range opts {
		n := utf8.RuneCountInString(strings.TrimSpace(o.Text[lang]))
		if o.Correct {
			if key >= 0 {
				return false // not a single-choice question after all
			}
			key, keyLen = i, n
			continue
		}
		others = max(others, n)
	}
	return key >= 0 && keyLen > others
}

// trueOption returns the index of the option that means "true" in a
// true-false question, or -1 when the two options cannot be told apart.
func trueOption(opts []Option, lang string) int {
	if len(opts) != 2 {
		return -1
	}
	a, b := truth(opts[0], lang), truth(opts[1], lang)
	switch {
	case a == 1 && b != 1, a == 0 && b == -1:
		return 0
	case b == 1 && a != 1, b == 0 && a == -1:
		return 1
	}
	return -1
}

// truth says what an option of a true-false question means: 1 true, -1
// false, 0 unknown. Its id decides, else its text in lang, else in English.
func truth(o Option, lang string) int {
	for _, s := range []string{o.ID, o.Text[lang], o.Text["en"]} {
		switch strings.Trim(strings.ToLower(strings.TrimSpace(s)), ".!") {
		case "true", "vrai":
			return 1
		case "false", "faux":
			return -1
		}
	}
	return 0
}

// CheckQuality returns the warnings and notes of a course that loaded
// without problems: the quiz-quality checks, located in the course's
// quiz.yaml in fsys (dir is the course folder, as given to Load). The file
// is read again only to find lines; if it cannot be, line 1 is used.
func CheckQuality(fsys fs.FS, dir string, c *Course) []Problem {
	if c == nil || c.Quiz == nil {
		return nil
	}
	q := QualityOf(c)
	at := quizLines(fsys, dir)
	file := path.Join(dir, "quiz.yaml")
	var out []Problem
	add := func(sev string, line int, format string, args ...any) {
		out = append(out, Problem{Path: file, Line: max(line, 1), Severity: sev, Message: fmt.Sprintf(format, args...)})
	}
	if q.PoolShort() {
		add(SeverityWarning, at.draw, "draw: the final-quiz pool has %d questions for draw %d; at least %d (%d × draw) keep one attempt from repeating the last",
			q.Pool, q.Draw, MinPoolPerDraw*q.Draw, MinPoolPerDraw)
	}
	if q.LongestCue() {
		add(SeverityWarning, at.questions, "longest-answer cue: the correct option is the longest (in %s characters) in %d of %d single-choice questions (%d %%), more than half: %s",
			q.Lang, q.LongestKey, q.Single, Percent(q.LongestKey, q.Single), strings.Join(q.LongestKeyIDs, ", "))
	}
	if q.TrueUnbalanced() {
		add(SeverityWarning, at.questions, "true-false balance: \"true\" is the correct answer in %d of %d true-false questions (%d %%), outside %d–%d %%",
			q.TrueKeys, q.TrueFalse, Percent(q.TrueKeys, q.TrueFalse), MinTrueShare, MaxTrueShare)
	}
	for _, id := range q.KeyInFeedback {
		add(SeverityWarning, at.question[id], "question %s: the feedback of a wrong option quotes the correct one; the final quiz's result shows it, so a retake needs memory, not learning: explain why the answer given is wrong", quote(id))
	}
	for _, id := range q.Unclear {
		add(SeverityWarning, at.question[id], "question %s: cannot tell which option means \"true\": give the two options the ids \"true\" and \"false\"", quote(id))
	}
	for _, id := range q.FalseFirst {
		add(SeverityWarning, at.question[id], "question %s: \"false\" comes before \"true\"; true-false options are shown in file order, never shuffled, so keep \"true\" first in every question", quote(id))
	}
	if q.Pool > 0 && q.MaxAttempts == 0 {
		wait := ""
		if q.WaitMinutes == 0 {
			wait = ", with no wait between attempts (wait_minutes: 0)"
		}
		if at.maxAttempts > 0 {
			add(SeverityNote, at.maxAttempts, "max_attempts: 0: no attempt limit; a trainee may retake the final quiz as often as they like%s", wait)
		} else {
			add(SeverityNote, at.draw, "no max_attempts, so no attempt limit; a trainee may retake the final quiz as often as they like%s", wait)
		}
	}
	slices.SortStableFunc(out, func(a, b Problem) int { return a.Line - b.Line })
	return out
}

// quizPlaces are the lines of quiz.yaml that the quality checks point at.
type quizPlaces struct {
	draw, maxAttempts, questions int
	question                     map[string]int // question id → line of its list item
}

// quizLines finds the lines of the keys of quiz.yaml; missing ones are 0.
func quizLines(fsys fs.FS, dir string) quizPlaces {
	at := quizPlaces{question: map[string]int{}}
	f, err := fsys.Open(path.Join(dir, "quiz.yaml"))
	if err != nil {
		return at
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxYAMLSize+1))
	if err != nil || len(data) > maxYAMLSize {
		return at
	}
	var doc yaml.Node
	if yaml.Unmarshal(data, &doc) != nil || len(doc.Content) == 0 {
		return at
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return at
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		switch k.Value {
		case "draw":
			at.draw = k.Line
		case "max_attempts":
			at.maxAttempts = k.Line
		case "questions":
			at.questions = k.Line
			if v.Kind != yaml.SequenceNode {
				continue
			}
			for _, item := range v.Content {
				if id := lookup(item, "id"); id != nil && id.Kind == yaml.ScalarNode {
					at.question[id.Value] = item.Line
				}
			}
		}
	}
	return at
}
