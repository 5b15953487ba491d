package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"

	"github.com/kalan-platform/kalan/server/blob"
	"github.com/kalan-platform/kalan/server/blob/s3"
	"github.com/kalan-platform/kalan/server/store"
)

// storage is the database and object storage of a configuration.
type storage struct {
	store    *store.Store
	blobs    blob.Store
	embedded *store.Embedded // nil with KALAN_MONGODB_URI
}

// openStorage opens the database (embedded FerretDB unless
// KALAN_MONGODB_URI is set) and the object storage (a directory unless
// KALAN_S3_ENDPOINT is set). Its errors say what to check or set.
func openStorage(ctx context.Context, cfg *config, log *slog.Logger) (*storage, error) {
	st := &storage{}
	uri := cfg.MongoURI
	if uri == "" {
		e, err := store.StartEmbedded(ctx, cfg.Data, log)
		if errors.Is(err, store.ErrDataDirInUse) {
			return nil, fmt.Errorf("the data directory %s is used by another kalan process: stop it first, or set KALAN_DATA to another directory", cfg.Data)
		}
		if err != nil {
			return nil, fmt.Errorf("cannot start the embedded database in %s: %w (check KALAN_DATA, or set KALAN_MONGODB_URI)", cfg.Data, err)
		}
		st.embedded, uri = e, e.URI()
		log.Info("embedded database started", "dir", filepath.Join(cfg.Data, "db"))
	} else if err := refuseSharedFerretDB(ctx, cfg, log); err != nil {
		return nil, err
	}
	s, err := store.Open(ctx, store.Config{URI: uri, Database: cfg.MongoDB, Embedded: st.embedded,
		SingleInstance: cfg.SingleInstance && cfg.MongoURI != "", Log: log})
	var migration *store.MigrationError
	switch {
	case err == nil:
	case errors.As(err, &migration):
		st.close(ctx)
		return nil, fmt.Errorf("cannot bring the database up to date, nothing was started: %w", err)
	case !errors.Is(err, store.ErrUnavailable):
		st.close(ctx)
		return nil, fmt.Errorf("cannot open the database: %w", err)
	case cfg.MongoURI == "":
		st.close(ctx)
		return nil, fmt.Errorf("the embedded database does not answer: %w", err)
	default:
		st.close(ctx)
		return nil, fmt.Errorf("cannot reach MongoDB at %s: %w (check KALAN_MONGODB_URI and that the server runs)", redactedMongoURI(cfg.MongoURI), err)
	}
	st.store = s
	if cfg.S3Endpoint == "" {
		dir := filepath.Join(cfg.Data, "blobs")
		d, err := blob.NewDisk(dir)
		if err != nil {
			st.close(ctx)
			return nil, fmt.Errorf("cannot use the blob directory %s: %w (check KALAN_DATA, or set KALAN_S3_ENDPOINT)", dir, err)
		}
		st.blobs = d
		return st, nil
	}
	b, err := s3.New(ctx, s3.Config{
		Endpoint: cfg.S3Endpoint, AccessKey: cfg.S3AccessKey, SecretKey: cfg.S3Secret,
		Bucket: cfg.S3Bucket, Secure: cfg.S3Secure,
	})
	if err != nil {
		st.close(ctx)
		return nil, fmt.Errorf("cannot use object storage at %s, bucket %q: %w (check KALAN_S3_ENDPOINT, KALAN_S3_ACCESS_KEY, KALAN_S3_SECRET_KEY, KALAN_S3_BUCKET and KALAN_S3_SECURE)", cfg.S3Endpoint, cfg.S3Bucket, err)
	}
	st.blobs = b
	log.Info("object storage connected", "endpoint", cfg.S3Endpoint, "bucket", cfg.S3Bucket)
	return st, nil
}

// refuseSharedFerretDB stops an external FerretDB from being used by
// several instances: its filtered updates, $inc and $addToSet read and
// write back a document without a lock, so two instances writing at once
// lose acknowledged writes (a submission counted twice, lessons done
// forgotten). One instance can use it safely under its own document
// locks. A server that does not answer is left to store.Open to report.
func refuseSharedFerretDB(ctx context.Context, cfg *config, log *slog.Logger) error {
	version, err := store.FerretDBVersion(ctx, cfg.MongoURI)
	if err != nil || version == "" {
		return nil //nolint:nilerr // not FerretDB, or not answering: store.Open says which
	}
	if !cfg.SingleInstance {
		return fmt.Errorf("KALAN_MONGODB_URI (%s) is FerretDB %s, whose updates are not atomic when several instances write at once: "+
			"use MongoDB (a replica set) to run several instances, or set KALAN_SINGLE_INSTANCE=true if this is the only kalan serve using it",
			redactedMongoURI(cfg.MongoURI), version)
	}
	log.Warn("external FerretDB used by a single instance: do not start a second one", "ferretdb", version)
	return nil
}

// close disconnects and stops the embedded database; safe on a partly
// opened storage.
func (st *storage) close(ctx context.Context) {
	if st.store != nil {
		_ = st.store.Close(context.WithoutCancel(ctx))
	}
	if st.embedded != nil {
		st.embedded.Stop()
	}
}
