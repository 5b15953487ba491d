package main

import (
	"context"
	"errors"
	"flag"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kalan-platform/kalan/server/seed"
	"github.com/kalan-platform/kalan/server/testenv"
)

// kalan runs a command in-process with the given environment.
func kalan(ctx context.Context, vars map[string]string, args ...string) (stdout, stderr *testenv.Buffer, err error) {
	stdout, stderr = &testenv.Buffer{}, &testenv.Buffer{}
	err = run(ctx, env{args: args, getenv: func(k string) string { return vars[k] }, stdin: strings.NewReader(""), stdout: stdout, stderr: stderr})
	return stdout, stderr, err
}

func TestVersionAndHelp(t *testing.T) {
	out, _, err := kalan(context.Background(), nil, "version")
	if err != nil || !strings.HasPrefix(out.String(), "kalan ") {
		t.Errorf("version: %q, %v", out, err)
	}
	for _, args := range [][]string{{"--help"}, {"serve", "--help"}, {"courses", "--help"}, {"courses", "check", "--help"}, {"courses", "import", "--help"}} {
		out, errOut, err := kalan(context.Background(), nil, args...)
		if err != nil && !errors.Is(err, flag.ErrHelp) {
			t.Errorf("%v: %v", args, err)
		}
		if !strings.Contains(out.String()+errOut.String(), "Usage") {
			t.Errorf("%v printed no usage", args)
		}
	}
	for _, args := range [][]string{{}, {"nope"}, {"courses"}, {"courses", "nope"}, {"courses", "check"}, {"serve", "--nope"}, {"serve", "extra"}} {
		if _, _, err := kalan(context.Background(), nil, args...); !errors.Is(err, errUsage) {
			t.Errorf("%v: %v, want a usage error (exit 2)", args, err)
		}
	}
}

func TestHelpNeverPrintsSecrets(t *testing.T) {
	vars := map[string]string{"KALAN_S3_SECRET_KEY": "very-secret", "KALAN_MONGODB_URI": "mongodb://u:pw-secret@db/"}
	out, errOut, _ := kalan(context.Background(), vars, "serve", "--help")
	if s := out.String() + errOut.String(); strings.Contains(s, "very-secret") || strings.Contains(s, "pw-secret") {
		t.Errorf("--help shows a secret:\n%s", s)
	}
}

func TestConfigErrorsNameTheVariable(t *testing.T) {
	tests := []struct {
		vars map[string]string
		want string
	}{
		{map[string]string{"KALAN_BASE_URL": "kalan.example.org"}, "KALAN_BASE_URL"},
		{map[string]string{"KALAN_S3_SECURE": "maybe"}, "KALAN_S3_SECURE"},
		{map[string]string{"KALAN_S3_ENDPOINT": "minio:9000"}, "KALAN_S3_ACCESS_KEY"},
		{map[string]string{"KALAN_S3_ENDPOINT": "http://minio:9000", "KALAN_S3_ACCESS_KEY": "a", "KALAN_S3_SECRET_KEY": "b"}, "without scheme"},
		{map[string]string{"KALAN_MONGODB_DB": "a.b"}, "KALAN_MONGODB_DB"},
	}
	for _, tt := range tests {
		_, _, err := kalan(context.Background(), tt.vars, "serve")
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%v: error %v, want one naming %s", tt.vars, err, tt.want)
		}
	}
}

const goodCourse = `languages: [fr]
title: {fr: Essai}
summary: {fr: Un essai}
audience: [ngo]
duration_minutes: 5
pass_mark: 50
access: public
translations: {fr: {by: test, reviewed: false}}
lessons:
  - id: one
    title: {fr: Une}
`

// writeCourse writes a course folder under dir.
func writeCourse(t *testing.T, dir, slug, courseYAML, lesson string) {
	t.Helper()
	files := map[string]string{"course.yaml": courseYAML, "lessons/one.fr.md": lesson}
	for name, data := range files {
		p := filepath.Join(dir, slug, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestCoursesCheck(t *testing.T) {
	dir := t.TempDir()
	writeCourse(t, dir, "good", goodCourse, "Bonjour.\n")
	writeCourse(t, dir, "broken", strings.Replace(goodCourse, "audience: [ngo]", "audience: [ngo, police", 1), "Bonjour.\n")

	out, errOut, err := kalan(context.Background(), nil, "courses", "check", dir)
	if err == nil {
		t.Fatal("check passed with a broken course")
	}
	want := filepath.Join(dir, "broken", "course.yaml") + ":4: yaml: did not find expected ',' or ']'"
	if !strings.Contains(errOut.String(), want) {
		t.Errorf("stderr:\n%s\nwant the line\n%s", errOut, want)
	}
	if !strings.Contains(out.String(), "good: ok") {
		t.Errorf("the good course is not reported: %q", out)
	}

	// DIR may also be a single course folder.
	if out, errOut, err := kalan(context.Background(), nil, "courses", "check", filepath.Join(dir, "good")); err != nil {
		t.Errorf("check of one course folder: %v\n%s%s", err, out, errOut)
	}
	// The repository's curriculum passes, as CI relies on.
	if _, errOut, err := kalan(context.Background(), nil, "courses", "check", "../../courses"); err != nil {
		t.Errorf("courses check courses: %v\n%s", err, errOut)
	}
	if _, _, err := kalan(context.Background(), nil, "courses", "check", filepath.Join(dir, "missing")); err == nil {
		t.Error("check of a missing folder passed")
	}
}

func TestCoursesImport(t *testing.T) {
	ctx := context.Background()
	courses, data := t.TempDir(), t.TempDir()
	vars := map[string]string{"KALAN_DATA": data}
	writeCourse(t, courses, "good", goodCourse, "Bonjour.\n")
	writeCourse(t, courses, "broken", strings.Replace(goodCourse, "pass_mark: 50", "pass_mark: 500", 1), "Bonjour.\n")

	out, errOut, err := kalan(ctx, vars, "courses", "import", courses)
	if err == nil {
		t.Error("import succeeded although a course is broken")
	}
	if !strings.Contains(out.String(), "good: published version 1") || strings.Contains(out.String(), "broken:") {
		t.Errorf("first import:\n%s", out)
	}
	if !strings.Contains(errOut.String(), "pass_mark: must be between 1 and 100") {
		t.Errorf("the problem is not reported:\n%s", errOut)
	}

	os.RemoveAll(filepath.Join(courses, "broken"))
	out, _, err = kalan(ctx, vars, "courses", "import", courses)
	if err != nil || !strings.Contains(out.String(), "good: unchanged (version 1)") {
		t.Errorf("re-import of the same files: %v\n%s", err, out)
	}
	writeCourse(t, courses, "good", goodCourse, "Bonjour, version deux.\n")
	out, _, err = kalan(ctx, vars, "courses", "import", courses)
	if err != nil || !strings.Contains(out.String(), "good: published version 2") {
		t.Errorf("import of a changed course: %v\n%s", err, out)
	}
}

// freeAddr returns a loopback address nobody listens on.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// running is a `kalan serve` running in-process.
type running struct {
	url    string
	stderr *testenv.Buffer
	stop   func() error
}

func startServe(t *testing.T, vars map[string]string) *running {
	t.Helper()
	addr := freeAddr(t)
	vars["KALAN_ADDR"] = addr
	ctx, cancel := context.WithCancel(context.Background())
	stdout, stderr := &testenv.Buffer{}, &testenv.Buffer{}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, env{args: []string{"serve"}, getenv: func(k string) string { return vars[k] }, stdout: stdout, stderr: stderr})
	}()
	s := &running{url: "http://" + addr, stderr: stderr}
	s.stop = func() error { cancel(); return <-done }
	deadline := time.Now().Add(60 * time.Second)
	for {
		select {
		case err := <-done:
			t.Fatalf("serve stopped: %v\n%s", err, stderr)
		default:
		}
		if resp, err := http.Get(s.url + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return s
			}
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("serve not ready after 60 s:\n%s", stderr)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func TestServeEmbeddedDefault(t *testing.T) {
	data := t.TempDir()
	s := startServe(t, map[string]string{"KALAN_DATA": data})
	status, body := get(t, s.url+"/courses?lang=bm")
	if status != http.StatusOK || !strings.Contains(body, `<html lang="bm"`) || !strings.Contains(body, "/courses/detecting-trafficking-basics") {
		t.Errorf("/courses?lang=bm = %d\n%s", status, body)
	}
	if !strings.Contains(s.stderr.String(), "published version 1") {
		t.Error("the bundled curriculum was not imported on the first start")
	}

	// Only one process may hold the data directory.
	_, _, err := kalan(context.Background(), map[string]string{"KALAN_DATA": data}, "courses", "import", "../../courses")
	if err == nil || !strings.Contains(err.Error(), "used by another kalan process") {
		t.Errorf("import while serve holds the data directory: %v", err)
	}

	if err := s.stop(); err != nil {
		t.Fatalf("graceful stop: %v", err)
	}
	if !strings.Contains(s.stderr.String(), `"msg":"stopped"`) {
		t.Errorf("no clean stop in the log:\n%s", s.stderr)
	}
	blobs, _ := os.ReadDir(filepath.Join(data, "blobs"))
	if len(blobs) == 0 {
		t.Error("no blob directory under the data directory")
	}

	// Restart on the same data: the courses are there, and not imported again.
	s = startServe(t, map[string]string{"KALAN_DATA": data})
	defer s.stop()
	if status, _ := get(t, s.url+"/courses/detecting-trafficking-basics/lessons/indicators"); status != http.StatusOK {
		t.Errorf("lesson after restart = %d", status)
	}
	if strings.Contains(s.stderr.String(), "published version") {
		t.Error("the curriculum was imported again on restart")
	}
	if strings.Contains(s.stderr.String(), `"level":"ERROR"`) {
		t.Errorf("errors in the log:\n%s", s.stderr)
	}
}

func TestServeWithMinIOKeepsNoMediaOnDisk(t *testing.T) {
	m, err := testenv.StartMinIO()
	testenv.Need(t, "MinIO server", err, testenv.MinIOHowTo)
	defer m.Stop()
	data := t.TempDir()
	s := startServe(t, map[string]string{
		"KALAN_DATA": data, "KALAN_S3_ENDPOINT": m.Endpoint, "KALAN_S3_ACCESS_KEY": m.AccessKey,
		"KALAN_S3_SECRET_KEY": m.SecretKey, "KALAN_S3_BUCKET": "kalan-media",
	})
	status, body := get(t, s.url+"/courses/detecting-trafficking-basics/lessons/three-elements")
	i := strings.Index(body, `<img src="/media/`) // the diagram (the recording's player comes first)
	if status != http.StatusOK || i < 0 {
		t.Fatalf("lesson = %d without media", status)
	}
	i += len("<img ")
	src := body[i+5 : i+5+strings.Index(body[i+5:], `"`)]
	if status, svg := get(t, s.url+src); status != http.StatusOK || !strings.Contains(svg, "<svg") {
		t.Errorf("GET %s = %d", src, status)
	}
	// The lesson's recording, in a byte range read from MinIO.
	j := strings.Index(body, `<audio controls preload="none" src="`)
	if j < 0 {
		t.Fatal("the lesson has no recording")
	}
	j += len(`<audio controls preload="none" src="`)
	req, _ := http.NewRequest(http.MethodGet, s.url+body[j:j+strings.Index(body[j:], `"`)], nil)
	req.Header.Set("Range", "bytes=0-99")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	part, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusPartialContent || len(part) != 100 || !strings.HasPrefix(string(part), "OggS") {
		t.Errorf("a range of the recording from MinIO: %d, %d bytes", resp.StatusCode, len(part))
	}
	if err := s.stop(); err != nil {
		t.Fatal(err)
	}
	err = filepath.WalkDir(data, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(data, p)
		// The database, its lock and the signing key belong there; media do not.
		if !d.IsDir() && !strings.HasPrefix(rel, "db"+string(filepath.Separator)) && rel != "LOCK" && rel != "signing-key.pem" {
			t.Errorf("%s is in the data directory although media go to MinIO", rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestServeRefusesUnreachableStorage(t *testing.T) {
	closed := freeAddr(t)
	tests := []struct {
		name string
		vars map[string]string
		want string
	}{
		{"mongodb", map[string]string{"KALAN_MONGODB_URI": "mongodb://" + closed + "/"}, "KALAN_MONGODB_URI"},
		{"s3", map[string]string{"KALAN_S3_ENDPOINT": closed, "KALAN_S3_ACCESS_KEY": "a", "KALAN_S3_SECRET_KEY": "b"}, "KALAN_S3_ENDPOINT"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.vars["KALAN_DATA"] = t.TempDir()
			tt.vars["KALAN_ADDR"] = freeAddr(t)
			start := time.Now()
			_, _, err := kalan(context.Background(), tt.vars, "serve")
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("serve: %v, want an error naming %s", err, tt.want)
			}
			if d := time.Since(start); d > 20*time.Second {
				t.Errorf("gave up only after %v", d)
			}
		})
	}
}

func TestUsersCreate(t *testing.T) {
	ctx := context.Background()
	data := t.TempDir()
	vars := map[string]string{"KALAN_DATA": data}
	out, errOut, err := kalan(ctx, vars, "users", "create", "--email", "Admin@Kalan.test", "--name", "Ibrahim Coulibaly", "--role", "admin")
	if err != nil || !strings.Contains(out.String(), "created admin") || !strings.Contains(out.String(), "one-time password: ") {
		t.Fatalf("create with a one-time password: %v\n%s%s", err, out, errOut)
	}
	run := func(stdin string, args ...string) error {
		e := env{args: append([]string{"users", "create"}, args...), getenv: func(k string) string { return vars[k] },
			stdin: strings.NewReader(stdin), stdout: &testenv.Buffer{}, stderr: &testenv.Buffer{}}
		return run(ctx, e)
	}
	if err := run("azerty123\n", "--phone", "76 12 34 56", "--name", "Awa Traoré", "--role", "trainer", "--password-stdin"); err == nil || !strings.Contains(err.Error(), "password") {
		t.Errorf("weak password from stdin: %v", err)
	}
	if err := run("", "--email", "admin@kalan.test", "--name", "Someone Else", "--role", "trainee"); err == nil || !strings.Contains(err.Error(), "login") {
		t.Errorf("duplicate login: %v", err)
	}
	for _, args := range [][]string{{"--email", "x@kalan.test", "--name", "X Y"}, {"--email", "x@kalan.test", "--role", "boss", "--name", "X Y"}, {"--name", "X Y", "--role", "admin"}} {
		if err := run("", args...); !errors.Is(err, errUsage) {
			t.Errorf("%v: %v, want a usage error", args, err)
		}
	}
	if err := run("harbour-violet-tiger-58\n", "--phone", "76 12 34 56", "--name", "Awa Traoré", "--role", "trainer", "--password-stdin"); err != nil {
		t.Fatalf("create with a password from stdin: %v", err)
	}
	// A reviewer needs its languages; no other role takes them.
	for _, args := range [][]string{{"--role", "reviewer"}, {"--role", "reviewer", "--languages", "bambara"}, {"--role", "trainer", "--languages", "bm"}} {
		if err := run("", append([]string{"--email", "r@kalan.test", "--name", "R S"}, args...)...); err == nil || !strings.Contains(err.Error(), "--languages") {
			t.Errorf("%v: %v, want an error about --languages", args, err)
		}
	}
	if out, errOut, err := kalan(ctx, vars, "users", "create", "--email", "mariam@kalan.test", "--name", "Mariam Sangaré", "--role", "reviewer",
		"--languages", "BM, ff"); err != nil || !strings.Contains(out.String(), "reviews: bm, ff") {
		t.Fatalf("create a reviewer: %v\n%s%s", err, out, errOut)
	}

	// The account signs in on the server.
	s := startServe(t, vars)
	defer s.stop()
	if status := signIn(t, s.url, "76123456", "harbour-violet-tiger-58"); status != http.StatusSeeOther {
		t.Errorf("sign in with the created account: %d", status)
	}
}

// signIn posts the sign-in form as a browser would and returns the status.
func signIn(t *testing.T, base, login, password string) int {
	t.Helper()
	jar := http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := jar.Get(base + "/login")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var csrf *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == "kalan_csrf" {
			csrf = c
		}
	}
	form := url.Values{"_csrf": {csrf.Value}, "login": {login}, "password": {password}}
	req, _ := http.NewRequest(http.MethodPost, base+"/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(csrf)
	resp, err = jar.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func TestSigningKey(t *testing.T) {
	cfg := &config{Data: t.TempDir()}
	first, err := signingKey(cfg)
	if err != nil {
		t.Fatal(err)
	}
	again, err := signingKey(cfg)
	if err != nil || !first.Equal(again) {
		t.Fatalf("the key changed between two starts: %v", err)
	}
	info, err := os.Stat(filepath.Join(cfg.Data, "signing-key.pem"))
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("key file: %v, mode %v", err, info.Mode())
	}
	// Given by configuration.
	cfg2 := &config{Data: t.TempDir(), SigningKey: filepath.Join(cfg.Data, "signing-key.pem")}
	if k, err := signingKey(cfg2); err != nil || !k.Equal(first) {
		t.Errorf("KALAN_SIGNING_KEY: %v", err)
	}
	// A damaged or missing configured key is an error that names the variable.
	bad := filepath.Join(t.TempDir(), "bad.pem")
	os.WriteFile(bad, []byte("not a key"), 0o600)
	for _, path := range []string{bad, filepath.Join(t.TempDir(), "missing.pem")} {
		if _, err := signingKey(&config{Data: t.TempDir(), SigningKey: path}); err == nil || !strings.Contains(err.Error(), "KALAN_SIGNING_KEY") {
			t.Errorf("%s: %v", path, err)
		}
	}
}

// kalan seed fills a new installation with synthetic trainees who can sign
// in; it refuses bad numbers, a second seed, and a database of real
// people unless --force.
func TestSeed(t *testing.T) {
	ctx := context.Background()
	for _, args := range [][]string{{"seed"}, {"seed", "--trainees", "0"}, {"seed", "--trainees", "x"}, {"seed", "--trainees", "5", "--attempts", "-1"}, {"seed", "--trainees", "5", "extra"}} {
		if _, _, err := kalan(ctx, map[string]string{"KALAN_DATA": t.TempDir()}, args...); !errors.Is(err, errUsage) {
			t.Errorf("%v: %v, want a usage error", args, err)
		}
	}
	if _, _, err := kalan(ctx, map[string]string{"KALAN_DATA": t.TempDir()}, "seed", "--trainees", "5", "--password", "short"); err == nil || !strings.Contains(err.Error(), "--password") {
		t.Errorf("a short password: %v", err)
	}

	vars := map[string]string{"KALAN_DATA": t.TempDir()}
	out, errOut, err := kalan(ctx, vars, "seed", "--trainees", "60", "--attempts", "2", "--password", "harbour-violet-tiger-58")
	if err != nil || !strings.Contains(out.String(), "seeded 60 trainees in 2 cohorts") || !strings.Contains(errOut.String(), "seeded 60 of 60 trainees") {
		t.Fatalf("seed: %v\n%s%s", err, out, errOut)
	}
	if _, _, err := kalan(ctx, vars, "seed", "--trainees", "10"); err == nil || !strings.Contains(err.Error(), "seeded already") {
		t.Errorf("a second seed: %v", err)
	}

	real := map[string]string{"KALAN_DATA": t.TempDir()}
	if _, _, err := kalan(ctx, real, "users", "create", "--email", "awa@kalan.test", "--name", "Awa Traoré", "--role", "admin"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := kalan(ctx, real, "seed", "--trainees", "10"); err == nil || !strings.Contains(err.Error(), "1 real accounts") {
		t.Errorf("seeding a database of real people: %v", err)
	}
	if _, _, err := kalan(ctx, real, "seed", "--trainees", "10", "--force"); err != nil {
		t.Errorf("seeding it with --force: %v", err)
	}

	// A synthetic trainee signs in on the server.
	s := startServe(t, vars)
	defer s.stop()
	if status := signIn(t, s.url, seed.Login(7), "harbour-violet-tiger-58"); status != http.StatusSeeOther {
		t.Errorf("a seeded trainee signs in: %d", status)
	}
}
