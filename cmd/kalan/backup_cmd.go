package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/kalan-platform/kalan/server/backup"
	"github.com/kalan-platform/kalan/server/blob"
	"github.com/kalan-platform/kalan/server/blob/s3"
	"github.com/kalan-platform/kalan/server/certificate"
	"github.com/kalan-platform/kalan/server/store"
)

const (
	backupSynopsis  = "kalan backup [flags] FILE   (FILE - writes to standard output)"
	restoreSynopsis = "kalan restore [flags] FILE"
)

// validateBackups checks the KALAN_BACKUP_* settings.
func (c *config) validateBackups() []error {
	var errs []error
	if c.BackupDir == "" {
		c.BackupDir = filepath.Join(c.Data, "backups")
	}
	every, err := time.ParseDuration(c.backupEveryRaw)
	if c.backupEveryRaw == "0" {
		every, err = 0, nil
	}
	if err != nil || every < 0 || (every > 0 && every < time.Second) {
		errs = append(errs, fmt.Errorf("KALAN_BACKUP_EVERY %q is not 0 (no scheduled backup) or a duration such as 24h or 6h", c.backupEveryRaw))
	}
	c.BackupEvery = every
	keep, err := strconv.Atoi(c.backupKeepRaw)
	if err != nil || keep < 1 || keep > 10_000 {
		errs = append(errs, fmt.Errorf("KALAN_BACKUP_KEEP %q is not a number of archives between 1 and 10000", c.backupKeepRaw))
	}
	c.BackupKeep = keep
	return errs
}

// archiveArgs reads the configuration and the one archive file of
// `kalan backup` and `kalan restore`.
func archiveArgs(e env, name, synopsis string, args []string) (*config, string, error) {
	var cfg config
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	cfg.bind(fs)
	if err := parseFlags(e, fs, args, synopsis); err != nil {
		return nil, "", err
	}
	if fs.NArg() != 1 {
		fmt.Fprintf(e.stderr, "kalan %s: name one archive file\n", name)
		fs.Usage()
		return nil, "", errUsage
	}
	cfg.fromEnv(fs, e.getenv)
	if err := cfg.validate(); err != nil {
		return nil, "", err
	}
	return &cfg, fs.Arg(0), nil
}

// backupCmd writes one archive of the installation (docs/CONTRACT.md). It
// needs no stopped server: the embedded database is copied in one read
// transaction while `kalan serve` may keep writing it.
func backupCmd(ctx context.Context, e env, args []string) error {
	cfg, file, err := archiveArgs(e, "backup", backupSynopsis, args)
	if err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	blobs, err := openBlobs(ctx, cfg)
	if err != nil {
		return err
	}
	view := func(ctx context.Context) (*store.Raw, error) {
		if cfg.MongoURI == "" {
			return snapshot(ctx, cfg, log)
		}
		r, err := store.OpenRaw(ctx, cfg.MongoURI, cfg.MongoDB)
		if err != nil {
			return nil, fmt.Errorf("cannot reach MongoDB at %s: %w (check KALAN_MONGODB_URI)", redactedMongoURI(cfg.MongoURI), err)
		}
		return r, nil
	}
	start := time.Now()
	progress := func(line string) {
		fmt.Fprintf(e.stderr, "backup: %s (%s)\n", line, time.Since(start).Round(time.Second))
	}
	if cfg.BackupPassphrase == "" {
		fmt.Fprintln(e.stderr, "backup: not encrypted (KALAN_BACKUP_PASSPHRASE is not set): the archive holds personal data and the signing key; keep it on encrypted media")
	}
	write := func(w io.Writer) (*backup.Manifest, error) {
		return writeBackup(ctx, cfg, view, blobs, w, progress)
	}
	if file == "-" {
		m, err := write(e.stdout)
		if err != nil {
			return fmt.Errorf("backup failed: %w", err)
		}
		fmt.Fprintf(e.stderr, "backup: %s in %s\n", summary(m), time.Since(start).Round(time.Millisecond))
		return nil
	}
	m, size, err := backup.WriteFile(ctx, file, write, cfg.BackupPassphrase)
	if err != nil {
		return fmt.Errorf("backup failed, nothing was written to %s: %w", file, err)
	}
	enc := "not encrypted"
	if cfg.BackupPassphrase != "" {
		enc = "encrypted"
	}
	fmt.Fprintf(e.stdout, "wrote %s: %s; %.1f MB, %s, read back and checked, in %s\n",
		file, summary(m), float64(size)/1e6, enc, time.Since(start).Round(time.Millisecond))
	return nil
}

// summary says what an archive holds.
func summary(m *backup.Manifest) string {
	key := "with the signing key"
	if !m.SigningKey {
		key = "no signing key"
	}
	return fmt.Sprintf("%d documents in %d collections, %d objects (%.1f MB), %s",
		m.Documents(), len(m.Collections), m.Objects, float64(m.ObjectBytes)/1e6, key)
}

// snapshot is a consistent copy of the embedded database; a server may
// be writing it meanwhile.
func snapshot(ctx context.Context, cfg *config, log *slog.Logger) (*store.Raw, error) {
	store.RemoveStaleSnapshots(cfg.Data)
	r, err := store.SnapshotEmbedded(ctx, cfg.Data, cfg.MongoDB, log)
	if errors.Is(err, store.ErrNoDatabase) {
		return nil, fmt.Errorf("no database in %s (check KALAN_DATA, or set KALAN_MONGODB_URI)", filepath.Join(cfg.Data, "db"))
	}
	return r, err
}

// writeBackup writes one archive of the database view, the objects and
// the signing key.
func writeBackup(ctx context.Context, cfg *config, view func(context.Context) (*store.Raw, error), blobs blob.Store, w io.Writer, progress func(string)) (*backup.Manifest, error) {
	key, err := os.ReadFile(signingKeyPath(cfg))
	if errors.Is(err, fs.ErrNotExist) {
		key = nil // a new installation: nothing has been signed yet
	} else if err != nil {
		return nil, fmt.Errorf("cannot read the signing key: %w", err)
	}
	raw, err := view(ctx)
	if err != nil {
		return nil, err
	}
	defer raw.Close(ctx)
	return backup.Write(ctx, w, backup.Source{Database: raw, Name: cfg.MongoDB, Blobs: blobs, SigningKey: key, Skip: store.SessionCollections},
		backup.Options{Passphrase: cfg.BackupPassphrase, Kalan: version, Now: time.Now(), Progress: progress})
}

// newBackups builds the scheduled backups of serve.
func newBackups(cfg *config, st *storage, reg prometheus.Registerer, log *slog.Logger) (*backup.Scheduler, error) {
	view := func(ctx context.Context) (*store.Raw, error) {
		if st.embedded != nil {
			return snapshot(ctx, cfg, log)
		}
		return st.store.Raw(), nil
	}
	return backup.NewScheduler(backup.Schedule{
		Dir: cfg.BackupDir, Every: cfg.BackupEvery, Keep: cfg.BackupKeep, Passphrase: cfg.BackupPassphrase,
		Log: log.With("component", "backup"), Registry: reg,
		Write: func(ctx context.Context, w io.Writer) (*backup.Manifest, error) {
			return writeBackup(ctx, cfg, view, st.blobs, w, nil)
		},
	})
}

// signingKeyPath is where the installation's signing key is (keys.go).
func signingKeyPath(cfg *config) string {
	if cfg.SigningKey != "" {
		return cfg.SigningKey
	}
	return filepath.Join(cfg.Data, "signing-key.pem")
}

// openBlobs opens the object storage of a configuration, as serve does.
func openBlobs(ctx context.Context, cfg *config) (blob.Store, error) {
	if cfg.S3Endpoint == "" {
		dir := filepath.Join(cfg.Data, "blobs")
		d, err := blob.NewDisk(dir)
		if err != nil {
			return nil, fmt.Errorf("cannot use the blob directory %s: %w (check KALAN_DATA, or set KALAN_S3_ENDPOINT)", dir, err)
		}
		return d, nil
	}
	b, err := s3.New(ctx, s3.Config{Endpoint: cfg.S3Endpoint, AccessKey: cfg.S3AccessKey, SecretKey: cfg.S3Secret, Bucket: cfg.S3Bucket, Secure: cfg.S3Secure})
	if err != nil {
		return nil, fmt.Errorf("cannot use object storage at %s, bucket %q: %w (check the KALAN_S3_* settings)", cfg.S3Endpoint, cfg.S3Bucket, err)
	}
	return b, nil
}

// restoreCmd restores an archive into an empty installation
// (docs/CONTRACT.md). The archive is read whole and checked before anything
// is written; a target that holds data is refused.
func restoreCmd(ctx context.Context, e env, args []string) error {
	cfg, file, err := archiveArgs(e, "restore", restoreSynopsis, args)
	if err != nil {
		return err
	}
	start := time.Now()
	progress := func(line string) {
		fmt.Fprintf(e.stderr, "restore: %s (%s)\n", line, time.Since(start).Round(time.Second))
	}
	f, err := os.Open(file)
	if err != nil {
		return fmt.Errorf("cannot open the archive: %w", err)
	}
	defer f.Close()

	progress("checking " + file)
	m, err := backup.Verify(f, cfg.BackupPassphrase)
	if err != nil {
		return archiveError(file, err)
	}
	if m.Schema > store.SchemaVersion {
		return fmt.Errorf("%s holds a database of schema %d, newer than this release's (%d): restore it with the release that made it (%s); nothing was changed", file, m.Schema, store.SchemaVersion, m.Kalan)
	}
	progress(fmt.Sprintf("%s is whole: made %s by kalan %s; %s", file, m.Created.Format(time.RFC3339), m.Kalan, summary(m)))

	// The signing key first: it is a file, checked without starting anything.
	keyPath := signingKeyPath(cfg)
	if err := checkKeyTarget(keyPath, m, f, cfg.BackupPassphrase); err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	uri := cfg.MongoURI
	var emb *store.Embedded
	if uri == "" {
		emb, err = store.StartEmbedded(ctx, cfg.Data, log)
		if errors.Is(err, store.ErrDataDirInUse) {
			return fmt.Errorf("the data directory %s is used by a running kalan: stop it, or restore into another directory (KALAN_DATA); nothing was changed", cfg.Data)
		}
		if err != nil {
			return fmt.Errorf("cannot start the embedded database in %s: %w", cfg.Data, err)
		}
		defer emb.Stop()
		uri = emb.URI()
	}
	raw, err := store.OpenRaw(ctx, uri, cfg.MongoDB)
	if err != nil {
		return fmt.Errorf("cannot reach the database: %w (check KALAN_MONGODB_URI); nothing was changed", err)
	}
	defer raw.Close(ctx)
	blobs, err := openBlobs(ctx, cfg)
	if err != nil {
		return err
	}
	target := backup.Target{Database: raw, Blobs: blobs, Skip: store.SessionCollections, Replace: []string{store.MetaCollection}}
	if err := backup.CheckEmpty(ctx, target); err != nil {
		if errors.Is(err, backup.ErrNotEmpty) {
			return fmt.Errorf("%w: restore into a new data directory (KALAN_DATA), or an empty database and bucket; nothing was changed", err)
		}
		return fmt.Errorf("cannot check the target: %w; nothing was changed", err)
	}

	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	key, err := backup.Restore(ctx, f, cfg.BackupPassphrase, m, target, progress)
	if err == nil && key != nil {
		err = writeKeyFile(keyPath, key)
	}
	if err != nil {
		return fmt.Errorf("restore failed half-way: %w; the target now holds part of the archive: empty it (a new data directory, or drop the database and empty the bucket) before restoring again", err)
	}
	_ = raw.Close(ctx)

	// Bring the database up to this release (indexes, migrations), as
	// serve would at start.
	s, err := store.Open(ctx, store.Config{URI: uri, Database: cfg.MongoDB, Embedded: emb, Log: log})
	if err != nil {
		return fmt.Errorf("the archive was restored but the database cannot be brought up to date: %w", err)
	}
	_ = s.Close(ctx)
	if !m.SigningKey {
		fmt.Fprintf(e.stderr, "restore: the archive holds no signing key: put the installation's key at %s before starting, or certificates issued before will not verify\n", keyPath)
	}
	fmt.Fprintf(e.stdout, "restored %s: %s, in %s; no session was restored: everyone signs in again\n", file, summary(m), time.Since(start).Round(time.Millisecond))
	return nil
}

// archiveError says what is wrong with an archive that cannot be restored.
func archiveError(file string, err error) error {
	const none = "nothing was changed"
	switch {
	case errors.Is(err, backup.ErrNeedPassphrase):
		return fmt.Errorf("%s is encrypted: set KALAN_BACKUP_PASSPHRASE to the passphrase it was made with; %s", file, none)
	case errors.Is(err, backup.ErrWrongPassphrase):
		return fmt.Errorf("%s is encrypted and KALAN_BACKUP_PASSPHRASE is not its passphrase; %s", file, none)
	case errors.Is(err, backup.ErrForeign):
		return fmt.Errorf("%s is not a Kalan backup archive; %s", file, none)
	case errors.Is(err, backup.ErrTruncated):
		return fmt.Errorf("%s: %w, a copy cut short? %s", file, err, none)
	case errors.Is(err, backup.ErrCorrupt):
		return fmt.Errorf("%s: %w (damaged on its disk or on the way?); %s", file, err, none)
	case errors.Is(err, backup.ErrNewer):
		return fmt.Errorf("%s: %w; restore it with that release; %s", file, err, none)
	}
	return fmt.Errorf("cannot read %s: %w; %s", file, err, none)
}

// checkKeyTarget refuses a restore over a different signing key: the
// archive's certificates would stop verifying, or the other key's would.
func checkKeyTarget(path string, m *backup.Manifest, f io.ReadSeeker, passphrase string) error {
	have, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) || !m.SigningKey {
		return nil
	}
	if err != nil {
		return fmt.Errorf("cannot read the signing key %s: %w", path, err)
	}
	var archived []byte
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	if _, err := backup.Read(f, passphrase, func(kind, _ string, _ int64, body io.Reader) error {
		if kind == "key" {
			archived, err = io.ReadAll(body)
			return err
		}
		return errStopReading
	}); err != nil && !errors.Is(err, errStopReading) {
		return archiveError("the archive", err)
	}
	if sameKey(have, archived) {
		return nil
	}
	return fmt.Errorf("%w: a different signing key is at %s: restore into a new data directory, or move that key aside (KALAN_SIGNING_KEY); nothing was changed", backup.ErrNotEmpty, path)
}

var errStopReading = errors.New("stop")

func sameKey(a, b []byte) bool {
	ka, errA := certificate.DecodePrivateKey(a)
	kb, errB := certificate.DecodePrivateKey(b)
	if errA == nil && errB == nil {
		return ka.Equal(kb)
	}
	return bytes.Equal(a, b)
}

// writeKeyFile writes the restored signing key, never over another.
func writeKeyFile(path string, pem []byte) error {
	if have, err := os.ReadFile(path); err == nil && sameKey(have, pem) {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("cannot write the signing key %s: %w", path, err)
	}
	if _, err := f.Write(pem); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
