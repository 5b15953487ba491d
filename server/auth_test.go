package server_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kalan-platform/kalan/server/account"
	"github.com/kalan-platform/kalan/server/auth"
	"github.com/kalan-platform/kalan/server/session"
)

func sessionCookie(r response) *http.Cookie {
	for _, c := range r.Cookies() {
		if c.Name == "kalan_session" {
			return c
		}
	}
	return nil
}

func TestSignInWithEmailOrPhone(t *testing.T) {
	e := newEnv(t)
	e.user(t, account.RoleTrainee, "Awa.Traore@Example.ML", "Awa Traoré")
	e.user(t, account.RoleTrainee, "76 12 34 56", "Seydou Kɔnɛ")
	for _, login := range []string{"awa.traore@example.ml", " AWA.TRAORE@example.ml ", "+223 76 12 34 56", "76123456", "0022376123456"} {
		c := e.client()
		r := c.post(t, "/login", url.Values{"login": {login}, "password": {testPassword}, "next": {"/courses"}})
		if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/courses" {
			t.Errorf("sign in as %q = %d to %q", login, r.StatusCode, r.Header.Get("Location"))
			continue
		}
		ck := sessionCookie(r)
		if ck == nil || !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.MaxAge != 0 || ck.Secure {
			t.Errorf("session cookie %+v: want HttpOnly, SameSite=Lax, a browser-session cookie, not Secure over http", ck)
		}
		// Every page then says who is signed in, with a one-tap sign-out.
		d := c.get(t, "/courses?lang=fr").doc(t)
		if !strings.Contains(d.Find("form.who").Text(), e.t("fr", "nav.not_you", nil)) {
			t.Errorf("no 'not you? sign out' for %q", login)
		}
		if action, _ := d.Find("form.who").Attr("action"); action != "/logout" {
			t.Errorf("sign-out form posts to %q", action)
		}
	}
}

func TestWrongPasswordAndUnknownAccountLookAlike(t *testing.T) {
	e := newEnv(t)
	e.user(t, account.RoleTrainee, "awa@kalan.test", "Awa Traoré")
	wrong := e.client().post(t, "/login?lang=en", url.Values{"login": {"awa@kalan.test"}, "password": {"not-her-password"}})
	unknown := e.client().post(t, "/login?lang=en", url.Values{"login": {"nobody@kalan.test"}, "password": {"not-her-password"}})
	garbage := e.client().post(t, "/login?lang=en", url.Values{"login": {"<script>"}, "password": {""}})
	want := e.t("en", "login.wrong", nil)
	for name, r := range map[string]response{"wrong password": wrong, "unknown account": unknown, "malformed login": garbage} {
		if r.StatusCode != http.StatusUnauthorized || r.doc(t).Find("p.error").Text() != want || sessionCookie(r) != nil {
			t.Errorf("%s: %d %q", name, r.StatusCode, r.doc(t).Find("p.error").Text())
		}
	}
}

func TestRememberMeAndSecureCookies(t *testing.T) {
	e := newEnv(t)
	e.user(t, account.RoleTrainee, "awa@kalan.test", "Awa Traoré")
	r := e.client().post(t, "/login", url.Values{"login": {"awa@kalan.test"}, "password": {testPassword}, "remember": {"on"}})
	if ck := sessionCookie(r); ck == nil || ck.MaxAge < 30*24*3600 {
		t.Errorf("remember me: cookie %+v, want a persistent cookie", ck)
	}
}

func TestSignOutAndTamperedCookies(t *testing.T) {
	e := newEnv(t)
	c, _ := e.signedIn(t, account.RoleTrainee, "awa@kalan.test", "Awa Traoré")
	token := c.cookies["kalan_session"]
	r := c.post(t, "/logout", nil)
	if r.StatusCode != http.StatusSeeOther || c.cookies["kalan_session"] != "" {
		t.Fatalf("sign out: %d, cookie %q", r.StatusCode, c.cookies["kalan_session"])
	}
	if _, err := e.store.Session(context.Background(), account.HashToken(token)); err == nil {
		t.Error("the session is still in the database after signing out")
	}
	// The old token, a forged one and garbage all mean "signed out".
	for _, bad := range []string{token, strings.Repeat("A", 43), "garbage", "%00%ff", strings.Repeat("x", 4000)} {
		c := e.client()
		c.cookies["kalan_session"] = bad
		r := c.get(t, "/account")
		if r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/login") {
			t.Errorf("cookie %.20q: /account = %d to %q", bad, r.StatusCode, r.Header.Get("Location"))
		}
		if r := c.get(t, "/"); r.StatusCode != http.StatusOK {
			t.Errorf("cookie %.20q: home = %d", bad, r.StatusCode)
		}
	}
}

func TestExpiredSessionSignsOut(t *testing.T) {
	e := newEnv(t)
	c, _ := e.signedIn(t, account.RoleTrainee, "awa@kalan.test", "Awa Traoré")
	id := account.HashToken(c.cookies["kalan_session"])
	past := time.Now().Add(-time.Minute)
	if err := e.store.TouchSession(context.Background(), id, past.Add(-time.Hour), past); err != nil {
		t.Fatal(err)
	}
	if r := c.get(t, "/account"); r.StatusCode != http.StatusSeeOther {
		t.Errorf("expired session: /account = %d, want a redirect to sign in", r.StatusCode)
	}
	if n, err := e.store.Sweep(context.Background(), time.Now()); err != nil || n != 0 {
		t.Errorf("sweep after lookup: %d, %v (the lookup already deleted it)", n, err)
	}
}

func TestSweepDeletesExpiredSessions(t *testing.T) {
	e := newEnv(t)
	u := e.user(t, account.RoleTrainee, "awa@kalan.test", "Awa Traoré")
	now := time.Now().UTC()
	for i, expires := range []time.Time{now.Add(-time.Hour), now.Add(-time.Second), now.Add(time.Hour)} {
		s := session.Session{ID: "s" + strconv.Itoa(i), UserID: u.ID, CreatedAt: now.Add(-2 * time.Hour), LastSeen: now, ExpiresAt: expires}
		if err := e.store.CreateSession(context.Background(), s); err != nil {
			t.Fatal(err)
		}
	}
	n, err := e.store.Sweep(context.Background(), now)
	if err != nil || n != 2 {
		t.Errorf("sweep = %d, %v; want the 2 expired sessions", n, err)
	}
	if _, err := e.store.Session(context.Background(), "s2"); err != nil {
		t.Errorf("the live session was swept: %v", err)
	}
}

// Sessions live in the database: they survive a restart and work on a
// second instance sharing it.
func TestSessionsAcrossRestartAndInstances(t *testing.T) {
	first := newEnv(t)
	c, _ := first.signedIn(t, account.RoleTrainee, "awa@kalan.test", "Awa Traoré")
	token := c.cookies["kalan_session"]
	// A second application on the same database: another instance, or the
	// same one after a restart (nothing of the session is in memory).
	second := newEnvSameStore(t, first)
	c.e = second
	if r := c.get(t, "/account"); r.StatusCode != http.StatusOK || !strings.Contains(string(r.body), "awa@kalan.test") {
		t.Fatalf("the session does not work on the second instance: %d", r.StatusCode)
	}
	// Signing out on one instance signs out on the other.
	c.post(t, "/logout", nil)
	back := first.client()
	back.cookies["kalan_session"] = token
	if r := back.get(t, "/account"); r.StatusCode != http.StatusSeeOther {
		t.Errorf("signed out on the second instance, still signed in on the first: %d", r.StatusCode)
	}
}

func TestSignOutEverywhere(t *testing.T) {
	e := newEnv(t)
	phone, _ := e.signedIn(t, account.RoleTrainee, "awa@kalan.test", "Awa Traoré")
	laptop := e.client()
	laptop.signIn(t, "awa@kalan.test", testPassword)
	if r := laptop.post(t, "/account/sessions/end", nil); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign out everywhere: %d", r.StatusCode)
	}
	if r := phone.get(t, "/account"); r.StatusCode != http.StatusSeeOther {
		t.Errorf("the other session still works: %d", r.StatusCode)
	}
	if r := laptop.get(t, "/account"); r.StatusCode != http.StatusOK {
		t.Errorf("the current session was ended too: %d", r.StatusCode)
	}
}

func TestCSRF(t *testing.T) {
	e := newEnv(t)
	c, _ := e.signedIn(t, account.RoleTrainee, "awa@kalan.test", "Awa Traoré")
	form := func(token string) url.Values {
		return url.Values{"_csrf": {token}, "name": {"Awa T."}, "organisation": {"ngo"}, "region": {"kayes"}, "lang": {"en"}}
	}
	for name, token := range map[string]string{"missing": "", "forged": strings.Repeat("B", 43), "other user's": e.client().csrf(t)} {
		r := c.post(t, "/account", form(token))
		if r.StatusCode != http.StatusForbidden {
			t.Errorf("%s token: %d, want 403", name, r.StatusCode)
		}
	}
	if u, _ := e.store.UserByLogin(context.Background(), "awa@kalan.test"); u.Name != "Awa Traoré" {
		t.Errorf("a forged request changed the profile: %q", u.Name)
	}
	// A page of another site posting with the right token (stolen how?) is
	// still refused by its Origin.
	c.headers["Origin"] = "https://evil.example"
	if r := c.post(t, "/account", form(c.csrf(t))); r.StatusCode != http.StatusForbidden {
		t.Errorf("foreign origin: %d, want 403", r.StatusCode)
	}
	delete(c.headers, "Origin")
	// The header works for JSON clients; the field for forms.
	c.headers["X-CSRF-Token"] = c.csrf(t)
	if r := c.post(t, "/account", form("")); r.StatusCode != http.StatusSeeOther {
		t.Errorf("token in the header: %d, want 303", r.StatusCode)
	}
	delete(c.headers, "X-CSRF-Token")
	if r := c.post(t, "/account", form(c.csrf(t))); r.StatusCode != http.StatusSeeOther {
		t.Errorf("token in the form: %d, want 303", r.StatusCode)
	}
	// Signing in or out gives a new token: one planted before is worthless.
	before := c.csrf(t)
	c.post(t, "/logout", nil)
	if after := c.csrf(t); after == before || after == "" {
		t.Error("the CSRF token did not change when signing out")
	}
	// Signing in needs the token too (login CSRF).
	if r := e.client().post(t, "/login", url.Values{"_csrf": {""}, "login": {"awa@kalan.test"}, "password": {testPassword}}); r.StatusCode != http.StatusForbidden {
		t.Errorf("sign-in without a token: %d", r.StatusCode)
	}
}

func TestLoginRateLimit(t *testing.T) {
	e := newEnv(t)
	e.user(t, account.RoleTrainee, "awa@kalan.test", "Awa Traoré")
	attacker := e.client()
	for i := 0; i < auth.PairRule.Max; i++ {
		r := attacker.post(t, "/login", url.Values{"login": {"awa@kalan.test"}, "password": {"guess-" + strconv.Itoa(i)}})
		if r.StatusCode != http.StatusUnauthorized {
			t.Fatalf("attempt %d: %d", i, r.StatusCode)
		}
	}
	r := attacker.post(t, "/login?lang=en", url.Values{"login": {"awa@kalan.test"}, "password": {testPassword}})
	if r.StatusCode != http.StatusTooManyRequests || sessionCookie(r) != nil {
		t.Fatalf("after %d failures, even the right password: %d", auth.PairRule.Max, r.StatusCode)
	}
	retry, err := strconv.Atoi(r.Header.Get("Retry-After"))
	// The estimate weighs the previous window too: until it drops under the
	// limit can take up to two windows, depending on where in the window
	// the failures fell.
	if err != nil || retry < 60 || retry > 2*int(auth.PairRule.Window.Seconds())+60 {
		t.Errorf("Retry-After = %q", r.Header.Get("Retry-After"))
	}
	if msg := r.doc(t).Find("p.error").Text(); !strings.Contains(msg, "minutes") {
		t.Errorf("the message does not say when to retry: %q", msg)
	}
	// The limit holds across a restart: the counts are in the database.
	again := newEnvSameStore(t, e).client()
	if r := again.post(t, "/login", url.Values{"login": {"awa@kalan.test"}, "password": {testPassword}}); r.StatusCode != http.StatusTooManyRequests {
		t.Errorf("after a restart: %d, want 429", r.StatusCode)
	}
	// Another account is not locked by this one.
	e.user(t, account.RoleTrainee, "seydou@kalan.test", "Seydou Kɔnɛ")
	e.client().signIn(t, "seydou@kalan.test", testPassword)
}

// A guesser spraying many accounts from one address is stopped by the
// address's limit, while the accounts' owners elsewhere still get in.
func TestLoginRateLimitPerAddress(t *testing.T) {
	e := proxiedEnv(t)
	e.user(t, account.RoleTrainee, "awa@kalan.test", "Awa Traoré")
	guesses := make(chan int)
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := e.from("196.200.1.7")
			for i := range guesses {
				// A different account each time: only the address adds up.
				if r := c.post(t, "/login", url.Values{"login": {"user" + strconv.Itoa(i) + "@kalan.test"}, "password": {"guess"}}); r.StatusCode != http.StatusUnauthorized {
					t.Errorf("guess %d: %d, want 401", i, r.StatusCode)
				}
			}
		}()
	}
	for i := range auth.AddressRule.Max {
		guesses <- i
	}
	close(guesses)
	wg.Wait()
	if r := e.from("196.200.1.7").post(t, "/login", url.Values{"login": {"awa@kalan.test"}, "password": {testPassword}}); r.StatusCode != http.StatusTooManyRequests {
		t.Errorf("after %d failures from one address: %d, want 429", auth.AddressRule.Max, r.StatusCode)
	}
	e.from("41.73.100.20").signIn(t, "awa@kalan.test", testPassword)
}

func TestPasswordChange(t *testing.T) {
	e := newEnv(t)
	c, _ := e.signedIn(t, account.RoleTrainee, "awa@kalan.test", "Awa Traoré")
	other := e.client()
	other.signIn(t, "awa@kalan.test", testPassword)
	tests := []struct {
		current, next, confirm, field, id string
	}{
		{"wrong-password-9", "paper-canoe-violet-77", "paper-canoe-violet-77", "#current", "form.password.wrong"},
		{testPassword, "short", "short", "#new-password", "form.password.short"},
		{testPassword, "azerty123456", "azerty123456", "#new-password", "form.password.common"},
		{testPassword, "paper-canoe-violet-77", "paper-canoe-violet-78", "#new-password", "form.password.mismatch"},
	}
	for _, tt := range tests {
		r := c.post(t, "/account/password?lang=en", url.Values{"current": {tt.current}, "password": {tt.next}, "password_confirm": {tt.confirm}})
		if r.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: %d, want 400", tt.id, r.StatusCode)
			continue
		}
		if got := r.doc(t).Find(tt.field + " ~ .error").First().Text(); !strings.HasPrefix(got, strings.Split(e.t("en", tt.id, map[string]any{"Min": account.MinPasswordLength}), " ")[0]) {
			t.Errorf("%s: message %q", tt.id, got)
		}
	}
	r := c.post(t, "/account/password", url.Values{"current": {testPassword}, "password": {"paper-canoe-violet-77"}, "password_confirm": {"paper-canoe-violet-77"}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("change: %d", r.StatusCode)
	}
	if r := other.get(t, "/account"); r.StatusCode != http.StatusSeeOther {
		t.Errorf("another session survived the password change: %d", r.StatusCode)
	}
	if r := c.get(t, "/account"); r.StatusCode != http.StatusOK {
		t.Errorf("the session that changed the password was ended: %d", r.StatusCode)
	}
	e.client().signIn(t, "awa@kalan.test", "paper-canoe-violet-77")
}

func TestOneTimePasswordMustBeReplaced(t *testing.T) {
	e := newEnv(t)
	u, oneTime, err := e.auth.Create(context.Background(), auth.NewAccount{Login: "70 00 00 01", Name: "Kadiatou Sangaré", Role: account.RoleTrainee,
		Profile: account.Profile{Organisation: "ngo", Region: "mopti", Lang: "bm"}}, e.locales.Supported)
	if err != nil || oneTime == "" || u.PasswordHash != "" {
		t.Fatalf("create with a one-time password: %v", err)
	}
	c := e.client()
	// Typed with spaces and capitals, as from a sheet of paper.
	r := c.post(t, "/login", url.Values{"login": {"70000001"}, "password": {strings.ToUpper(strings.ReplaceAll(oneTime, "-", " "))}})
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/account#password" {
		t.Fatalf("sign in with the one-time password: %d to %q", r.StatusCode, r.Header.Get("Location"))
	}
	if r := c.get(t, "/courses"); r.StatusCode != http.StatusOK {
		t.Errorf("public pages stay readable: %d", r.StatusCode)
	}
	if r := c.get(t, "/account/export"); r.StatusCode != http.StatusSeeOther {
		t.Errorf("before choosing a password, account pages lead to the password form: %d", r.StatusCode)
	}
	if r := c.post(t, "/account/password", url.Values{"password": {"mango-desk-river-1985"}, "password_confirm": {"mango-desk-river-1985"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("choose a password: %d\n%s", r.StatusCode, r.body)
	}
	if r := e.client().post(t, "/login", url.Values{"login": {"70000001"}, "password": {oneTime}}); r.StatusCode != http.StatusUnauthorized {
		t.Errorf("the one-time password still works: %d", r.StatusCode)
	}
	e.client().signIn(t, "70000001", "mango-desk-river-1985")
}

func TestResetLinkWorksOnce(t *testing.T) {
	e := newEnv(t)
	adminClient, _ := e.signedIn(t, account.RoleAdmin, "admin@kalan.test", "Ibrahim Coulibaly")
	u := e.user(t, account.RoleTrainee, "awa@kalan.test", "Awa Traoré")
	victim := e.client()
	victim.signIn(t, "awa@kalan.test", testPassword)
	r := adminClient.post(t, "/admin/users/"+u.ID+"/reset", nil)
	link, _ := r.doc(t).Find("[data-reset-link] code").Html()
	if r.StatusCode != http.StatusOK || !strings.HasPrefix(link, "http://kalan.test/reset/") || r.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("issue a reset link: %d %q", r.StatusCode, link)
	}
	path := strings.TrimPrefix(link, "http://kalan.test")
	c := e.client()
	if r := c.get(t, path); r.StatusCode != http.StatusOK || !strings.Contains(string(r.body), "Awa Traoré") {
		t.Fatalf("open the link: %d", r.StatusCode)
	}
	if r := c.post(t, path, url.Values{"password": {"weak"}, "password_confirm": {"weak"}}); r.StatusCode != http.StatusBadRequest {
		t.Errorf("weak password on the reset page: %d", r.StatusCode)
	}
	if r := c.post(t, path, url.Values{"password": {"candle-orbit-shoe-12"}, "password_confirm": {"candle-orbit-shoe-12"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("reset: %d", r.StatusCode)
	}
	if r := c.get(t, path); r.StatusCode != http.StatusNotFound {
		t.Errorf("the link works twice: %d", r.StatusCode)
	}
	if r := victim.get(t, "/account"); r.StatusCode != http.StatusSeeOther {
		t.Errorf("sessions survived a reset: %d", r.StatusCode)
	}
	e.client().signIn(t, "awa@kalan.test", "candle-orbit-shoe-12")
}

func TestAccountExportAndDeletion(t *testing.T) {
	e := newEnv(t)
	c, u := e.signedIn(t, account.RoleTrainee, "awa@kalan.test", "Awa Traoré")
	r := c.get(t, "/account/export")
	var doc struct {
		Account map[string]any `json:"account"`
		Cohorts []any          `json:"cohorts"`
	}
	if err := json.Unmarshal(r.body, &doc); err != nil || r.Header.Get("Content-Disposition") == "" {
		t.Fatalf("export: %v (%s)", err, r.body)
	}
	if doc.Account["login"] != "awa@kalan.test" || doc.Account["name"] != "Awa Traoré" {
		t.Errorf("export = %+v", doc.Account)
	}
	if strings.Contains(string(r.body), "argon2") || strings.Contains(string(r.body), "password") {
		t.Error("the export contains the password hash")
	}
	if r := c.post(t, "/account/delete", url.Values{"password": {"not-it"}}); r.StatusCode != http.StatusBadRequest {
		t.Errorf("delete with a wrong password: %d", r.StatusCode)
	}
	if r := c.post(t, "/account/delete", url.Values{"password": {testPassword}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("delete: %d", r.StatusCode)
	}
	gone, err := e.store.UserByID(context.Background(), u.ID)
	if err != nil || !gone.Deleted() || gone.Name != "" || gone.Login.Value == "awa@kalan.test" || gone.PasswordHash != "" {
		t.Errorf("after deletion: %+v, %v", gone, err)
	}
	if gone.Organisation != "police" || gone.Role != account.RoleTrainee {
		t.Error("aggregate facts (organisation, role) were not kept")
	}
	if r := c.get(t, "/account"); r.StatusCode != http.StatusSeeOther {
		t.Errorf("still signed in after deletion: %d", r.StatusCode)
	}
	// The login is free again.
	e.user(t, account.RoleTrainee, "awa@kalan.test", "Awa Traoré")
}

// Oversized bodies are refused with 413 from their Content-Length, before
// any handler reads them: this goes through a real listener and sends only
// the start of a 3 MB form (the server reads the first 8 KB of any body
// before routing it).
func TestOversizedBody(t *testing.T) {
	e := newEnv(t)
	base := e.listen(t)
	head := fmt.Sprintf("POST /login HTTP/1.1\r\nHost: kalan.test\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n", 3<<20)
	resp := rawRequest(t, base, head, bytes.Repeat([]byte("a"), 64<<10))
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("a 3 MB form: %d, want 413", resp.StatusCode)
	}
}

// rawRequest writes a request head and body on a connection of its own
// and reads the answer: for bodies the test client cannot send (longer
// than the server reads, or cut).
func rawRequest(t *testing.T, base, head string, body []byte) *http.Response {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	if _, err := conn.Write(append([]byte(head), body...)); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}
