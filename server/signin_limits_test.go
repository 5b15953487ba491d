package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/kalan-platform/kalan/server/account"
	"github.com/kalan-platform/kalan/server/app"
	"github.com/kalan-platform/kalan/server/auth"
	"github.com/kalan-platform/kalan/server/blob"
	"github.com/kalan-platform/kalan/server/cohort"
)

// proxiedEnv is an application behind a trusted reverse proxy, so that a
// client's X-Forwarded-For header is its address.
func proxiedEnv(t *testing.T) *env {
	t.Helper()
	blobs, err := blob.NewDisk(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return newEnvWith(t, mongo.Store(t), blobs, func(p *app.Parts) { p.TrustedProxies = []string{"0.0.0.0"} })
}

// from returns a new client at a client address.
func (e *env) from(addr string) *client {
	c := e.client()
	c.headers["X-Forwarded-For"] = addr
	return c
}

// Failures from one address slow that address down and do not lock the
// account: its owner, elsewhere, signs in and joins a cohort.
func TestOwnerIsNotLockedOutByOthersFailures(t *testing.T) {
	e := proxiedEnv(t)
	e.user(t, account.RoleTrainee, "awa@kalan.test", "Awa Traoré")
	tc, _ := e.signedIn(t, account.RoleTrainer, "trainer@kalan.test", "Fatoumata Keïta")
	_, code := createCohort(t, tc, "Police Kayes", basics)
	attacker := e.from("196.200.1.7")
	for i := range 20 {
		r := attacker.post(t, "/login", url.Values{"login": {"awa@kalan.test"}, "password": {fmt.Sprint("guess-", i)}})
		want := http.StatusUnauthorized
		if i >= auth.PairRule.Max {
			want = http.StatusTooManyRequests
		}
		if r.StatusCode != want {
			t.Fatalf("guess %d: %d, want %d", i, r.StatusCode, want)
		}
	}
	// Joining with the login is the same check: the attacker's address
	// stays refused, even with the right password.
	r := attacker.post(t, "/join", url.Values{"code": {code}, "name": {"Awa Traoré"}, "login": {"awa@kalan.test"}, "password": {testPassword}})
	if r.StatusCode != http.StatusTooManyRequests || r.Header.Get("Retry-After") == "" {
		t.Errorf("join from the guessing address: %d, want 429", r.StatusCode)
	}
	owner := e.from("41.73.100.20")
	owner.signIn(t, "awa@kalan.test", testPassword)
	if r := e.from("41.73.100.21").post(t, "/join", url.Values{"code": {code}, "name": {"Awa Traoré"}, "login": {"awa@kalan.test"}, "password": {testPassword}}); r.StatusCode != http.StatusSeeOther {
		t.Errorf("the owner joining from a third address: %d, want 303", r.StatusCode)
	}
}

// Joining with an existing login counts like signing in: wrong passwords
// through /join stop at the pair's limit.
func TestJoinWithALoginIsLimited(t *testing.T) {
	e := proxiedEnv(t)
	e.user(t, account.RoleTrainee, "awa@kalan.test", "Awa Traoré")
	tc, _ := e.signedIn(t, account.RoleTrainer, "trainer@kalan.test", "Fatoumata Keïta")
	_, code := createCohort(t, tc, "Police Kayes", basics)
	c := e.from("196.200.1.7")
	for i := range auth.PairRule.Max {
		if r := c.post(t, "/join", url.Values{"code": {code}, "name": {"Awa Traoré"}, "login": {"awa@kalan.test"}, "password": {fmt.Sprint("orchard-lantern-quartz-", i)}}); r.StatusCode != http.StatusBadRequest {
			t.Fatalf("join guess %d: %d, want 400", i, r.StatusCode)
		}
	}
	if r := c.post(t, "/login", url.Values{"login": {"awa@kalan.test"}, "password": {testPassword}}); r.StatusCode != http.StatusTooManyRequests {
		t.Errorf("sign-in after %d wrong join passwords: %d, want 429", auth.PairRule.Max, r.StatusCode)
	}
}

// A training room: 40 trainees behind one address, at the same time, each
// mistype their password twice and then get it right. All get in.
func TestTrainingRoomBehindOneAddressSignsIn(t *testing.T) {
	e := proxiedEnv(t)
	ctx := context.Background()
	hash, err := account.HashPassword(testPassword) // one hash for all: 40 would take seconds
	if err != nil {
		t.Fatal(err)
	}
	const trainees = 40
	for i := range trainees {
		login, err := account.ParseLogin(fmt.Sprintf("trainee%02d@kalan.test", i))
		if err != nil {
			t.Fatal(err)
		}
		now := time.Now().UTC()
		if err := e.store.CreateUser(ctx, &account.User{ID: account.NewID(), Login: login, Name: "Stagiaire", Role: account.RoleTrainee,
			Lang: "fr", PasswordHash: hash, CreatedAt: now, UpdatedAt: now}); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	for i := range trainees {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := e.from("196.200.1.7")
			login := fmt.Sprintf("trainee%02d@kalan.test", i)
			for _, pw := range []string{"river-mango-lantern-24", "river-mango-lanter-42"} {
				if r := c.post(t, "/login", url.Values{"login": {login}, "password": {pw}}); r.StatusCode != http.StatusUnauthorized {
					t.Errorf("%s mistyping: %d, want 401", login, r.StatusCode)
				}
			}
			if r := c.post(t, "/login", url.Values{"login": {login}, "password": {testPassword}}); r.StatusCode != http.StatusSeeOther {
				t.Errorf("%s with the right password: %d, want 303", login, r.StatusCode)
			}
		}()
	}
	wg.Wait()
}

// Only wrong join codes count against an address: a room joining with the
// right code never reaches the limit.
func TestRightJoinCodesAreNotCounted(t *testing.T) {
	e := proxiedEnv(t)
	tc, _ := e.signedIn(t, account.RoleTrainer, "trainer@kalan.test", "Fatoumata Keïta")
	_, code := createCohort(t, tc, "Police Kayes", basics)
	e.user(t, account.RoleTrainee, "awa@kalan.test", "Awa Traoré")
	c := e.from("196.200.1.7")
	c.signIn(t, "awa@kalan.test", testPassword)
	for i := range cohort.JoinRule.Max + 5 {
		if r := c.post(t, "/join", url.Values{"code": {code}}); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("join %d with the right code: %d, want 303", i, r.StatusCode)
		}
	}
	if r := c.post(t, "/join", url.Values{"code": {"ABCDEFGH"}}); r.StatusCode != http.StatusBadRequest {
		t.Errorf("a wrong code after right ones: %d, want 400", r.StatusCode)
	}
}
