package server_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"maps"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kalan-platform/kalan/server/account"
	"github.com/kalan-platform/kalan/server/certificate"
	"github.com/kalan-platform/kalan/server/cohort"
	"github.com/kalan-platform/kalan/server/learning"
	"github.com/kalan-platform/kalan/server/training"
)

// The trust findings of issue 13: deletion, the cohort a certificate was
// earned in, a new serial after a revocation, the QR code's signature and
// serials as typed.

const quizzed = "quizzed" // fixture: one lesson, two questions drawn, two attempts

// newCohort is a cohort of a trainer following quizzed.
func newCohort(t *testing.T, e *env, trainer *account.User, name string) *cohort.Cohort {
	t.Helper()
	co, errs, err := e.cohorts.Create(context.Background(), trainer, cohort.Form{Name: name, Courses: []string{quizzed}, Region: "segou",
		Organisation: "police", Starts: "2027-03-01", Ends: "2027-03-31"}, e.publishedSlug, "127.0.0.1")
	if err != nil || errs != nil {
		t.Fatalf("cohort %s: %v %v", name, errs, err)
	}
	return co
}

// passQuizzed takes a signed-in trainee through quizzed with a pass and
// returns their certificate's serial.
func passQuizzed(t *testing.T, e *env, c *client, userID string) string {
	t.Helper()
	if r := c.post(t, lessonPath(quizzed, "only")+"/complete", nil); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("complete: %d", r.StatusCode)
	}
	submitQuizzed(t, e, c)
	return mustSerial(t, e, userID, quizzed)
}

func submitQuizzed(t *testing.T, e *env, c *client) {
	t.Helper()
	f := readQuiz(t, c.get(t, "/courses/"+quizzed+"/quiz"))
	if r := c.post(t, "/courses/"+quizzed+"/quiz", answers(t, e, quizzed, f, true)); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("submit: %d", r.StatusCode)
	}
}

// signedInMember is a signed-in trainee, member of the cohorts given.
func signedInMember(t *testing.T, e *env, login, name string, cohorts ...*cohort.Cohort) (*client, *account.User) {
	t.Helper()
	c, u := e.signedIn(t, account.RoleTrainee, login, name)
	for _, co := range cohorts {
		if err := e.store.AddCohort(context.Background(), u.ID, co.ID); err != nil {
			t.Fatal(err)
		}
	}
	return c, u
}

func TestDeletedAccountWithdrawsCertificates(t *testing.T) {
	e := newEnv(t)
	trainer, trainerUser := e.signedIn(t, account.RoleTrainer, "trainer@kalan.test", "Oumar Diallo")
	co := newCohort(t, e, trainerUser, "Kayes")
	c, u := signedInMember(t, e, "fanta@kalan.test", bambaraName, co)
	serial := passQuizzed(t, e, c, u.ID)
	if v := verify(t, e, serial); v.Status != "valid" || v.Holder != bambaraName {
		t.Fatalf("before deletion: %+v", v)
	}

	// The account page says what deleting keeps.
	if kept := c.get(t, "/account?lang=en").doc(t).Find("[data-kept]").Text(); kept != e.t("en", "account.delete_kept", nil) {
		t.Errorf("the deletion form does not say what is kept: %q", kept)
	}
	if r := c.post(t, "/account/delete", url.Values{"password": {testPassword}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("delete: %d", r.StatusCode)
	}

	r := e.get(t, "/verify/"+serial, "Accept", "application/json")
	var v struct {
		Status       string `json:"status"`
		Withdrawn    bool   `json:"withdrawn"`
		RevokedAt    string `json:"revoked_at"`
		Organisation string `json:"organisation"`
	}
	if err := json.Unmarshal(r.body, &v); err != nil {
		t.Fatal(err)
	}
	if v.Status != "revoked" || !v.Withdrawn || v.RevokedAt == "" || v.Organisation != "" {
		t.Errorf("verify after deletion: %s", r.body)
	}
	police := e.t("fr", "organisation.police", nil)
	for _, forbidden := range []string{bambaraName, police, "Fanta"} {
		if bytes.Contains(r.body, []byte(forbidden)) {
			t.Errorf("verify JSON still holds %q: %s", forbidden, r.body)
		}
	}
	for _, lang := range []string{"fr", "en", "bm"} {
		page := e.get(t, "/verify/"+serial+"?lang="+lang).doc(t)
		status := page.Find("[data-status]")
		if status.AttrOr("data-status", "") != "withdrawn" || !strings.Contains(status.Text(), e.t(lang, "verify.withdrawn", map[string]any{"Date": time.Now().UTC().Format("2006-01-02")})) {
			t.Errorf("%s: verify page after deletion: %q", lang, status.Text())
		}
		if !strings.Contains(page.Find("dl.facts").Text(), e.t(lang, "verify.holder_deleted", nil)) {
			t.Errorf("%s: the holder is not shown as a deleted account", lang)
		}
		if text := page.Text(); strings.Contains(text, "Fanta") || strings.Contains(text, e.t(lang, "organisation.police", nil)) {
			t.Errorf("%s: the verify page still names the holder or their organisation", lang)
		}
	}

	// The PDF is gone, for the trainer too: a clear page, not a 500.
	r = trainer.get(t, "/certificates/"+serial+".pdf?lang=en")
	if r.StatusCode != http.StatusGone || !strings.Contains(string(r.body), e.t("en", "error.withdrawn.title", nil)) {
		t.Errorf("PDF after deletion: %d\n%.300s", r.StatusCode, r.body)
	}
	stored, err := e.store.CertificateBySerial(context.Background(), serial)
	if err != nil || stored.Holder != "" || stored.Organisation != "" || stored.Payload != nil || stored.Signature != nil {
		t.Errorf("the stored certificate still carries the holder: %+v %v", stored, err)
	}
}

func TestAccountExportHoldsEverything(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	admin, _ := e.signedIn(t, account.RoleAdmin, "admin@kalan.test", "Ibrahim Coulibaly")
	c, u := signedInMember(t, e, "awa@kalan.test", "Awa Traoré")
	serial := passQuizzed(t, e, c, u.ID)
	if r := admin.post(t, "/trainer/certificates/"+serial+"/revoke", url.Values{"reason": {"Erreur de saisie"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("revoke: %d", r.StatusCode)
	}
	now := time.Now().UTC()
	if _, err := e.store.ClaimSyncEvent(ctx, u.ID, "ev-1", "lesson.complete", now, now); err != nil {
		t.Fatal(err)
	}
	if err := e.store.MarkSyncEvent(ctx, u.ID, "ev-1", now); err != nil {
		t.Fatal(err)
	}
	if err := e.store.CreateReset(ctx, account.HashToken("reset-token"), u.ID, now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}

	r := c.get(t, "/account/export")
	if r.StatusCode != http.StatusOK {
		t.Fatalf("export: %d", r.StatusCode)
	}
	var doc struct {
		SchemaVersion int `json:"schema_version"`
		Account       struct{ Name string }
		Progress      []struct{ Course, Certificate string }
		Attempts      []struct {
			Course    string
			Passed    *bool
			Questions []struct {
				Question string
				Chosen   []string
			}
		}
		Certificates []struct{ Serial, Holder, Reason string }
		SyncEvents   []struct{ ID, Kind string } `json:"sync_events"`
		Sessions     []struct{ Current bool }
		Resets       []struct {
			ExpiresAt string `json:"expires_at"`
		} `json:"reset_links"`
		Audit []struct{ Action string }
	}
	if err := json.Unmarshal(r.body, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.SchemaVersion < 2 || doc.Account.Name != "Awa Traoré" {
		t.Errorf("schema %d, account %+v", doc.SchemaVersion, doc.Account)
	}
	if len(doc.Progress) != 1 || doc.Progress[0].Course != quizzed || doc.Progress[0].Certificate != serial {
		t.Errorf("progress: %+v", doc.Progress)
	}
	if len(doc.Attempts) != 1 || doc.Attempts[0].Passed == nil || !*doc.Attempts[0].Passed || len(doc.Attempts[0].Questions) != 2 ||
		len(doc.Attempts[0].Questions[0].Chosen) == 0 {
		t.Errorf("attempts with answers: %+v", doc.Attempts)
	}
	if len(doc.Certificates) != 1 || doc.Certificates[0].Serial != certificate.FormatSerial(serial) || doc.Certificates[0].Reason != "Erreur de saisie" {
		t.Errorf("certificates: %+v", doc.Certificates)
	}
	if len(doc.SyncEvents) != 1 || doc.SyncEvents[0].ID != "ev-1" {
		t.Errorf("sync events: %+v", doc.SyncEvents)
	}
	if len(doc.Sessions) != 1 || !doc.Sessions[0].Current {
		t.Errorf("sessions: %+v", doc.Sessions)
	}
	if len(doc.Resets) != 1 {
		t.Errorf("reset links: %+v", doc.Resets)
	}
	var actions []string
	for _, a := range doc.Audit {
		actions = append(actions, a.Action)
	}
	if !strings.Contains(strings.Join(actions, " "), "certificate.revoked") {
		t.Errorf("the audit entries about them lack the revocation: %v", actions)
	}
	// No secret: session ids are token hashes, reset links and passwords are hashed.
	sessions, err := e.store.SessionsOf(ctx, u.ID)
	if err != nil || len(sessions) == 0 {
		t.Fatal(sessions, err)
	}
	for _, secret := range []string{sessions[0].ID, account.HashToken("reset-token"), "$argon2id$", c.cookies["kalan_session"]} {
		if bytes.Contains(r.body, []byte(secret)) {
			t.Errorf("the export holds a secret: %q", secret)
		}
	}
}

func TestCertificateAuthorityFromEarningCohort(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	earner, earnerUser := e.signedIn(t, account.RoleTrainer, "earner@kalan.test", "Oumar Diallo")
	later, laterUser := e.signedIn(t, account.RoleTrainer, "later@kalan.test", "Sali Sidibé")
	first := newCohort(t, e, earnerUser, "Mopti")
	c, u := signedInMember(t, e, "awa@kalan.test", "Awa Traoré", first)
	serial := passQuizzed(t, e, c, u.ID)
	// The holder joins another trainer's cohort of the same course afterwards.
	if err := e.store.AddCohort(ctx, u.ID, newCohort(t, e, laterUser, "Gao").ID); err != nil {
		t.Fatal(err)
	}
	if r := later.get(t, "/certificates/"+serial+".pdf"); r.StatusCode != http.StatusForbidden {
		t.Errorf("a later cohort's trainer downloads the PDF: %d", r.StatusCode)
	}
	if r := later.post(t, "/trainer/certificates/"+serial+"/revoke", url.Values{"reason": {"Pourquoi pas"}}); r.StatusCode != http.StatusForbidden {
		t.Errorf("a later cohort's trainer revokes: %d", r.StatusCode)
	}
	if v := verify(t, e, serial); v.Status != "valid" {
		t.Errorf("revoked by a trainer without authority: %+v", v)
	}
	if r := earner.get(t, "/certificates/"+serial+".pdf"); r.StatusCode != http.StatusOK {
		t.Errorf("the earning cohort's trainer: PDF %d", r.StatusCode)
	}

	// A certificate stored before the cohorts were recorded: only a cohort
	// that existed when it was issued gives authority.
	t.Run("legacy", func(t *testing.T) {
		old, oldUser := e.signedIn(t, account.RoleTrainer, "old@kalan.test", "Mariam Coulibaly")
		before := newCohort(t, e, oldUser, "Sikasso")
		holder := e.user(t, account.RoleTrainee, "kadi@kalan.test", "Kadi Traoré")
		if err := e.store.AddCohort(ctx, holder.ID, before.ID); err != nil {
			t.Fatal(err)
		}
		course, _ := e.catalog.Lookup(quizzed)
		holder.Progress = map[string]account.CourseProgress{quizzed: {Certificate: certificate.NewSerial(), CompletedAt: time.Now()}}
		key, err := certificate.NewKey()
		if err != nil {
			t.Fatal(err)
		}
		legacy := training.NewCertificate(training.Signer{Key: key, Issuer: "Kalan", Labels: func(_, id string, _ map[string]any) string { return id }},
			holder, course, time.Now())
		if err := e.store.CreateCertificates(ctx, []*training.Certificate{legacy}); err != nil {
			t.Fatal(err)
		}
		newer, newerUser := e.signedIn(t, account.RoleTrainer, "newer@kalan.test", "Bakary Keita")
		if err := e.store.AddCohort(ctx, holder.ID, newCohort(t, e, newerUser, "Tombouctou").ID); err != nil {
			t.Fatal(err)
		}
		if r := old.get(t, "/certificates/"+legacy.Serial+".pdf"); r.StatusCode != http.StatusOK {
			t.Errorf("the trainer of a cohort older than the legacy certificate: %d", r.StatusCode)
		}
		if r := newer.get(t, "/certificates/"+legacy.Serial+".pdf"); r.StatusCode != http.StatusForbidden {
			t.Errorf("the trainer of a cohort newer than the legacy certificate: %d", r.StatusCode)
		}
	})
}

func TestPassingAgainAfterRevocationIssuesNewSerial(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	admin, adminUser := e.signedIn(t, account.RoleAdmin, "admin@kalan.test", "Ibrahim Coulibaly")
	c, u := signedInMember(t, e, "awa@kalan.test", "Awa Traoré")
	old := passQuizzed(t, e, c, u.ID)
	if r := admin.post(t, "/trainer/certificates/"+old+"/revoke", url.Values{"reason": {"Triche"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("revoke: %d", r.StatusCode)
	}
	// Completing a lesson again undoes nothing.
	c.post(t, lessonPath(quizzed, "only")+"/complete", nil)
	if got := mustSerial(t, e, u.ID, quizzed); got != old {
		t.Fatalf("a lesson completed again replaced the revoked certificate: %s", got)
	}

	// The second attempt, submitted by several requests at once.
	f := readQuiz(t, c.get(t, "/courses/"+quizzed+"/quiz"))
	form := answers(t, e, quizzed, f, true)
	form.Set("_csrf", c.csrf(t))
	var wg sync.WaitGroup
	for range 6 {
		wg.Add(1)
		tab := &client{e: e, cookies: maps.Clone(c.cookies), headers: map[string]string{}}
		go func() {
			defer wg.Done()
			if r := tab.post(t, "/courses/"+quizzed+"/quiz", form); r.StatusCode != http.StatusSeeOther {
				t.Errorf("parallel submit: %d", r.StatusCode)
			}
		}()
	}
	wg.Wait()
	renewed := mustSerial(t, e, u.ID, quizzed)
	if renewed == old {
		t.Fatalf("passing again after the revocation kept the revoked serial %s", old)
	}
	if v := verify(t, e, old); v.Status != "revoked" || v.Reason != "Triche" {
		t.Errorf("the revoked certificate: %+v", v)
	}
	if v := verify(t, e, renewed); v.Status != "valid" {
		t.Errorf("the new certificate: %+v", v)
	}
	fresh, err := e.store.UserByID(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if certs, err := e.training.CertificatesOf(ctx, fresh); err != nil || len(certs) != 2 {
		t.Errorf("certificates of the trainee: %d, %v", len(certs), err)
	}

	// A pass recorded but not yet issued (a request cut in between), then
	// many requests issuing at once: one new serial.
	t.Run("concurrent issuing", func(t *testing.T) {
		c2, u2 := signedInMember(t, e, "kadi@kalan.test", "Kadi Traoré")
		first := passQuizzed(t, e, c2, u2.ID)
		cert, err := e.store.CertificateBySerial(ctx, first)
		if err != nil {
			t.Fatal(err)
		}
		if err := e.training.Revoke(ctx, adminUser, cert, "Erreur", "127.0.0.1"); err != nil {
			t.Fatal(err)
		}
		holder, err := e.store.UserByID(ctx, u2.ID)
		if err != nil {
			t.Fatal(err)
		}
		course, _ := e.catalog.Lookup(quizzed)
		a, err := e.training.StartOrResume(ctx, holder, course, "fr")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.store.FinishAttempt(ctx, a.ID, learning.Answers{}, learning.Result{Score: 100, Passed: true}, time.Now()); err != nil {
			t.Fatal(err)
		}
		serials := make([]string, 8)
		var wg sync.WaitGroup
		for i := range serials {
			wg.Add(1)
			go func() {
				defer wg.Done()
				cert, err := e.training.IssueIfComplete(ctx, u2.ID, course)
				if err != nil || cert == nil {
					t.Errorf("issue: %v %v", cert, err)
					return
				}
				serials[i] = cert.Serial
			}()
		}
		wg.Wait()
		for _, s := range serials {
			if s != serials[0] || s == first {
				t.Fatalf("concurrent issuing gave %v (revoked: %s)", serials, first)
			}
		}
		if v := verify(t, e, first); v.Status != "revoked" {
			t.Errorf("the first certificate: %+v", v)
		}
	})
}

// qrQuery is the query of a certificate's QR code.
func qrQuery(t *testing.T, payload, sig []byte) string {
	t.Helper()
	u, err := url.Parse(certificate.QRContent("http://kalan.test", payload, sig))
	if err != nil {
		t.Fatal(err)
	}
	return u.RawQuery
}

func TestVerifyChecksTheQRCode(t *testing.T) {
	e := newEnv(t)
	c, u := signedInMember(t, e, "awa@kalan.test", "Awa Traoré")
	serial := passQuizzed(t, e, c, u.ID)
	v := verify(t, e, serial)
	forged := bytes.Replace(v.Payload, []byte("Awa Traoré"), []byte("Awa Traore"), 1)
	b64 := base64.RawURLEncoding.EncodeToString
	cases := []struct {
		name, query string
		altered     bool
	}{
		{"genuine", qrQuery(t, v.Payload, v.Signature), false},
		{"name changed", qrQuery(t, forged, v.Signature), true},
		{"signature changed", "p=" + b64(v.Payload) + "&s=" + b64(bytes.Repeat([]byte{7}, 64)), true},
		{"not base64", "p=%%%&s=***", true},
		{"payload only", "p=" + b64(v.Payload), true},
		{"empty", "p=&s=", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, lang := range []string{"fr", "en", "bm"} {
				r := e.get(t, "/verify/"+certificate.FormatSerial(serial)+"?lang="+lang+"&"+tc.query)
				if r.StatusCode >= 500 {
					t.Fatalf("%d", r.StatusCode)
				}
				box := r.doc(t).Find(`[data-qr="altered"]`)
				if tc.altered != (box.Length() == 1) {
					t.Errorf("%s: altered box shown = %v", lang, box.Length() == 1)
				}
				if tc.altered && !strings.Contains(box.Text(), e.t(lang, "verify.altered", nil)) {
					t.Errorf("%s: %q", lang, box.Text())
				}
			}
			r := e.get(t, "/verify/"+serial+"?"+tc.query, "Accept", "application/json")
			var got struct{ Status, QR string }
			if err := json.Unmarshal(r.body, &got); err != nil {
				t.Fatal(err)
			}
			if tc.altered && (got.Status == "valid" || got.QR != "altered") || !tc.altered && (got.Status != "valid" || got.QR != "genuine") {
				t.Errorf("JSON: %s", r.body)
			}
		})
	}
	// The signed statement of another certificate, under this serial.
	c2, u2 := signedInMember(t, e, "kadi2@kalan.test", "Kadi Traoré")
	v2 := verify(t, e, passQuizzed(t, e, c2, u2.ID))
	if r := e.get(t, "/verify/"+serial+"?"+qrQuery(t, v2.Payload, v2.Signature)); r.doc(t).Find(`[data-qr="altered"]`).Length() != 1 {
		t.Error("another certificate's statement under this serial is not reported")
	}
}

func TestSerialsAsTyped(t *testing.T) {
	e := newEnv(t)
	admin, _ := e.signedIn(t, account.RoleAdmin, "admin@kalan.test", "Ibrahim Coulibaly")
	c, u := signedInMember(t, e, "awa@kalan.test", "Awa Traoré")
	serial := passQuizzed(t, e, c, u.ID)
	formatted := certificate.FormatSerial(serial)
	typed := strings.ToLower(strings.ReplaceAll(formatted, "-", " ")) // "7qx 4m2 paq"
	for _, s := range []string{typed, " " + strings.ToLower(formatted), strings.ReplaceAll(formatted, "-", "–")} {
		if v := verify(t, e, url.PathEscape(s)); v.Status != "valid" {
			t.Errorf("/verify/%q: %+v", s, v)
		}
	}
	if r := c.get(t, "/certificates/"+url.PathEscape(typed)+".pdf"); r.StatusCode != http.StatusOK {
		t.Errorf("PDF by a typed serial: %d", r.StatusCode)
	}
	if r := admin.post(t, "/trainer/certificates/"+url.PathEscape(typed)+"/revoke", url.Values{"reason": {"Erreur"}}); r.StatusCode != http.StatusSeeOther {
		t.Errorf("revoke by a typed serial: %d", r.StatusCode)
	}
	if v := verify(t, e, serial); v.Status != "revoked" {
		t.Errorf("after revoking by a typed serial: %+v", v)
	}
}

// FuzzVerify sends anything as the serial and the QR code's payload and
// signature: never a 500, never "valid" for what was not issued.
func FuzzVerify(f *testing.F) {
	e := newEnv(f)
	f.Add("7qx 4m2 paq", "eyJ2IjoxfQ", "AAAA")
	f.Add("%", "%%%", "")
	f.Add(strings.Repeat("Z", 300), strings.Repeat("A", 2000), "=")
	f.Fuzz(func(t *testing.T, serial, p, s string) {
		target := "/verify/" + url.PathEscape(serial) + "?p=" + url.QueryEscape(p) + "&s=" + url.QueryEscape(s)
		if len(target) > 3500 { // past the server's header buffer: refused before any handler
			return
		}
		for _, accept := range []string{"text/html", "application/json"} {
			r := e.get(t, target, "Accept", accept)
			if r.StatusCode >= 500 {
				t.Fatalf("GET %s: %d", target, r.StatusCode)
			}
			if accept == "application/json" && bytes.Contains(r.body, []byte(`"valid"`)) {
				t.Fatalf("GET %s: %s", target, r.body)
			}
		}
	})
}
