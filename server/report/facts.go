// Package report computes what trainers and coordinators read about
// training: the rows of a cohort report, cohort and national summaries,
// and question statistics. The figures are computed in Go from compact
// facts that the training service records as trainees work (one line per
// member of a cohort and course, one per submitted attempt), kept in a
// few documents per cohort: the embedded database decodes a handful of
// documents quickly and thousands of nested ones slowly, and a national
// report must not read every account and every attempt.
package report

import (
	"errors"
	"strconv"
	"strings"
	"time"
)

// Member is one person's work in one course, as reports see it.
type Member struct {
	Started     time.Time // zero: not started
	Updated     time.Time // the last learning step (lesson done, quiz submitted)
	LessonsDone int
	Percent     int // of the course done, as the course page shows it
	Attempts    int // submitted quiz attempts
	BestScore   int // percent; meaningful when Attempts > 0
	Passed      bool
	Completed   time.Time // zero until complete
	Certificate string    // serial, "" until issued
	Revoked     bool      // the certificate was revoked
}

// QuestionAnswer is one question of a submitted attempt.
type QuestionAnswer struct {
	ID      string
	Correct bool
	Chosen  string // the option ids chosen, comma-separated as stored

}

// Answer is one submitted attempt, as the training service records it
// (Encode). Question statistics read the stored lines as rows instead.
type Answer struct {
	AttemptID string
	UserID    string
	Lang      string // the language the questions were shown in
	Score     int
	Passed    bool
	At        time.Time
	Questions []QuestionAnswer
}

// errBadFact is a stored line that cannot be read: reports skip it.
var errBadFact = errors.New("report: unreadable fact")

// The lines are '|'-separated; course ids, option ids and languages never
// hold '|', ':' or ',' (courses.ValidSlug).
const factVersion = "1"

func unix(t time.Time) string {
	if t.IsZero() {
		return "0"
	}
	return strconv.FormatInt(t.Unix(), 10)
}

func parseUnix(s string) (time.Time, error) {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return time.Time{}, errBadFact
	}
	if n == 0 {
		return time.Time{}, nil
	}
	return time.Unix(n, 0).UTC(), nil
}

func bit(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

// Encode writes a member as one line.
func (m Member) Encode() string {
	return strings.Join([]string{factVersion, unix(m.Started), unix(m.Updated), strconv.Itoa(m.LessonsDone), strconv.Itoa(m.Percent),
		strconv.Itoa(m.Attempts), strconv.Itoa(m.BestScore), bit(m.Passed), unix(m.Completed), m.Certificate, bit(m.Revoked)}, "|")
}

// DecodeMember reads a line written by Encode.
func DecodeMember(s string) (Member, error) {
	f := strings.Split(s, "|")
	if len(f) != 11 || f[0] != factVersion {
		return Member{}, errBadFact
	}
	var m Member
	var errs [9]error
	m.Started, errs[0] = parseUnix(f[1])
	m.Updated, errs[1] = parseUnix(f[2])
	m.LessonsDone, errs[2] = count(f[3])
	m.Percent, errs[3] = count(f[4])
	m.Attempts, errs[4] = count(f[5])
	m.BestScore, errs[5] = count(f[6])
	m.Passed, errs[6] = f[7] == "1", boolErr(f[7])
	m.Completed, errs[7] = parseUnix(f[8])
	m.Certificate = f[9]
	m.Revoked, errs[8] = f[10] == "1", boolErr(f[10])
	if err := errors.Join(errs[:]...); err != nil || m.Percent > 100 || m.BestScore > 100 {
		return Member{}, errBadFact
	}
	return m, nil
}

func count(s string) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return 0, errBadFact
	}
	return n, nil
}

func boolErr(s string) error {
	if s != "0" && s != "1" {
		return errBadFact
	}
	return nil
}

// Encode writes an answer as one line. The attempt id is the line's key
// in the store, not part of the line.
func (a Answer) Encode() string {
	parts := []string{factVersion, a.UserID, a.Lang, strconv.Itoa(a.Score), bit(a.Passed), unix(a.At)}
	for _, q := range a.Questions {
		parts = append(parts, q.ID+":"+bit(q.Correct)+":"+q.Chosen)
	}
	return strings.Join(parts, "|")
}

// row is a submitted attempt as question statistics need it, its
// questions left as stored: a national report reads 100,000 attempts, and
// a struct per answered question was most of what it allocated.
type row struct {
	attempt, lang string
	score         int
	questions     string // "<id>:<0|1>:<chosen>" joined by '|'
}

// decodeRow reads an answer line as a row, with its time.
func decodeRow(attemptID, s string) (row, time.Time, error) {
	f, questions, err := cutAnswer(s)
	if err != nil {
		return row{}, time.Time{}, err
	}
	score, _ := count(f[3])
	at, _ := parseUnix(f[5])
	return row{attempt: attemptID, lang: f[2], score: score, questions: questions}, at, nil
}

// cutAnswer checks an answer line and cuts it into its six leading fields
// and its questions.
func cutAnswer(s string) (f [6]string, questions string, err error) {
	rest, more := s, false
	for i := range f {
		f[i], rest, more = strings.Cut(rest, "|")
		if !more && i < len(f)-1 {
			return f, "", errBadFact
		}
	}
	if f[0] != factVersion || f[1] == "" || (more && rest == "") {
		return f, "", errBadFact
	}
	score, err1 := count(f[3])
	_, err2 := parseUnix(f[5])
	if err := errors.Join(err1, err2, boolErr(f[4])); err != nil || score > 100 {
		return f, "", errBadFact
	}
	if rest == "" {
		return f, "", nil
	}
	for q := range strings.SplitSeq(rest, "|") {
		id, after, ok1 := strings.Cut(q, ":")
		correct, _, ok2 := strings.Cut(after, ":")
		if !ok1 || !ok2 || id == "" || boolErr(correct) != nil {
			return f, "", errBadFact
		}
	}
	return f, rest, nil
}

// eachQuestion walks the questions of a line that cutAnswer accepted.
func eachQuestion(questions string, fn func(id string, correct bool, chosen string)) {
	for questions != "" {
		var q string
		q, questions, _ = strings.Cut(questions, "|")
		id, rest, _ := strings.Cut(q, ":")
		correct, chosen, _ := strings.Cut(rest, ":")
		fn(id, correct == "1", chosen)
	}
}
