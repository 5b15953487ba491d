package auth_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strconv"
	"sync"
	"testing"

	"github.com/kalan-platform/kalan/server/account"
	"github.com/kalan-platform/kalan/server/audit"
	"github.com/kalan-platform/kalan/server/auth"
	"github.com/kalan-platform/kalan/server/session"
	"github.com/kalan-platform/kalan/server/testenv"
	"github.com/kalan-platform/kalan/server/throttle"
)

var mongo *testenv.Mongo

func TestMain(m *testing.M) { testenv.MainWithMongo(m, &mongo, testenv.Hooks{}) }

const password = "river-mango-lantern-42"

// newService is the sign-in service on a fresh database, with one account.
func newService(t *testing.T) *auth.Service {
	t.Helper()
	st := mongo.Store(t)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	s := auth.New(auth.Deps{Users: st, Resets: st, Sessions: session.NewManager(st, session.DefaultPolicy(), log), Failures: st,
		Audit: audit.NewLog(st, log), Log: log})
	if _, _, err := s.Create(context.Background(), auth.NewAccount{Login: "awa@kalan.test", Name: "Awa Traoré", Password: password,
		Role: account.RoleTrainee, Profile: account.Profile{Organisation: "police", Region: "segou", Lang: "fr"}},
		func(string) bool { return true }); err != nil {
		t.Fatal(err)
	}
	return s
}

// signInAll tries the passwords at once from one address and returns how
// many were checked (any answer but a limit) and how many got in.
func signInAll(t *testing.T, s *auth.Service, passwords []string) (checked, in int) {
	t.Helper()
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, pw := range passwords {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _, err := s.SignIn(context.Background(), "awa@kalan.test", pw, "10.1.2.3", false)
			var limited *throttle.LimitedError
			if errors.As(err, &limited) {
				return
			}
			if err != nil && !errors.Is(err, auth.ErrBadCredentials) {
				t.Error(err)
				return
			}
			mu.Lock()
			defer mu.Unlock()
			checked++
			if err == nil {
				in++
			}
		}()
	}
	wg.Wait()
	return checked, in
}

// Parallel guesses from one address cannot pass the limit: counting comes
// before the password check, in one atomic step, so no more passwords are
// checked than the limit allows, whatever the number of guesses at once.
func TestParallelGuessesStopAtTheLimit(t *testing.T) {
	for _, n := range []int{40, 200} {
		t.Run(strconv.Itoa(n), func(t *testing.T) {
			s := newService(t)
			guesses := make([]string, n)
			for i := range guesses {
				guesses[i] = "guess-" + strconv.Itoa(i)
			}
			if checked, _ := signInAll(t, s, guesses); checked > auth.PairRule.Max {
				t.Errorf("%d of %d parallel guesses were checked, limit %d", checked, n, auth.PairRule.Max)
			}
		})
	}
}

// The right password among 40 parallel guesses gets in only if it is among
// the attempts the limit lets through. A success forgets the pair's count
// (the person proved who they are), so guesses counted after it start
// afresh: with a sign-in, up to twice the limit may have been checked; the
// guesser had the password anyway.
func TestRightPasswordAmongParallelGuesses(t *testing.T) {
	s := newService(t)
	guesses := make([]string, 40)
	for i := range guesses {
		guesses[i] = "guess-" + strconv.Itoa(i)
	}
	guesses[23] = password
	checked, in := signInAll(t, s, guesses)
	switch {
	case in > 1:
		t.Errorf("%d sign-ins, want at most one", in)
	case in == 0 && checked > auth.PairRule.Max:
		t.Errorf("%d passwords checked and none right, limit %d", checked, auth.PairRule.Max)
	case in == 1 && checked > 2*auth.PairRule.Max:
		t.Errorf("%d passwords checked around one sign-in, want at most %d", checked, 2*auth.PairRule.Max)
	}
}
