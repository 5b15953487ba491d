package server_test

import (
	"context"
	"encoding/json"
	"io"
	"maps"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/kalan-platform/kalan/server/account"
	"github.com/kalan-platform/kalan/server/auth"
)

// client is a browser for app.Test: it keeps cookies between requests and
// puts the CSRF token in the forms it posts.
type client struct {
	e       *env
	cookies map[string]string
	headers map[string]string
	// The CSRF token of the session csrfOf, as its pages carry it.
	csrfOf, sessionToken string
}

func (e *env) client() *client {
	return &client{e: e, cookies: map[string]string{}, headers: map[string]string{}}
}

// tab is another tab of the same browser: the client's cookies as they
// are now, for requests sent at the same time as others (a client's
// cookies are not shared between goroutines).
func (c *client) tab(t testing.TB) *client {
	c.csrf(t)
	other := &client{e: c.e, cookies: maps.Clone(c.cookies), headers: maps.Clone(c.headers), csrfOf: c.csrfOf, sessionToken: c.sessionToken}
	return other
}

func (c *client) do(t testing.TB, req *http.Request) response {
	t.Helper()
	for name, value := range c.cookies {
		req.AddCookie(&http.Cookie{Name: name, Value: value})
	}
	for k, v := range c.headers {
		req.Header.Set(k, v)
	}
	resp, err := c.e.app.Test(req, 30_000)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	for _, ck := range resp.Cookies() {
		if ck.MaxAge < 0 || ck.Value == "" {
			delete(c.cookies, ck.Name)
		} else {
			c.cookies[ck.Name] = ck.Value
		}
	}
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{resp, body}
}

func (c *client) get(t testing.TB, target string) response {
	t.Helper()
	return c.do(t, httptest.NewRequest(http.MethodGet, target, nil))
}

// cookieHeader is the Cookie header of the client's requests, for a
// request sent outside app.Test.
func (c *client) cookieHeader(t testing.TB) string {
	c.csrf(t) // the CSRF cookie is set by the first page
	var parts []string
	for name, value := range c.cookies {
		parts = append(parts, name+"="+value)
	}
	return strings.Join(parts, "; ")
}

// csrf returns the token the client's forms carry: signed in, the one of
// its session, as its account page's forms carry it; before, the one of
// its CSRF cookie (set by the first page).
func (c *client) csrf(t testing.TB) string {
	t.Helper()
	if session := c.cookies["kalan_session"]; session != "" {
		if c.csrfOf != session {
			token, ok := c.sessionCSRF(t)
			if !ok {
				return c.cookies["kalan_csrf"] // the session is over: the page will ask to sign in
			}
			c.csrfOf, c.sessionToken = session, token
		}
		return c.sessionToken
	}
	if c.cookies["kalan_csrf"] == "" {
		c.get(t, "/login")
	}
	return c.cookies["kalan_csrf"]
}

// sessionCSRF asks the token of the client's session as scripts do (the
// sync API), or, for an account that must first choose a password, as
// its account page's forms carry it: neither uses up a flash message.
func (c *client) sessionCSRF(t testing.TB) (string, bool) {
	t.Helper()
	var state struct {
		CSRF string `json:"csrf"`
	}
	if r := c.get(t, "/api/v1/sync"); r.StatusCode == http.StatusOK && json.Unmarshal(r.body, &state) == nil && state.CSRF != "" {
		return state.CSRF, true
	}
	r := c.get(t, "/account")
	token, ok := r.doc(t).Find(`input[name="_csrf"]`).First().Attr("value")
	return token, ok && r.StatusCode == http.StatusOK
}

// post sends a form with the CSRF token, unless the form sets _csrf.
func (c *client) post(t testing.TB, target string, form url.Values) response {
	t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if _, set := form["_csrf"]; !set {
		form.Set("_csrf", c.csrf(t))
	}
	req := httptest.NewRequest(http.MethodPost, target, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(t, req)
}

// upload posts a multipart form with one file.
func (c *client) upload(t testing.TB, target, field, filename string, data []byte) response {
	t.Helper()
	var body strings.Builder
	w := multipart.NewWriter(&body)
	_ = w.WriteField("_csrf", c.csrf(t))
	fw, err := w.CreateFormFile(field, filename)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = fw.Write(data)
	_ = w.Close()
	req := httptest.NewRequest(http.MethodPost, target, strings.NewReader(body.String()))
	req.Header.Set("Content-Type", w.FormDataContentType())
	return c.do(t, req)
}

// signIn signs the client in and checks that it worked.
func (c *client) signIn(t testing.TB, login, password string) {
	t.Helper()
	r := c.post(t, "/login", url.Values{"login": {login}, "password": {password}})
	if r.StatusCode != http.StatusSeeOther || c.cookies["kalan_session"] == "" {
		t.Fatalf("sign in as %s: %d\n%s", login, r.StatusCode, r.body)
	}
}

const testPassword = "river-mango-lantern-42"

// user creates an account with a chosen password.
func (e *env) user(t testing.TB, role account.Role, login, name string) *account.User {
	t.Helper()
	u, _, err := e.auth.Create(context.Background(), auth.NewAccount{Login: login, Name: name, Password: testPassword, Role: role,
		Profile: account.Profile{Organisation: "police", Region: "segou", Lang: "fr"}}, e.locales.Supported)
	if err != nil {
		t.Fatalf("create %s: %v", login, err)
	}
	return u
}

// signedIn returns a client signed in as a new account of that role.
func (e *env) signedIn(t testing.TB, role account.Role, login, name string) (*client, *account.User) {
	t.Helper()
	u := e.user(t, role, login, name)
	c := e.client()
	c.signIn(t, login, testPassword)
	return c, u
}

// authAccount is a new account with the test password and a language.
func authAccount(login, name, lang string) auth.NewAccount {
	return auth.NewAccount{Login: login, Name: name, Password: testPassword, Role: account.RoleTrainee,
		Profile: account.Profile{Organisation: "police", Region: "segou", Lang: lang}}
}

// uploadForm posts a multipart form: the CSRF token and the fields first,
// then the files, as a browser sends the library's upload form.
func (c *client) uploadForm(t testing.TB, target string, fields url.Values, files ...namedFile) response {
	t.Helper()
	var body strings.Builder
	w := multipart.NewWriter(&body)
	_ = w.WriteField("_csrf", c.csrf(t))
	for k, vs := range fields {
		for _, v := range vs {
			_ = w.WriteField(k, v)
		}
	}
	for _, f := range files {
		fw, err := w.CreateFormFile("file", f.name)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = fw.Write(f.data)
	}
	_ = w.Close()
	req := httptest.NewRequest(http.MethodPost, target, strings.NewReader(body.String()))
	req.Header.Set("Content-Type", w.FormDataContentType())
	return c.do(t, req)
}

// namedFile is a file of a multipart form.
type namedFile struct {
	name string
	data []byte
}
