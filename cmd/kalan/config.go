package main

import (
	"errors"
	"flag"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// config is the whole configuration (docs/CONTRACT.md): environment variables,
// each also a command-line flag.
type config struct {
	Addr, Data, BaseURL   string
	MongoURI, MongoDB     string
	S3Endpoint, S3Bucket  string
	S3AccessKey, S3Secret string
	S3Secure              bool
	s3SecureRaw           string
	SessionIdle           time.Duration
	sessionIdleRaw        string
	TrustedProxies        []string
	trustedProxiesRaw     string
	SigningKey            string
	LibraryMaxMB          int64
	libraryMaxRaw         string
	SingleInstance        bool
	singleInstanceRaw     string
	LogSample             int // request log: one ordinary request in N (0: none); server errors and slow requests always
	logSampleRaw          string
	// Backups (backup_cmd.go): BackupDir defaults to $KALAN_DATA/backups.
	BackupDir, BackupPassphrase string
	BackupEvery                 time.Duration
	backupEveryRaw              string
	BackupKeep                  int
	backupKeepRaw               string
}

// setting is one line of the configuration table.
type setting struct {
	env, flag, def, help string
	dst                  *string
	secret               bool
}

func (c *config) settings() []setting {
	return []setting{
		{"KALAN_ADDR", "addr", ":8080", "listen address", &c.Addr, false},
		{"KALAN_DATA", "data", "./data", "data directory of the embedded default", &c.Data, false},
		{"KALAN_BASE_URL", "base-url", "http://localhost:8080", "public URL, used in QR codes and links", &c.BaseURL, false},
		{"KALAN_MONGODB_URI", "mongodb-uri", "", "MongoDB connection string (empty: embedded FerretDB)", &c.MongoURI, true},
		{"KALAN_MONGODB_DB", "mongodb-db", "kalan", "database name", &c.MongoDB, false},
		{"KALAN_S3_ENDPOINT", "s3-endpoint", "", "MinIO/S3 endpoint host:port (empty: local blob directory)", &c.S3Endpoint, false},
		{"KALAN_S3_ACCESS_KEY", "s3-access-key", "", "object storage access key", &c.S3AccessKey, false},
		{"KALAN_S3_SECRET_KEY", "s3-secret-key", "", "object storage secret key", &c.S3Secret, true},
		{"KALAN_S3_BUCKET", "s3-bucket", "kalan", "bucket (created if missing)", &c.S3Bucket, false},
		{"KALAN_S3_SECURE", "s3-secure", "false", "TLS to the object storage endpoint", &c.s3SecureRaw, false},
		{"KALAN_SESSION_IDLE", "session-idle", "30m", "sign out after this long without activity, unless \"remember me\" (e.g. 15m, 2h)", &c.sessionIdleRaw, false},
		{"KALAN_SIGNING_KEY", "signing-key", "", "PEM file of the Ed25519 key that signs certificates (empty: signing-key.pem in the data directory, created on first start)", &c.SigningKey, false},
		{"KALAN_LIBRARY_MAX_MB", "library-max-mb", "300", "largest file an admin may upload to the library, in MB", &c.libraryMaxRaw, false},
		{"KALAN_TRUSTED_PROXIES", "trusted-proxies", "", "comma-separated addresses of reverse proxies whose X-Forwarded-For names the client", &c.trustedProxiesRaw, false},
		{"KALAN_BACKUP_DIR", "backup-dir", "", "where serve writes scheduled backups (empty: backups in the data directory)", &c.BackupDir, false},
		{"KALAN_BACKUP_EVERY", "backup-every", "24h", "interval of scheduled backups (0: none), e.g. 24h, 6h", &c.backupEveryRaw, false},
		{"KALAN_BACKUP_KEEP", "backup-keep", "7", "scheduled archives kept", &c.backupKeepRaw, false},
		{"KALAN_BACKUP_PASSPHRASE", "backup-passphrase", "", "when set, archives are encrypted with it (age, scrypt); prefer the variable to the flag", &c.BackupPassphrase, true},
		{"KALAN_LOG_SAMPLE", "log-sample", "1", "log one request in N (1: every request; 0: none); server errors and slow requests are always logged", &c.logSampleRaw, false},
		{"KALAN_SINGLE_INSTANCE", "single-instance", "false", "this is the only kalan serve using KALAN_MONGODB_URI: allows an external FerretDB (its updates are not atomic across instances)", &c.singleInstanceRaw, false},
	}
}

// bind registers every setting as a flag with its built-in default. The
// environment is applied after parsing (see fromEnv), so that --help never
// prints a secret taken from the environment.
func (c *config) bind(fs *flag.FlagSet) {
	for _, s := range c.settings() {
		fs.StringVar(s.dst, s.flag, s.def, s.help+" ($"+s.env+")")
	}
}

// fromEnv sets every setting not given as a flag from its environment
// variable, when that is set: a flag wins over the environment, which wins
// over the default.
func (c *config) fromEnv(fs *flag.FlagSet, getenv func(string) string) {
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	for _, s := range c.settings() {
		if v := getenv(s.env); v != "" && !given[s.flag] {
			*s.dst = v
		}
	}
}

// validate checks the configuration and names the variable at fault.
func (c *config) validate() error {
	var errs []error
	if c.Addr == "" {
		errs = append(errs, errors.New("KALAN_ADDR is empty: set a listen address such as :8080"))
	}
	if c.Data == "" {
		errs = append(errs, errors.New("KALAN_DATA is empty: set a data directory such as ./data"))
	}
	if u, err := url.Parse(c.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		errs = append(errs, fmt.Errorf("KALAN_BASE_URL %q is not an http(s) URL such as https://kalan.example.org", c.BaseURL))
	}
	if c.MongoDB == "" || strings.ContainsAny(c.MongoDB, `/\. "$`) {
		errs = append(errs, fmt.Errorf("KALAN_MONGODB_DB %q is not a valid database name", c.MongoDB))
	}
	secure, err := strconv.ParseBool(c.s3SecureRaw)
	if err != nil {
		errs = append(errs, fmt.Errorf("KALAN_S3_SECURE %q is not true or false", c.s3SecureRaw))
	}
	c.S3Secure = secure
	single, err := strconv.ParseBool(c.singleInstanceRaw)
	if err != nil {
		errs = append(errs, fmt.Errorf("KALAN_SINGLE_INSTANCE %q is not true or false", c.singleInstanceRaw))
	}
	c.SingleInstance = single
	idle, err := time.ParseDuration(c.sessionIdleRaw)
	if err != nil || idle < time.Minute || idle > 24*time.Hour {
		errs = append(errs, fmt.Errorf("KALAN_SESSION_IDLE %q is not a duration between 1m and 24h, such as 30m", c.sessionIdleRaw))
	}
	c.SessionIdle = idle
	maxMB, err := strconv.ParseInt(c.libraryMaxRaw, 10, 64)
	if err != nil || maxMB < 1 || maxMB > 4096 {
		errs = append(errs, fmt.Errorf("KALAN_LIBRARY_MAX_MB %q is not a number of megabytes between 1 and 4096", c.libraryMaxRaw))
	}
	c.LibraryMaxMB = maxMB
	sample, err := strconv.Atoi(c.logSampleRaw)
	if err != nil || sample < 0 || sample > 1_000_000 {
		errs = append(errs, fmt.Errorf("KALAN_LOG_SAMPLE %q is not a whole number from 0 (no request lines) to 1000000, such as 1 (every request) or 100", c.logSampleRaw))
	}
	c.LogSample = sample
	errs = append(errs, c.validateBackups()...)
	c.TrustedProxies = nil
	for _, p := range strings.Split(c.trustedProxiesRaw, ",") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		if net.ParseIP(p) == nil {
			if _, _, err := net.ParseCIDR(p); err != nil {
				errs = append(errs, fmt.Errorf("KALAN_TRUSTED_PROXIES: %q is not an IP address or CIDR range", p))
				continue
			}
		}
		c.TrustedProxies = append(c.TrustedProxies, p)
	}
	if c.S3Endpoint != "" {
		if strings.Contains(c.S3Endpoint, "://") || strings.Contains(c.S3Endpoint, "/") {
			errs = append(errs, fmt.Errorf("KALAN_S3_ENDPOINT %q must be host:port, without scheme or path (use KALAN_S3_SECURE for TLS)", c.S3Endpoint))
		}
		if c.S3AccessKey == "" || c.S3Secret == "" {
			errs = append(errs, errors.New("KALAN_S3_ENDPOINT is set: KALAN_S3_ACCESS_KEY and KALAN_S3_SECRET_KEY are required too"))
		}
		if c.S3Bucket == "" {
			errs = append(errs, errors.New("KALAN_S3_BUCKET is empty"))
		}
	}
	return errors.Join(errs...)
}

// logAttrs is the configuration for the start-up log line, secrets masked.
func (c *config) logAttrs() []any {
	var attrs []any
	for _, s := range c.settings() {
		v := *s.dst
		switch {
		case s.env == "KALAN_MONGODB_URI" && v != "":
			v = redactedMongoURI(v)
		case s.secret && v != "":
			v = "xxxxx"
		}
		attrs = append(attrs, s.env, v)
	}
	return attrs
}

// secureCookies is true when Kalan is served over TLS.
func (c *config) secureCookies() bool { return strings.HasPrefix(c.BaseURL, "https://") }

// redactedMongoURI hides the password of a connection string for logs and
// messages.
func redactedMongoURI(uri string) string {
	u, err := url.Parse(uri)
	if err != nil {
		return "(unparseable URI)"
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}
