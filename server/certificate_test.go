package server_test

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/kalan-platform/kalan/server/account"
	"github.com/kalan-platform/kalan/server/audit"
	"github.com/kalan-platform/kalan/server/certificate"
	"github.com/kalan-platform/kalan/server/cohort"
	"github.com/kalan-platform/kalan/server/testenv"
)

const bambaraName = "Fanta Kɔnɛ Ɲuman Ŋara"

// completeBasics takes a trainee through course 1: every lesson, one
// failed attempt, then a pass. It returns the certificate's serial.
func completeBasics(t *testing.T, e *env, c *client) string {
	t.Helper()
	course, _ := e.catalog.Lookup(basics)
	for _, l := range course.Def.Lessons {
		if r := c.post(t, lessonPath(basics, l.ID)+"/complete", nil); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("complete %s: %d", l.ID, r.StatusCode)
		}
	}
	f := readQuiz(t, c.get(t, "/courses/"+basics+"/quiz"))
	r := c.post(t, "/courses/"+basics+"/quiz", answers(t, e, basics, f, false))
	failed := c.get(t, r.Header.Get("Location")).doc(t)
	if failed.Find("[data-passed]").AttrOr("data-passed", "") != "false" || failed.Find(`a.button[href$="/quiz"]`).Length() == 0 {
		t.Fatalf("a failed attempt: no 'try again'")
	}
	if failed.Find(".verdict a").Length() == 0 {
		t.Error("the results of a failed attempt point to no lesson to review")
	}
	f = readQuiz(t, c.get(t, "/courses/"+basics+"/quiz"))
	r = c.post(t, "/courses/"+basics+"/quiz", answers(t, e, basics, f, true))
	passed := c.get(t, r.Header.Get("Location")).doc(t)
	href := passed.Find(`a.button[href^="/certificates/"]`).AttrOr("href", "")
	if passed.Find("[data-passed]").AttrOr("data-passed", "") != "true" || href == "" {
		t.Fatalf("a passed attempt: no certificate link")
	}
	return strings.TrimSuffix(strings.TrimPrefix(href, "/certificates/"), ".pdf")
}

func lessonPath(slug, id string) string { return "/courses/" + slug + "/lessons/" + id }

func TestCertificateIssuedVerifiedAndRevoked(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	trainer, trainerUser := e.signedIn(t, account.RoleTrainer, "trainer@kalan.test", "Oumar Diallo")
	co, _, err := e.cohorts.Create(ctx, trainerUser, cohort.Form{Name: "Ségou", Courses: []string{basics}, Region: "segou",
		Organisation: "police", Starts: "2027-03-01", Ends: "2027-03-31"}, e.publishedSlug, "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	u, _, err := e.auth.Create(ctx, authAccount("fanta@kalan.test", bambaraName, "bm"), e.locales.Supported)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.store.AddCohort(ctx, u.ID, co.ID); err != nil {
		t.Fatal(err)
	}
	c := e.client()
	c.signIn(t, "fanta@kalan.test", testPassword)
	serial := completeBasics(t, e, c)

	// Issued once: completing a lesson again changes nothing.
	c.post(t, lessonPath(basics, "indicators")+"/complete", nil)
	if got := mustSerial(t, e, u.ID, basics); got != serial {
		t.Errorf("a second certificate: %s, then %s", serial, got)
	}
	if p := c.get(t, "/courses/"+basics).doc(t).Find("progress").AttrOr("value", ""); p != "100" {
		t.Errorf("course progress = %s %%, want 100", p)
	}

	// The PDF: real text, the name with its Bambara letters, the serial, the title in Bambara.
	r := c.get(t, "/certificates/"+serial+".pdf")
	if r.StatusCode != http.StatusOK || r.Header.Get("Content-Type") != "application/pdf" {
		t.Fatalf("PDF: %d %s", r.StatusCode, r.Header.Get("Content-Type"))
	}
	text := squash(testenv.PDFText(t, r.body))
	course, _ := e.catalog.Lookup(basics)
	for _, want := range []string{bambaraName, certificate.FormatSerial(serial), squash(course.Def.Title["bm"])} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF text lacks %q:\n%s", want, text)
		}
	}
	// Nobody else's business.
	nosy, _ := e.signedIn(t, account.RoleTrainee, "nosy@kalan.test", "Nosy Person")
	if r := nosy.get(t, "/certificates/"+serial+".pdf"); r.StatusCode != http.StatusForbidden {
		t.Errorf("another trainee's request for the PDF: %d", r.StatusCode)
	}
	if r := trainer.get(t, "/certificates/"+serial+".pdf"); r.StatusCode != http.StatusOK {
		t.Errorf("the cohort's trainer's request for the PDF: %d", r.StatusCode)
	}

	// /verify as JSON, checked offline with only the public key.
	v := verify(t, e, certificate.FormatSerial(serial))
	if v.Status != "valid" || v.Holder != bambaraName {
		t.Fatalf("verify = %+v", v)
	}
	pemKey := e.get(t, "/certificates/key.pem").body
	pub, err := certificate.DecodePublicKey(pemKey)
	if err != nil {
		t.Fatal(err)
	}
	stated, err := certificate.Verify(pub, v.Payload, v.Signature)
	if err != nil || stated.Holder != bambaraName || stated.Serial != serial {
		t.Errorf("offline verification: %+v, %v", stated, err)
	}
	if ed25519.Verify(pub, append(v.Payload, ' '), v.Signature) {
		t.Error("a changed statement still verifies")
	}
	// The page, in the reader's language.
	page := e.get(t, "/verify/"+strings.ToLower(serial)+"?lang=fr").doc(t)
	if page.Find("[data-status]").AttrOr("data-status", "") != "valid" || !strings.Contains(page.Text(), bambaraName) {
		t.Errorf("verify page: %q", page.Find("[data-status]").Text())
	}

	// Revoked by the cohort's trainer, with a reason: at once on /verify and on the PDF.
	if r := trainer.post(t, "/trainer/certificates/"+serial+"/revoke", url.Values{"reason": {""}}); r.StatusCode != http.StatusBadRequest {
		t.Errorf("revoke without a reason: %d", r.StatusCode)
	}
	if r := trainer.post(t, "/trainer/certificates/"+serial+"/revoke", url.Values{"reason": {"Identité usurpée"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("revoke: %d", r.StatusCode)
	}
	v = verify(t, e, serial)
	if v.Status != "revoked" || v.Reason != "Identité usurpée" || v.RevokedAt == "" {
		t.Errorf("after revocation: %+v", v)
	}
	entries, err := e.store.Audit(ctx, audit.Filter{Action: audit.CertificateRevoked, Limit: 5})
	if err != nil || len(entries) != 1 || entries[0].ActorID != trainerUser.ID || entries[0].Details["reason"] != "Identité usurpée" {
		t.Errorf("audit of the revocation: %+v, %v", entries, err)
	}
	if text := squash(testenv.PDFText(t, c.get(t, "/certificates/"+serial+".pdf").body)); !strings.Contains(text, "Identité usurpée") {
		t.Errorf("the revoked PDF does not say so:\n%s", text)
	}
}

func TestVerifyUnknownSerials(t *testing.T) {
	e := newEnv(t)
	for _, serial := range []string{"AAA-AAA-AAA", "7QX-4M2-PAX", "../../etc/passwd", "%00", strings.Repeat("Z", 300), certificate.FormatSerial(certificate.NewSerial())} {
		if v := verify(t, e, url.PathEscape(serial)); v.Status != "unknown" {
			t.Errorf("%q: %+v", serial, v)
		}
		if r := e.get(t, "/verify/"+url.PathEscape(serial)); r.StatusCode != http.StatusNotFound && r.StatusCode >= 500 {
			t.Errorf("%q page: %d", serial, r.StatusCode)
		}
	}
}

type verifyResult struct {
	Status, Holder, Reason, RevokedAt string `json:",omitempty"`
	Payload, Signature                []byte
}

func verify(t *testing.T, e *env, serial string) verifyResult {
	t.Helper()
	r := e.get(t, "/verify/"+serial, "Accept", "application/json")
	var v struct {
		Status    string `json:"status"`
		Holder    string `json:"holder"`
		Reason    string `json:"reason"`
		RevokedAt string `json:"revoked_at"`
		Payload   []byte `json:"payload"`
		Signature []byte `json:"signature"`
	}
	if err := json.Unmarshal(r.body, &v); err != nil {
		t.Fatalf("verify %s: %v (%d %s)", serial, err, r.StatusCode, r.body)
	}
	return verifyResult{Status: v.Status, Holder: v.Holder, Reason: v.Reason, RevokedAt: v.RevokedAt, Payload: v.Payload, Signature: v.Signature}
}

// squash collapses whitespace, as pdftotext breaks lines where the layout does.
func squash(s string) string { return strings.Join(strings.Fields(s), " ") }
