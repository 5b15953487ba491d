package main

import (
	"context"
	"errors"
	"flag"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/kalan-platform/kalan/server/backup"
	"github.com/kalan-platform/kalan/server/blob/s3"
	"github.com/kalan-platform/kalan/server/seed"
	"github.com/kalan-platform/kalan/server/store"
	"github.com/kalan-platform/kalan/server/testenv"
)

const seedPassword = "harbour-violet-tiger-58"

// browser is a client with its own cookies that does not follow
// redirects.
func browser(t *testing.T) *http.Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{Jar: jar, Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// login signs a browser in and returns the status of the form's answer.
func login(c *http.Client, base, who, password string) (int, error) {
	resp, err := c.Get(base + "/login")
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	u, _ := url.Parse(base)
	csrf := ""
	for _, ck := range c.Jar.Cookies(u) {
		if ck.Name == "kalan_csrf" {
			csrf = ck.Value
		}
	}
	resp, err = c.PostForm(base+"/login", url.Values{"_csrf": {csrf}, "login": {who}, "password": {password}})
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}

func fetch(t *testing.T, c *http.Client, target string, header ...string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, target, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// aCertificate returns the serial of a certificate of the installation.
func aCertificate(t *testing.T, data string) string {
	t.Helper()
	ctx := context.Background()
	raw, err := store.SnapshotEmbedded(ctx, data, "kalan", slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close(ctx)
	serial := ""
	err = raw.Each(ctx, "certificates", func(doc []byte) error {
		if serial == "" {
			serial = bson.Raw(doc).Lookup("_id").StringValue()
		}
		return nil
	})
	if err != nil || serial == "" {
		t.Fatalf("no certificate: %v", err)
	}
	return serial
}

// A scheduled backup made while trainees keep signing in restores into a
// new data directory where sign-in, certificates, media and the signing
// key work, and where no session of the old one does.
func TestBackupWhileServingAndRestore(t *testing.T) {
	ctx := context.Background()
	data := t.TempDir()
	vars := map[string]string{"KALAN_DATA": data}
	if _, errOut, err := kalan(ctx, vars, "seed", "--trainees", "60", "--attempts", "2", "--password", seedPassword); err != nil {
		t.Fatalf("seed: %v\n%s", err, errOut)
	}
	serial := aCertificate(t, data)
	vars["KALAN_BACKUP_EVERY"], vars["KALAN_BACKUP_KEEP"] = "2s", "2"
	s := startServe(t, vars)
	stopped := false
	defer func() {
		if !stopped {
			s.stop()
		}
	}()
	anon := browser(t)
	_, key := fetch(t, anon, s.url+"/certificates/key.pem")
	admin := browser(t)
	if status, err := login(admin, s.url, seed.AdminLogin, seedPassword); err != nil || status != http.StatusSeeOther {
		t.Fatalf("admin sign-in: %d %v", status, err)
	}

	// Trainees keep signing in (each a write of a session) while the
	// server makes its backups.
	var wg sync.WaitGroup
	var signIns, refused atomic.Int64
	stop := make(chan struct{})
	for w := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				status, err := login(browser(t), s.url, seed.Login(1+(i*2+w)%60), seedPassword)
				if err != nil || status != http.StatusSeeOther {
					refused.Add(1)
				}
				signIns.Add(1)
			}
		}()
	}
	dir := filepath.Join(data, "backups")
	var archives []backup.Archive
	deadline := time.Now().Add(3 * time.Minute)
	for len(archives) < 2 && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
		archives, _ = backup.List(dir)
	}
	close(stop)
	wg.Wait()
	if len(archives) < 2 {
		t.Fatalf("%d archives after 3 minutes\n%s", len(archives), s.stderr)
	}
	if signIns.Load() == 0 || refused.Load() > 0 {
		t.Errorf("during the backups: %d sign-ins, %d refused", signIns.Load(), refused.Load())
	}
	// The admin page shows the last backup, verified; /metrics has it.
	status, page := fetch(t, admin, s.url+"/admin")
	if status != http.StatusOK || !strings.Contains(page, `data-backup-verified="yes"`) || strings.Contains(page, `data-backup-last=""`) {
		t.Errorf("/admin = %d without a verified backup:\n%s", status, page)
	}
	if _, metrics := fetch(t, anon, s.url+"/metrics"); !strings.Contains(metrics, "kalan_backup_size_bytes") || !strings.Contains(metrics, "kalan_backup_failures_total 0") {
		t.Errorf("/metrics without the backup metrics")
	}
	stopped = true
	if err := s.stop(); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(s.stderr.String(), `"level":"ERROR"`) {
		t.Errorf("errors in the log:\n%s", s.stderr)
	}
	// Retention: never more than KALAN_BACKUP_KEEP.
	if archives, _ = backup.List(dir); len(archives) > 2 {
		t.Errorf("%d archives kept", len(archives))
	}

	fresh := filepath.Join(t.TempDir(), "restored")
	vars2 := map[string]string{"KALAN_DATA": fresh, "KALAN_BACKUP_EVERY": "0"}
	out, errOut, err := kalan(ctx, vars2, "restore", archives[0].Path)
	if err != nil || !strings.Contains(out.String(), "restored ") || !strings.Contains(errOut.String(), "is whole") {
		t.Fatalf("restore: %v\n%s%s", err, out, errOut)
	}
	// Once restored, the directory is no longer an empty target.
	if _, _, err := kalan(ctx, vars2, "restore", archives[0].Path); err == nil || !strings.Contains(err.Error(), "not empty") || !strings.Contains(err.Error(), "nothing was changed") {
		t.Errorf("restore into a non-empty directory: %v", err)
	}

	s2 := startServe(t, vars2)
	defer s2.stop()
	if _, key2 := fetch(t, anon, s2.url+"/certificates/key.pem"); key2 != key || key == "" {
		t.Error("the restored installation signs with another key")
	}
	if status, body := fetch(t, anon, s2.url+"/verify/"+serial, "Accept", "application/json"); status != http.StatusOK || !strings.Contains(body, `"valid"`) {
		t.Errorf("/verify/%s on the restored installation = %d %s", serial, status, body)
	}
	if status, err := login(browser(t), s2.url, seed.Login(7), seedPassword); err != nil || status != http.StatusSeeOther {
		t.Errorf("a trainee signs in on the restored installation: %d %v", status, err)
	}
	_, lesson := fetch(t, anon, s2.url+"/courses/detecting-trafficking-basics/lessons/three-elements")
	i := strings.Index(lesson, `src="/media/`)
	if i < 0 {
		t.Fatal("the restored lesson has no media")
	}
	src := lesson[i+5 : i+5+strings.Index(lesson[i+5:], `"`)]
	if status, _ := fetch(t, anon, s2.url+src); status != http.StatusOK {
		t.Errorf("GET %s on the restored installation = %d", src, status)
	}
	// The admin's session of the first installation ended with the restore.
	if status, _ := fetch(t, admin, s2.url+"/admin"); status == http.StatusOK {
		t.Error("a session of the backed-up installation works on the restored one")
	}
}

// Every way an archive can be wrong is said, and the target is left as it
// was: here, not even created.
func TestRestoreRefusesBadArchives(t *testing.T) {
	ctx := context.Background()
	data := t.TempDir()
	vars := map[string]string{"KALAN_DATA": data}
	if _, _, err := kalan(ctx, vars, "users", "create", "--email", "awa@kalan.test", "--name", "Awa Traoré", "--role", "admin"); err != nil {
		t.Fatal(err)
	}
	files := t.TempDir()
	plain, sealed := filepath.Join(files, "plain.tar.zst"), filepath.Join(files, "sealed.tar.zst.age")
	if out, errOut, err := kalan(ctx, vars, "backup", plain); err != nil || !strings.Contains(out.String(), "read back and checked") || !strings.Contains(errOut.String(), "not encrypted") {
		t.Fatalf("backup: %v\n%s%s", err, out, errOut)
	}
	vars["KALAN_BACKUP_PASSPHRASE"] = "correct horse battery staple"
	if _, _, err := kalan(ctx, vars, "backup", sealed); err != nil {
		t.Fatal(err)
	}
	// An existing file is never overwritten.
	if _, _, err := kalan(ctx, vars, "backup", sealed); err == nil || !strings.Contains(err.Error(), "exists") {
		t.Errorf("backup over an existing file: %v", err)
	}
	whole, _ := os.ReadFile(plain)
	truncated := filepath.Join(files, "truncated.tar.zst")
	os.WriteFile(truncated, whole[:len(whole)*2/3], 0o600)
	foreign := filepath.Join(files, "photo.jpg")
	os.WriteFile(foreign, []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00"), 0o600)

	tests := []struct {
		name, file, passphrase, want string
	}{
		{"truncated", truncated, "", "is truncated"},
		{"no passphrase", sealed, "", "is encrypted: set KALAN_BACKUP_PASSPHRASE"},
		{"wrong passphrase", sealed, "wrong horse", "KALAN_BACKUP_PASSPHRASE is not its passphrase"},
		{"foreign", foreign, "", "is not a Kalan backup archive"},
		{"missing", filepath.Join(files, "nope.tar.zst"), "", "cannot open the archive"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			target := filepath.Join(t.TempDir(), "data")
			_, _, err := kalan(ctx, map[string]string{"KALAN_DATA": target, "KALAN_BACKUP_PASSPHRASE": tt.passphrase}, "restore", tt.file)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("restore: %v, want %q", err, tt.want)
			}
			if _, statErr := os.Stat(target); statErr == nil {
				t.Errorf("the target %s was created", target)
			}
		})
	}
	// The right passphrase restores it; the account is there.
	target := map[string]string{"KALAN_DATA": filepath.Join(t.TempDir(), "data"), "KALAN_BACKUP_PASSPHRASE": "correct horse battery staple"}
	if out, errOut, err := kalan(ctx, target, "restore", sealed); err != nil {
		t.Fatalf("restore: %v\n%s%s", err, out, errOut)
	}
	if _, _, err := kalan(ctx, target, "users", "create", "--email", "awa@kalan.test", "--name", "Awa", "--role", "admin"); err == nil || !strings.Contains(err.Error(), "login") {
		t.Errorf("the restored account is missing: %v", err)
	}
}

// A backup that cannot be made (the database does not answer) fails with
// a clear message and leaves no file; the commands have their usage.
func TestBackupFailsCleanly(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	file := filepath.Join(dir, "kalan.tar.zst")
	vars := map[string]string{"KALAN_DATA": t.TempDir(), "KALAN_MONGODB_URI": "mongodb://" + freeAddr(t) + "/"}
	_, _, err := kalan(ctx, vars, "backup", file)
	if err == nil || !strings.Contains(err.Error(), "nothing was written") || !strings.Contains(err.Error(), "KALAN_MONGODB_URI") {
		t.Errorf("backup with the database down: %v", err)
	}
	// No database at all in the data directory.
	_, _, err = kalan(ctx, map[string]string{"KALAN_DATA": t.TempDir()}, "backup", file)
	if err == nil || !strings.Contains(err.Error(), "no database") {
		t.Errorf("backup of an empty data directory: %v", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("left behind: %v", entries)
	}
	for _, args := range [][]string{{"backup", "--help"}, {"restore", "--help"}} {
		out, errOut, err := kalan(ctx, nil, args...)
		if !errors.Is(err, flag.ErrHelp) || !strings.Contains(out.String()+errOut.String(), "Usage: kalan "+args[0]) {
			t.Errorf("%v: %v", args, err)
		}
	}
	for _, args := range [][]string{{"backup"}, {"restore"}, {"backup", "a", "b"}, {"backup", "--nope", "x"}} {
		if _, _, err := kalan(ctx, nil, args...); !errors.Is(err, errUsage) {
			t.Errorf("%v: %v, want a usage error", args, err)
		}
	}
	if _, _, err := kalan(ctx, map[string]string{"KALAN_BACKUP_EVERY": "daily"}, "backup", file); err == nil || !strings.Contains(err.Error(), "KALAN_BACKUP_EVERY") {
		t.Errorf("a bad KALAN_BACKUP_EVERY: %v", err)
	}
}

// With MinIO, the archive holds the bucket's objects and restores into
// another, empty bucket; a bucket that holds objects is refused.
func TestBackupRestoreWithMinIO(t *testing.T) {
	m, err := testenv.StartMinIO()
	testenv.Need(t, "MinIO server", err, testenv.MinIOHowTo)
	defer m.Stop()
	ctx := context.Background()
	onBucket := func(data, bucket string) map[string]string {
		return map[string]string{"KALAN_DATA": data, "KALAN_S3_ENDPOINT": m.Endpoint, "KALAN_S3_ACCESS_KEY": m.AccessKey,
			"KALAN_S3_SECRET_KEY": m.SecretKey, "KALAN_S3_BUCKET": bucket}
	}
	first := onBucket(t.TempDir(), "kalan-first")
	if _, errOut, err := kalan(ctx, first, "courses", "import", "../../courses"); err != nil {
		t.Fatalf("import: %v\n%s", err, errOut)
	}
	file := filepath.Join(t.TempDir(), "kalan.tar.zst")
	if out, errOut, err := kalan(ctx, first, "backup", file); err != nil {
		t.Fatalf("backup: %v\n%s%s", err, out, errOut)
	}
	second := onBucket(t.TempDir(), "kalan-second")
	if out, errOut, err := kalan(ctx, second, "restore", file); err != nil {
		t.Fatalf("restore: %v\n%s%s", err, out, errOut)
	}
	count := func(bucket string) int {
		b, err := s3.New(ctx, s3.Config{Endpoint: m.Endpoint, AccessKey: m.AccessKey, SecretKey: m.SecretKey, Bucket: bucket})
		if err != nil {
			t.Fatal(err)
		}
		list, err := b.List(ctx, "")
		if err != nil {
			t.Fatal(err)
		}
		return len(list)
	}
	if a, b := count("kalan-first"), count("kalan-second"); a == 0 || a != b {
		t.Errorf("objects: %d in the first bucket, %d restored", a, b)
	}
	// A new database, but the bucket holds objects: refused.
	third := onBucket(t.TempDir(), "kalan-second")
	if _, _, err := kalan(ctx, third, "restore", file); err == nil || !strings.Contains(err.Error(), "object storage holds") {
		t.Errorf("restore into a bucket with objects: %v", err)
	}
}
