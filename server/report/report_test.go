package report

import (
	"errors"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kalan-platform/kalan/courses"
)

var day = time.Date(2027, 3, 10, 9, 30, 0, 0, time.UTC)

func TestFactsRoundTrip(t *testing.T) {
	members := []Member{
		{},
		{Started: day, Updated: day.Add(time.Hour), LessonsDone: 3, Percent: 50, Attempts: 2, BestScore: 60},
		{Started: day, Updated: day, LessonsDone: 5, Percent: 100, Attempts: 1, BestScore: 100, Passed: true, Completed: day, Certificate: "9RWHNKF3C"},
		{Started: day, Completed: day, Certificate: "9RWHNKF3C", Revoked: true},
	}
	for _, m := range members {
		got, err := DecodeMember(m.Encode())
		if err != nil || !reflect.DeepEqual(got, m) {
			t.Errorf("member %+v: decoded %+v, %v", m, got, err)
		}
	}
	answers := []Answer{
		{AttemptID: "a1", UserID: "u1", Lang: "bm", Score: 70, Passed: true, At: day,
			Questions: []QuestionAnswer{{ID: "q-one", Correct: true, Chosen: "a"}, {ID: "q2", Chosen: "b,c"}, {ID: "q3"}}},
		{AttemptID: "a2", UserID: "u2", Lang: "fr", At: day},
	}
	for _, a := range answers {
		got, err := DecodeAnswer(a.AttemptID, a.Encode())
		if err != nil || !reflect.DeepEqual(got, a) {
			t.Errorf("answer %+v: decoded %+v, %v", a, got, err)
		}
	}
}

func TestFactsMalformed(t *testing.T) {
	for _, line := range []string{"", "2|0|0|0|0|0|0|0|0||0", "1|0|0|0|0|0|0|0|0|", "1|x|0|0|0|0|0|0|0||0", "1|0|0|-1|0|0|0|0|0||0",
		"1|0|0|0|101|0|0|0|0||0", "1|0|0|0|0|0|0|2|0||0", "1|0|0|0|0|0|0|0|0|s|2", "1|0|0|0|0|0|0|0|0|s|0|extra"} {
		if _, err := DecodeMember(line); err == nil {
			t.Errorf("DecodeMember(%q) accepted", line)
		}
	}
	for _, line := range []string{"", "1|u|fr|70|1", "1||fr|70|1|0", "1|u|fr|170|1|0", "1|u|fr|70|x|0", "1|u|fr|70|1|0|q1", "1|u|fr|70|1|0|:1:a",
		"1|u|fr|70|1|0|q1:2:a", "1|u|fr|70|1|0|", "1|u|fr|70|1|0|q1:1:a|"} {
		if _, err := DecodeAnswer("a", line); err == nil {
			t.Errorf("DecodeAnswer(%q) accepted", line)
		}
	}
}

// FuzzDecodeFacts: whatever a stored line holds, decoding never panics, and
// a line that decodes encodes back to a line that decodes to the same facts.
func FuzzDecodeFacts(f *testing.F) {
	f.Add(Member{Started: day, Percent: 40}.Encode())
	f.Add(Answer{UserID: "u", Lang: "fr", Questions: []QuestionAnswer{{ID: "q", Chosen: "a"}}}.Encode())
	f.Add("1|0|0|0|0|0|0|0|0||0")
	f.Fuzz(func(t *testing.T, line string) {
		if m, err := DecodeMember(line); err == nil {
			if again, err := DecodeMember(m.Encode()); err != nil || !reflect.DeepEqual(again, m) {
				t.Fatalf("member %q: %+v, then %+v %v", line, m, again, err)
			}
		}
		if a, err := DecodeAnswer("id", line); err == nil {
			if again, err := DecodeAnswer("id", a.Encode()); err != nil || !reflect.DeepEqual(again, a) {
				t.Fatalf("answer %q: %+v, then %+v %v", line, a, again, err)
			}
		}
	})
}

func TestSummarise(t *testing.T) {
	members := []Member{
		{}, // enrolled, not started
		{Started: day, Updated: day, Percent: 20},
		{Started: day, Updated: day.Add(48 * time.Hour), Attempts: 1, BestScore: 40},
		{Started: day, Updated: day, Attempts: 2, BestScore: 80, Passed: true},
		{Started: day, Updated: day.Add(time.Hour), Attempts: 1, BestScore: 90, Passed: true, Completed: day, Certificate: "S1"},
		{Started: day, Updated: day, Attempts: 3, BestScore: 70, Passed: true, Completed: day, Certificate: "S2", Revoked: true},
	}
	got := Summarise(members)
	want := Summary{Enrolled: 6, Started: 5, Completed: 2, Passed: 3, Certificates: 1, Scored: 4, Median: 75, Last: day.Add(48 * time.Hour)}
	if got != want {
		t.Errorf("Summarise = %+v\nwant        %+v", got, want)
	}
	if r := got.CompletionRate(); math.Abs(r-2.0/6) > 1e-12 {
		t.Errorf("completion rate %v", r)
	}
	if (Summary{}).CompletionRate() != 0 || Summarise(nil).Median != 0 {
		t.Error("an empty group divides by zero")
	}
	if b := Bands(members); b != [10]int{4: 1, 7: 1, 8: 1, 9: 1} {
		t.Errorf("Bands = %v", b)
	}
	if b := Bands([]Member{{Attempts: 1, BestScore: 100}, {Attempts: 1}}); b != [10]int{0: 1, 9: 1} {
		t.Errorf("Bands at the edges = %v", b)
	}
}

func TestRows(t *testing.T) {
	now := day.AddDate(0, 0, 30)
	people := []Person{{ID: "u1", Name: "Ɲuman Kɔnɛ"}, {ID: "u2", Name: "awa Traoré"}, {ID: "u3", Name: "Émile Dembélé"}, {ID: "u4", Name: "Zeinab Cissé"}}
	members := map[string]Member{
		"u1": {Started: day, Updated: day, Percent: 40, Attempts: 1, BestScore: 50},                                // silent 30 days
		"u2": {Started: day, Updated: now.AddDate(0, 0, -2), Percent: 60},                                          // active
		"u3": {Started: day, Updated: day, Percent: 100, Attempts: 2, BestScore: 90, Passed: true, Completed: day}, // done
	}
	rows := Rows(people, members, now, 14*24*time.Hour)
	status := map[string]Status{}
	for _, r := range rows {
		status[r.ID] = r.Status
	}
	if !reflect.DeepEqual(status, map[string]Status{"u1": InProgress, "u2": InProgress, "u3": Completed, "u4": NotStarted}) {
		t.Errorf("statuses %v", status)
	}
	if st := StalledRows(rows); len(st) != 1 || st[0].ID != "u1" {
		t.Errorf("stalled %+v", st)
	}
	if f := Filter(rows, NotStarted); len(f) != 1 || f[0].ID != "u4" {
		t.Errorf("filter not started: %+v", f)
	}
	if f := Filter(rows, ""); len(f) != 4 {
		t.Errorf("no filter keeps %d rows", len(f))
	}

	ids := func(rows []Row) string {
		var s []string
		for _, r := range rows {
			s = append(s, r.ID)
		}
		return strings.Join(s, " ")
	}
	for _, tt := range []struct {
		by   Sort
		desc bool
		lang string
		want string
	}{
		{ByName, false, "fr", "u2 u3 u1 u4"}, // awa, Émile, Ɲuman, Zeinab: case and accents ignored
		{ByName, true, "fr", "u4 u1 u3 u2"},
		{ByProgress, false, "fr", "u3 u2 u1 u4"},
		{ByProgress, true, "fr", "u4 u1 u2 u3"},
		{ByScore, false, "fr", "u3 u1 u2 u4"}, // no attempt ranks below any score; ties by name
		{ByAttempts, false, "fr", "u3 u1 u2 u4"},
		{ByActivity, false, "fr", "u2 u3 u1 u4"},
	} {
		r := slices.Clone(rows)
		SortRows(r, tt.by, tt.desc, tt.lang)
		if got := ids(r); got != tt.want {
			t.Errorf("sort %s desc=%v: %s, want %s", tt.by, tt.desc, got, tt.want)
		}
	}
	if ParseSort("password") != ByName || ParseSort("score") != ByScore || ParseStatus("done") != "" || ParseStatus("completed") != Completed {
		t.Error("parsing sort or status")
	}
}

// quizAnswer makes an attempt that drew one question.
func quizAnswer(id, lang string, score int, question string, correct bool, chosen ...string) Answer {
	return Answer{AttemptID: id, UserID: "u" + id, Lang: lang, Score: score, At: day,
		Questions: []QuestionAnswer{{ID: question, Correct: correct, Chosen: strings.Join(chosen, ",")}}}
}

// The figures of two questions, computed by hand:
//
// q1 (a right, b and c wrong), 10 attempts, ranked by score with the tie
// of A03/A04 broken by id:
//
//	A01 100 fr a ✓   A02 90 fr a ✓   A03 75 fr b ✗   A04 75 fr a ✓   A05 60 bm c ✗
//	A06  50 bm b ✗   A07 40 bm a ✓   A08 30 bm c ✗   A09 20 fr c ✗   A10 10 fr c ✗
//
// facility 4/10 = 0.4; groups of round(0.27 × 10) = 3: upper A01 A02 A03
// (2 right), lower A08 A09 A10 (0 right), discrimination 2/3 − 0 = 0.667.
// Options: a 4 (0.4; upper 2/3, lower 0), b 2 (0.2; upper 1/3, lower 0),
// c 4 (0.4; upper 0, lower 1). b draws the strong more than the weak and a
// third of them: misleading. In French: 6 answers, 3 right (0.5), groups of
// round(1.62) = 2, upper A01 A02 (2 right), lower A09 A10 (0), D = 1. In
// Bambara: 4 answers, 1 right (0.25), groups of 1, A05 ✗ and A08 ✗, D = 0.
//
// q2 (true/false, t right), 20 attempts: 10 in French, 9 right; 10 in
// Bambara, 4 right. Facility 13/20 = 0.65; Bambara 0.4 against 0.9 for the
// others: a language gap of 0.5 ≥ 0.2, flagged for bm only.
func TestQuestionsHandComputed(t *testing.T) {
	pool := []courses.Question{
		{ID: "q1", Kind: "single", Options: []courses.Option{{ID: "a", Correct: true}, {ID: "b"}, {ID: "c"}}},
		{ID: "q2", Kind: "truefalse", Options: []courses.Option{{ID: "t", Correct: true}, {ID: "f"}}},
		{ID: "q3", Kind: "single", Options: []courses.Option{{ID: "a", Correct: true}, {ID: "b"}}},
	}
	answers := []Answer{
		quizAnswer("A01", "fr", 100, "q1", true, "a"), quizAnswer("A02", "fr", 90, "q1", true, "a"),
		quizAnswer("A04", "fr", 75, "q1", true, "a"), quizAnswer("A03", "fr", 75, "q1", false, "b"),
		quizAnswer("A05", "bm", 60, "q1", false, "c"), quizAnswer("A06", "bm", 50, "q1", false, "b"),
		quizAnswer("A07", "bm", 40, "q1", true, "a"), quizAnswer("A08", "bm", 30, "q1", false, "c"),
		quizAnswer("A09", "fr", 20, "q1", false, "c"), quizAnswer("A10", "fr", 10, "q1", false, "c"),
		quizAnswer("A01", "fr", 100, "q1", true, "a"), // the same attempt, recorded in a second cohort
		{AttemptID: "X", UserID: "ux", Lang: "fr", Score: 0, Questions: []QuestionAnswer{{ID: "gone", Correct: true}}},
	}
	for i := 1; i <= 20; i++ {
		lang, right := "fr", i <= 9
		if i > 10 {
			lang, right = "bm", i <= 14
		}
		choice, score := "f", 20
		if right {
			choice, score = "t", 80
		}
		answers = append(answers, quizAnswer("B"+string(rune('A'+i)), lang, score, "q2", right, choice))
	}

	stats := Questions(pool, answers)
	if len(stats) != 3 {
		t.Fatalf("%d questions, want the 3 of the pool", len(stats))
	}
	near := func(what string, got, want float64) {
		t.Helper()
		if math.Abs(got-want) > 1e-9 {
			t.Errorf("%s = %.4f, want %.4f", what, got, want)
		}
	}
	q1 := stats[0]
	if q1.All.Answers != 10 || q1.All.Right != 4 || !q1.All.HasGroups {
		t.Fatalf("q1: %+v", q1.All)
	}
	near("q1 facility", q1.All.Facility, 0.4)
	near("q1 discrimination", q1.All.Discrimination, 2.0/3)
	wantOptions := []OptionFigures{
		{ID: "a", Correct: true, Chosen: 4, Share: 0.4, Upper: 2.0 / 3, Lower: 0},
		{ID: "b", Chosen: 2, Share: 0.2, Upper: 1.0 / 3, Lower: 0},
		{ID: "c", Chosen: 4, Share: 0.4, Upper: 0, Lower: 1},
	}
	for i, o := range q1.All.Options {
		w := wantOptions[i]
		if o.ID != w.ID || o.Correct != w.Correct || o.Chosen != w.Chosen {
			t.Errorf("q1 option %d: %+v, want %+v", i, o, w)
		}
		near("q1 share "+o.ID, o.Share, w.Share)
		near("q1 upper "+o.ID, o.Upper, w.Upper)
		near("q1 lower "+o.ID, o.Lower, w.Lower)
	}
	fr, bm := q1.ByLang["fr"], q1.ByLang["bm"]
	if fr.Answers != 6 || fr.Right != 3 || bm.Answers != 4 || bm.Right != 1 {
		t.Errorf("q1 by language: fr %+v, bm %+v", fr, bm)
	}
	near("q1 fr discrimination", fr.Discrimination, 1)
	near("q1 bm discrimination", bm.Discrimination, 0)
	if !reflect.DeepEqual(q1.Flags, []Flag{{Code: "misleading"}}) {
		t.Errorf("q1 flags %v", q1.Flags)
	}

	q2 := stats[1]
	near("q2 facility", q2.All.Facility, 0.65)
	near("q2 bm facility", q2.ByLang["bm"].Facility, 0.4)
	if !reflect.DeepEqual(q2.Flags, []Flag{{Code: "language-gap", Lang: "bm"}}) {
		t.Errorf("q2 flags %v", q2.Flags)
	}

	q3 := stats[2]
	if q3.All.Answers != 0 || q3.All.HasGroups || len(q3.Flags) != 0 || q3.All.Facility != 0 {
		t.Errorf("a question nobody drew: %+v", q3)
	}
}

func TestQuestionFlagsThresholds(t *testing.T) {
	pool := []courses.Question{{ID: "q", Options: []courses.Option{{ID: "a", Correct: true}, {ID: "b"}}}}
	make := func(n, right int) []Answer {
		var out []Answer
		for i := range n {
			id := string(rune('a'+i/26)) + string(rune('a'+i%26))
			if i < right {
				out = append(out, quizAnswer(id, "fr", 100-i, "q", true, "a"))
			} else {
				out = append(out, quizAnswer(id, "fr", 100-i, "q", false, "b"))
			}
		}
		return out
	}
	for _, tt := range []struct {
		n, right int
		want     []Flag
	}{
		{10, 10, []Flag{{Code: "too-easy"}}},
		{20, 18, nil}, // 0.9 is not above 0.9
		{10, 2, []Flag{{Code: "too-hard"}}},
		{10, 3, nil}, // 0.3 is not below 0.3
		{9, 9, nil},  // too few answers to flag
		{9, 0, nil},
	} {
		if got := Questions(pool, make(tt.n, tt.right))[0].Flags; !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%d/%d right: flags %v, want %v", tt.right, tt.n, got, tt.want)
		}
	}
}

func TestGroupUnits(t *testing.T) {
	mar, apr := time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(2027, 4, 15, 0, 0, 0, 0, time.UTC)
	done := Member{Started: day, Completed: day, Passed: true, Attempts: 1, BestScore: 80, Certificate: "S"}
	units := []Unit{
		{Cohort: "k1", Region: "segou", Organisation: "police", Course: "c1", Starts: mar, Members: []Member{done, {}}},
		{Cohort: "k2", Region: "segou", Organisation: "ngo", Course: "c2", Starts: apr, Members: []Member{done}},
		{Cohort: "k3", Region: "bamako", Organisation: "police", Course: "c1", Starts: apr, Members: []Member{{Started: day}}},
		{Cohort: "k3", Region: "bamako", Organisation: "police", Course: "c2", Starts: apr, Members: []Member{{}}},
	}
	keys := func(gs []Group) string {
		var s []string
		for _, g := range gs {
			s = append(s, g.Key)
		}
		return strings.Join(s, " ")
	}
	byRegion := GroupUnits(units, ByRegion)
	if keys(byRegion) != "bamako segou" || byRegion[1].Enrolled != 3 || byRegion[1].Completed != 2 || byRegion[0].Started != 1 ||
		byRegion[0].Cohorts != 1 || byRegion[1].Cohorts != 2 || byRegion[0].Enrolled != 2 {
		t.Errorf("by region: %+v", byRegion)
	}
	if got := keys(GroupUnits(units, ByMonth)); got != "2027-03 2027-04" {
		t.Errorf("by month: %s", got)
	}
	if got := keys(GroupUnits(units, ByOrganisation)); got != "ngo police" {
		t.Errorf("by organisation: %s", got)
	}
	if g := GroupUnits(units, ByCourse); keys(g) != "c1 c2" || g[0].Enrolled != 3 || g[1].Certificates != 1 || g[1].Cohorts != 2 {
		t.Errorf("by course: %+v", g)
	}
	if ParseDimension("salary") != ByRegion || ParseDimension("month") != ByMonth {
		t.Error("ParseDimension")
	}
}

func TestParsePeriod(t *testing.T) {
	for _, tt := range []struct {
		from, to string
		err      error
	}{
		{"", "", nil}, {"2027-01-01", "", nil}, {"", "2027-12-31", nil}, {"2027-01-01", "2027-01-01", nil},
		{"2027-02-30", "", ErrBadDate}, {"01/02/2027", "", ErrBadDate}, {"", "2027-1-1", ErrBadDate},
		{"2027-03-01", "2027-02-01", ErrInvertedDate},
	} {
		if _, err := ParsePeriod(tt.from, tt.to); !errors.Is(err, tt.err) {
			t.Errorf("ParsePeriod(%q, %q) = %v, want %v", tt.from, tt.to, err, tt.err)
		}
	}
	p, _ := ParsePeriod("2027-01-31", "2027-03-01")
	if !p.Contains(time.Date(2027, 3, 1, 23, 59, 0, 0, time.UTC)) || p.Contains(time.Date(2027, 3, 2, 0, 0, 0, 0, time.UTC)) ||
		p.Contains(time.Date(2027, 1, 30, 23, 0, 0, 0, time.UTC)) {
		t.Error("Contains is wrong at the edges")
	}
	if got := p.Months(); !reflect.DeepEqual(got, []string{"2027-01", "2027-02", "2027-03"}) {
		t.Errorf("Months = %v", got)
	}
	if open, _ := ParsePeriod("2027-01-01", ""); open.Months() != nil {
		t.Error("an open period lists months")
	}
}

// FuzzParsePeriod: a period is refused with one of the two errors, or is
// accepted and then runs forward.
func FuzzParsePeriod(f *testing.F) {
	f.Add("2027-01-01", "2027-12-31")
	f.Add("2027-13-01", "")
	f.Add("9999-12-31", "0001-01-01")
	f.Fuzz(func(t *testing.T, from, to string) {
		p, err := ParsePeriod(from, to)
		if err != nil {
			if !errors.Is(err, ErrBadDate) && !errors.Is(err, ErrInvertedDate) {
				t.Fatalf("ParsePeriod(%q, %q): unexpected error %v", from, to, err)
			}
			return
		}
		if !p.From.IsZero() && !p.To.IsZero() && p.From.After(p.To) {
			t.Fatalf("ParsePeriod(%q, %q) accepted a backward period", from, to)
		}
		if len(p.Months()) > 122 {
			t.Fatalf("ParsePeriod(%q, %q): %d months to read", from, to, len(p.Months()))
		}
	})
}

// Packed lines read back as they were written, whether kept in a map or packed.
func TestPackedLines(t *testing.T) {
	lines := map[string]string{"a2": "1|x", "a1": "1|y|q:1:a,b", "a3": ""}
	packed := PackLines(lines)
	if packed != "a1\t1|y|q:1:a,b\na2\t1|x\na3\t\n" {
		t.Errorf("packed %q", packed)
	}
	back := UnpackLines(packed + "junk without a tab\n\tno key\n")
	if len(back) != 3 || back["a1"] != lines["a1"] || back["a3"] != "" {
		t.Errorf("unpacked %q", back)
	}
	both := Lines{Lines: map[string]string{"m": "v"}, Packed: packed}
	n := 0
	both.Each(func(string, string) { n++ })
	if n != 4 || both.Len() != 4 {
		t.Errorf("Each saw %d lines, Len says %d, want 4", n, both.Len())
	}
}
