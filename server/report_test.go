package server_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/xuri/excelize/v2"

	"github.com/kalan-platform/kalan/server/account"
	"github.com/kalan-platform/kalan/server/catalog"
	"github.com/kalan-platform/kalan/server/cohort"
	"github.com/kalan-platform/kalan/server/learning"
	"github.com/kalan-platform/kalan/server/report"
	"github.com/kalan-platform/kalan/server/testenv"
)

// seededCohort is a cohort of course 1 whose trainees did known things:
//
//	Awa      all lessons, quiz 10/10: completed, certificate
//	Bakary   all lessons, quiz 3/10: not passed
//	Coumba   2 lessons
//	Drissa   nothing
//	Fanta    quiz 8/10, no lesson: passed, not completed
//	Ibrahim  all lessons, quiz 7/10: completed, certificate revoked
//	Kadiatou started 30 days ago and went silent (facts written as then)
type seededCohort struct {
	e       *env
	cohort  *cohort.Cohort
	trainer *client
	users   map[string]*account.User
	course  *catalog.Course
	drawn   map[string]learning.Answers // what each trainee chose
	right   map[string]map[string]bool  // trainee → question → answered right
}

var seededNames = []string{"Awa Traoré", "Bakary Diarra", "Coumba Sidibé", "Drissa Koné", "Fanta Kɔnɛ", "Ibrahim Maïga", "Kadiatou Ɲaarɛ"}

func seedCohort(t *testing.T, e *env) *seededCohort {
	t.Helper()
	ctx := context.Background()
	trainer, trainerUser := e.signedIn(t, account.RoleTrainer, "trainer@kalan.test", "Oumar Diallo")
	co, _, err := e.cohorts.Create(ctx, trainerUser, cohort.Form{Name: "Police Ségou, mars 2027", Courses: []string{basics}, Region: "segou",
		Organisation: "police", Starts: "2027-03-01", Ends: "2027-03-31"}, e.publishedSlug, "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	var rows []account.EnrolRow
	for i, name := range seededNames {
		login, _ := account.ParseLogin("t" + strconv.Itoa(i) + "@kalan.test")
		rows = append(rows, account.EnrolRow{Line: i + 2, Name: name, Login: login})
	}
	enrolled, err := e.cohorts.Enrol(ctx, trainerUser, co, rows, "fr", "127.0.0.1")
	if err != nil || len(enrolled) != len(seededNames) {
		t.Fatalf("enrol: %v %v", enrolled, err)
	}
	s := &seededCohort{e: e, cohort: co, trainer: trainer, users: map[string]*account.User{}, drawn: map[string]learning.Answers{},
		right: map[string]map[string]bool{}}
	for i, en := range enrolled {
		s.users[strings.Fields(seededNames[i])[0]] = en.User
	}
	s.course, _ = e.catalog.Lookup(basics)
	lessons := func(who string, n int) {
		for _, l := range s.course.Def.Lessons[:n] {
			u, _ := e.store.UserByID(ctx, s.users[who].ID)
			if err := e.training.CompleteLesson(ctx, u, s.course, l.ID); err != nil {
				t.Fatal(err)
			}
		}
	}
	quiz := func(who string, right int, lang string) {
		u, _ := e.store.UserByID(ctx, s.users[who].ID)
		a, err := e.training.StartOrResume(ctx, u, s.course, lang)
		if err != nil {
			t.Fatal(err)
		}
		answers, got := learning.Answers{}, map[string]bool{}
		for i, d := range a.Drawn {
			q, _ := questionByID(s.course.Def.Quiz, d.Question)
			var chosen []string
			for _, o := range q.Options {
				if o.Correct == (i < right) {
					chosen = append(chosen, o.ID)
					if i >= right {
						break // one wrong option is enough to be wrong
					}
				}
			}
			answers[d.Question], got[d.Question] = chosen, i < right
		}
		if _, err := e.training.Submit(ctx, u, s.course, a, answers); err != nil {
			t.Fatal(err)
		}
		s.drawn[who], s.right[who] = answers, got
	}
	all := len(s.course.Def.Lessons)
	lessons("Awa", all)
	quiz("Awa", 10, "fr")
	lessons("Bakary", all)
	quiz("Bakary", 3, "fr")
	lessons("Coumba", 2)
	quiz("Fanta", 8, "bm")
	lessons("Ibrahim", all)
	quiz("Ibrahim", 7, "en")
	u, _ := e.store.UserByID(ctx, s.users["Ibrahim"].ID)
	cert, err := e.training.Certificate(ctx, u.Progress[basics].Certificate)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.training.Revoke(ctx, trainerUser, cert, "test", "127.0.0.1"); err != nil {
		t.Fatal(err)
	}
	month := time.Now().AddDate(0, 0, -30)
	if err := e.reports.RecordMember(ctx, []string{co.ID}, basics, s.users["Kadiatou"].ID,
		report.Member{Started: month, Updated: month, LessonsDone: 1, Percent: 100 / 7}); err != nil { // one of 7 steps
		t.Fatal(err)
	}
	return s
}

// readCSV parses an exported CSV, checking the byte-order mark Excel needs.
func readCSV(t *testing.T, body []byte) [][]string {
	t.Helper()
	if !bytes.HasPrefix(body, []byte("\xef\xbb\xbf")) {
		t.Fatal("the CSV has no UTF-8 byte-order mark: Excel would garble accents")
	}
	rows, err := csv.NewReader(bytes.NewReader(body[3:])).ReadAll()
	if err != nil {
		t.Fatalf("the CSV does not parse: %v", err)
	}
	return rows
}

// A cohort's report, on the page and in its CSV, holds the figures
// computed by hand from what each trainee did.
func TestCohortReportFigures(t *testing.T) {
	e := newEnv(t)
	s := seedCohort(t, e)
	steps := 1 // the final quiz
	for _, l := range s.course.Def.Lessons {
		if l.Required {
			steps++
		}
	}
	if steps != 7 {
		t.Fatalf("course 1 has %d steps; this test counts on 7 (six lessons and the quiz)", steps)
	}
	page := s.trainer.get(t, "/trainer/cohorts/"+s.cohort.ID+"?lang=en")
	if page.StatusCode != http.StatusOK {
		t.Fatalf("cohort page: %d", page.StatusCode)
	}
	doc := page.doc(t)
	summary := map[string]string{}
	doc.Find("dl.summary dt").Each(func(i int, dt *goquery.Selection) {
		summary[strings.TrimSpace(dt.Text())] = strings.TrimSpace(dt.Next().Text())
	})
	want := map[string]string{"Enrolled": "7", "Started": "6", "Completed": "2 (29%)", "Quiz passed": "3", "Median score (%)": "75.00", "Certificates": "1"}
	for k, v := range want {
		if summary[k] != v {
			t.Errorf("summary %s = %q, want %q", k, summary[k], v)
		}
	}
	stalled := doc.Find("ul.stalled li").Text()
	if !strings.Contains(stalled, "Kadiatou") || doc.Find("ul.stalled li").Length() != 1 {
		t.Errorf("stalled trainees: %q", stalled)
	}

	r := s.trainer.get(t, "/trainer/cohorts/"+s.cohort.ID+"/report.csv?lang=en")
	if r.StatusCode != http.StatusOK || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/csv") ||
		!strings.Contains(r.Header.Get("Content-Disposition"), ".csv") || r.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("CSV: %d %s %s %s", r.StatusCode, r.Header.Get("Content-Type"), r.Header.Get("Content-Disposition"), r.Header.Get("Cache-Control"))
	}
	rows := readCSV(t, r.body)
	header := rows[0]
	if header[0] != "Full name" || header[len(header)-1] != "Stalled" {
		t.Errorf("header %v", header)
	}
	// name: status, progress %, lessons, attempts, best %, passed, certificate?, stalled
	expect := map[string][]string{
		"Awa Traoré":     {"completed", "100.0", "6", "1", "100.0", "yes", "cert", "no"},
		"Bakary Diarra":  {"in progress", "85.0", "6", "1", "30.0", "no", "", "no"},
		"Coumba Sidibé":  {"in progress", "28.0", "2", "0", "", "no", "", "no"},
		"Drissa Koné":    {"not started", "0.0", "0", "0", "", "no", "", "no"},
		"Fanta Kɔnɛ":     {"in progress", "14.0", "0", "1", "80.0", "yes", "", "no"},
		"Ibrahim Maïga":  {"completed", "100.0", "6", "1", "70.0", "yes", "", "no"},
		"Kadiatou Ɲaarɛ": {"in progress", "14.0", "1", "0", "", "no", "", "yes"},
	}
	if len(rows) != 1+len(expect) {
		t.Fatalf("%d rows, want %d", len(rows)-1, len(expect))
	}
	for _, row := range rows[1:] {
		w, ok := expect[row[0]]
		if !ok {
			t.Errorf("unexpected row %v", row)
			continue
		}
		got := []string{row[4], row[5], row[6], row[7], row[8], row[9], row[10], row[12]}
		if w[6] == "cert" && len(got[6]) == 11 { // a serial, formatted XXX-XXX-XXX
			got[6] = "cert"
		}
		if !slices.Equal(got, w) {
			t.Errorf("%s: %v, want %v", row[0], got, w)
		}
		if row[3] != "Detecting trafficking: the basics" && !strings.Contains(row[3], "basics") {
			t.Errorf("%s: course %q", row[0], row[3])
		}
	}

	// The filter and the order of the page go into the file too.
	filtered := readCSV(t, s.trainer.get(t, "/trainer/cohorts/"+s.cohort.ID+"/report.csv?lang=en&status=not-started").body)
	if len(filtered) != 2 || filtered[1][0] != "Drissa Koné" {
		t.Errorf("not started: %v", filtered)
	}
	byScore := readCSV(t, s.trainer.get(t, "/trainer/cohorts/"+s.cohort.ID+"/report.csv?lang=en&sort=score").body)
	var order []string
	for _, row := range byScore[1:5] {
		order = append(order, strings.Fields(row[0])[0])
	}
	if strings.Join(order, " ") != "Awa Fanta Ibrahim Bakary" {
		t.Errorf("by best score: %v", order)
	}

	// The dashboard has the same summary.
	dash := readCSV(t, s.trainer.get(t, "/trainer/report.csv?lang=en").body)
	if len(dash) != 2 {
		t.Fatalf("dashboard rows: %v", dash)
	}
	if got := strings.Join(dash[1][4:11], " "); got != "7 6 2 3 28.6 75.00 1" {
		t.Errorf("dashboard figures: %s", got)
	}
}

// The XLSX holds what the CSV holds: read back with excelize, and, where
// LibreOffice is installed (CI), converted back to CSV by LibreOffice.
func TestReportXLSXMatchesCSV(t *testing.T) {
	e := newEnv(t)
	s := seedCohort(t, e)
	for _, base := range []string{"/trainer/cohorts/" + s.cohort.ID, "/trainer", "/trainer/cohorts/" + s.cohort.ID + "/questions"} {
		csvRows := readCSV(t, s.trainer.get(t, base+"/report.csv?lang=fr").body)
		x := s.trainer.get(t, base+"/report.xlsx?lang=fr")
		if x.StatusCode != http.StatusOK || !strings.Contains(x.Header.Get("Content-Type"), "spreadsheetml") {
			t.Fatalf("%s XLSX: %d %s", base, x.StatusCode, x.Header.Get("Content-Type"))
		}
		f, err := excelize.OpenReader(bytes.NewReader(x.body))
		if err != nil {
			t.Fatalf("%s: excelize cannot open the XLSX: %v", base, err)
		}
		xlsxRows, err := f.GetRows(f.GetSheetList()[0])
		if err != nil {
			t.Fatal(err)
		}
		if len(xlsxRows) != len(csvRows) {
			t.Fatalf("%s: %d rows in the XLSX, %d in the CSV", base, len(xlsxRows), len(csvRows))
		}
		for i := range csvRows {
			for j, want := range csvRows[i] {
				got := ""
				if j < len(xlsxRows[i]) {
					got = xlsxRows[i][j]
				}
				// Excel shows a percentage with its sign and a French
				// decimal comma is the reader's locale's business.
				got = strings.TrimSuffix(got, "%")
				if got != want {
					t.Errorf("%s row %d col %d: XLSX %q, CSV %q", base, i, j, got, want)
				}
			}
		}
		libreOfficeAgrees(t, base, x.body, csvRows)
	}
}

// libreOfficeAgrees converts the XLSX to CSV with LibreOffice headless and
// compares the text of every cell; it needs LibreOffice, which CI installs.
func libreOfficeAgrees(t *testing.T, name string, xlsx []byte, want [][]string) {
	t.Helper()
	soffice, err := exec.LookPath("soffice")
	testenv.Need(t, "LibreOffice", err, "apt-get install libreoffice-calc-nogui")
	dir := t.TempDir()
	in := filepath.Join(dir, "report.xlsx")
	if err := os.WriteFile(in, xlsx, 0o600); err != nil {
		t.Fatal(err)
	}
	// 44,34,76: comma, double quote, UTF-8; a private profile so that
	// parallel runs do not share one.
	cmd := exec.Command(soffice, "-env:UserInstallation=file://"+filepath.Join(dir, "profile"), "--headless",
		"--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", dir, in)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s: LibreOffice: %v\n%s", name, err, out)
	}
	data, err := os.ReadFile(filepath.Join(dir, "report.csv"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("%s: LibreOffice reads %d rows, the CSV has %d", name, len(got), len(want))
	}
	for i := range want {
		for j := range want[i] {
			g := strings.TrimSuffix(got[i][j], "%")
			if g != want[i][j] {
				t.Errorf("%s row %d col %d: LibreOffice %q, CSV %q", name, i, j, got[i][j], want[i][j])
			}
		}
	}
}

// The question statistics count, for each question, the attempts that
// drew it and those that answered it right, as the trainees did.
func TestQuestionStatisticsFollowAttempts(t *testing.T) {
	e := newEnv(t)
	s := seedCohort(t, e)
	type count struct{ drew, right int }
	want := map[string]*count{}
	for _, got := range s.right {
		for q, right := range got {
			if want[q] == nil {
				want[q] = &count{}
			}
			want[q].drew++
			if right {
				want[q].right++
			}
		}
	}
	rows := readCSV(t, s.trainer.get(t, "/trainer/cohorts/"+s.cohort.ID+"/questions/report.csv?lang=en").body)
	text := map[string]string{} // question text → id
	for _, q := range s.course.Def.Quiz.Questions {
		text[q.Text["en"]] = q.ID
	}
	seen := map[string]bool{}
	for _, row := range rows[1:] {
		if row[2] != "All languages" || seen[row[1]] {
			continue
		}
		seen[row[1]] = true
		id := text[row[1]]
		c := want[id]
		if c == nil {
			if row[3] != "0" {
				t.Errorf("%s: %s answers, but nobody drew it", id, row[3])
			}
			continue
		}
		facility := strconv.FormatFloat(float64(c.right)*100/float64(c.drew), 'f', 1, 64)
		if row[3] != strconv.Itoa(c.drew) || row[4] != facility {
			t.Errorf("%s: %s answers, %s%% right; want %d, %s", id, row[3], row[4], c.drew, facility)
		}
	}
	if len(seen) != len(poolIDs(s.course)) {
		t.Errorf("%d questions in the export, the pool has %d", len(seen), len(poolIDs(s.course)))
	}
	// Split by language: Fanta answered in Bambara, Ibrahim in English.
	page := s.trainer.get(t, "/trainer/cohorts/"+s.cohort.ID+"/questions?lang=en").doc(t).Text()
	for _, lang := range []string{"Bamanankan", "English", "Français"} {
		if !strings.Contains(page, lang) {
			t.Errorf("the statistics page has no line for %s", lang)
		}
	}
}

func poolIDs(c *catalog.Course) []string {
	var out []string
	for _, q := range c.Def.Quiz.Questions {
		if q.Lesson == "" {
			out = append(out, q.ID)
		}
	}
	return out
}

// A cohort where nobody has done anything: every report answers, with a
// sentence instead of figures, and no division by zero.
func TestEmptyReports(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	trainer, u := e.signedIn(t, account.RoleTrainer, "trainer@kalan.test", "Oumar Diallo")
	co, _, err := e.cohorts.Create(ctx, u, cohort.Form{Name: "Vide", Courses: []string{basics}, Region: "kayes",
		Organisation: "ngo", Starts: "2027-05-01", Ends: "2027-05-31"}, e.publishedSlug, "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	for _, target := range []string{"/trainer", "/trainer/cohorts/" + co.ID, "/trainer/cohorts/" + co.ID + "/questions",
		"/trainer/report.csv", "/trainer/cohorts/" + co.ID + "/report.xlsx", "/trainer/cohorts/" + co.ID + "/questions/report.csv"} {
		r := trainer.get(t, target+"?lang=en")
		if r.StatusCode != http.StatusOK {
			t.Errorf("%s: %d", target, r.StatusCode)
		}
		if strings.Contains(string(r.body), "NaN") || strings.Contains(string(r.body), "Inf") {
			t.Errorf("%s shows NaN or Inf", target)
		}
	}
	if body := trainer.get(t, "/trainer/cohorts/"+co.ID+"/questions?lang=en").doc(t).Find(".note").Text(); !strings.Contains(body, "Nobody has submitted") {
		t.Errorf("no sentence on an empty statistics page: %q", body)
	}
}

// Reports refuse what does not exist or cannot be read, with a message.
func TestReportBadInput(t *testing.T) {
	e := newEnv(t)
	s := seedCohort(t, e)
	admin, _ := e.signedIn(t, account.RoleAdmin, "admin@kalan.test", "Aminata Touré")
	for _, tt := range []struct {
		c      *client
		target string
		status int
	}{
		{s.trainer, "/trainer/cohorts/00000000000000000000000000000000", http.StatusNotFound},
		{s.trainer, "/trainer/cohorts/00000000000000000000000000000000/report.csv", http.StatusNotFound},
		{s.trainer, "/trainer/cohorts/not-an-id/questions", http.StatusNotFound},
		{s.trainer, "/trainer/cohorts/" + s.cohort.ID + "?course=children-at-risk", http.StatusNotFound}, // not a course of this cohort
		{s.trainer, "/trainer/cohorts/" + s.cohort.ID + "?sort=password&status=%00&stalled=-4&desc=maybe", http.StatusOK},
		{admin, "/admin/reports?from=2027-02-30", http.StatusBadRequest},
		{admin, "/admin/reports?from=2027-04-01&to=2027-03-01", http.StatusBadRequest},
		{admin, "/admin/reports/report.csv?to=yesterday", http.StatusBadRequest},
		{admin, "/admin/reports/questions?from=2027-04-01&to=2027-03-01", http.StatusBadRequest},
		{admin, "/admin/reports/questions?course=no-such-course", http.StatusNotFound},
		{admin, "/admin/reports?by=salary", http.StatusOK},
	} {
		sep := "?"
		if strings.Contains(tt.target, "?") {
			sep = "&"
		}
		r := tt.c.get(t, tt.target+sep+"lang=en")
		if r.StatusCode != tt.status {
			t.Errorf("%s: %d, want %d", tt.target, r.StatusCode, tt.status)
		}
		if tt.status == http.StatusBadRequest && !strings.Contains(string(r.body), "YYYY-MM-DD") {
			t.Errorf("%s: the 400 does not say how to write a date", tt.target)
		}
	}
}

// The national view groups the cohorts' figures; the date range picks the
// cohorts by their start.
func TestNationalView(t *testing.T) {
	e := newEnv(t)
	seedCohort(t, e) // Ségou, police, March 2027: 7 enrolled, 2 completed
	ctx := context.Background()
	trainer, err := e.store.UserByLogin(ctx, "trainer@kalan.test")
	if err != nil {
		t.Fatal(err)
	}
	other, _, err := e.cohorts.Create(ctx, trainer, cohort.Form{Name: "ONG Kayes", Courses: []string{basics},
		Region: "kayes", Organisation: "ngo", Starts: "2027-06-01", Ends: "2027-06-30"}, e.publishedSlug, "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	login, _ := account.ParseLogin("kayes@kalan.test")
	if _, err := e.cohorts.Enrol(ctx, trainer, other, []account.EnrolRow{{Line: 2, Name: "Sali Coulibaly", Login: login}}, "fr", ""); err != nil {
		t.Fatal(err)
	}
	admin, _ := e.signedIn(t, account.RoleAdmin, "admin@kalan.test", "Aminata Touré")
	lines := func(query string) map[string][]string {
		t.Helper()
		rows := readCSV(t, admin.get(t, "/admin/reports/report.csv?lang=en&"+query).body)
		out := map[string][]string{}
		for _, r := range rows[1:] {
			out[r[0]] = r[1:]
		}
		return out
	}
	byRegion := lines("by=region")
	if got := strings.Join(byRegion["Ségou"][:5], " "); got != "1 7 6 2 3" {
		t.Errorf("Ségou: %s (cohorts enrolled started completed passed)", got)
	}
	if got := strings.Join(byRegion["Kayes"][:4], " "); got != "1 1 0 0" {
		t.Errorf("Kayes: %s", got)
	}
	if got := lines("by=month"); len(got) != 2 || got["2027-03"] == nil || got["2027-06"] == nil {
		t.Errorf("by month: %v", got)
	}
	if got := lines("by=region&from=2027-05-01"); len(got) != 1 || got["Kayes"] == nil {
		t.Errorf("from May: %v", got)
	}
	if page := admin.get(t, "/admin/reports?lang=en&by=organisation"); page.StatusCode != http.StatusOK || !strings.Contains(string(page.body), "<svg") {
		t.Errorf("national page: %d, chart drawn: %v", page.StatusCode, strings.Contains(string(page.body), "<svg"))
	}
}
