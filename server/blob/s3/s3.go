package s3

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/kalan-platform/kalan/server/blob"
)

// Config says where the MinIO (or other S3) bucket is.
type Config struct {
	Endpoint  string // host:port, no scheme
	AccessKey string
	SecretKey string
	Bucket    string
	// Region defaults to us-east-1 (MinIO's default); setting it spares
	// minio-go a bucket-location request before the first call.
	Region string
	Secure bool // HTTPS
}

// Connection settings. minio-go's defaults (30 s dial, 10 attempts with
// backoff) would keep /readyz and pages hanging for minutes when MinIO is
// down; these make a dead endpoint fail in about a second and a black-holed
// one in about 4 s.
const (
	s3DialTimeout = 2 * time.Second
	// s3Attempts is minio-go's Options.MaxRetries, which counts attempts:
	// 1 disables retries; 2 allows one retry after ≤200 ms, which absorbs a
	// dropped keep-alive connection.
	s3Attempts = 2
	// s3HeaderTimeout bounds the wait for response headers. It does not cut
	// long downloads (the body is not covered) nor long multipart
	// completions (MinIO sends its 200 early and keeps the body alive).
	s3HeaderTimeout = 15 * time.Second
	// s3PingTimeout bounds Ping even when the caller set no deadline.
	s3PingTimeout = 3 * time.Second
	// s3PartSize is fixed so that the multipart layout, and therefore the
	// ETag, depends only on the content: objects up to this size go in one
	// PUT (ETag = MD5), larger ones in parts of exactly this size (ETag =
	// MD5 of the part MD5s + "-N"), whether or not the size was known. It
	// is also the memory one upload of unknown size buffers (twice).
	s3PartSize = 8 << 20
	// s3DefaultRegion is what MinIO answers when no region is configured.
	s3DefaultRegion = "us-east-1"
)

// Store is a blob.Store on a MinIO or S3 bucket, used in production.
type Store struct {
	client *minio.Client
	core   minio.Core
	bucket string
}

var _ blob.Store = (*Store)(nil)

// New connects through minio-go and creates the bucket if missing. It
// returns an error wrapping blob.ErrUnavailable, within a few seconds, when the
// endpoint does not answer.
func New(ctx context.Context, cfg Config) (*Store, error) {
	if cfg.Endpoint == "" || cfg.Bucket == "" {
		return nil, errors.New("blob: s3: endpoint and bucket are required")
	}
	tr, err := minio.DefaultTransport(cfg.Secure)
	if err != nil {
		return nil, fmt.Errorf("blob: s3 %s: transport: %w", cfg.Endpoint, err)
	}
	tr.DialContext = (&net.Dialer{Timeout: s3DialTimeout, KeepAlive: 30 * time.Second}).DialContext
	tr.TLSHandshakeTimeout = 5 * time.Second
	tr.ResponseHeaderTimeout = s3HeaderTimeout
	region := cfg.Region
	if region == "" {
		region = s3DefaultRegion
	}
	client, err := minio.New(cfg.Endpoint, &minio.Options{
		Creds:      credentials.NewStaticV4(cfg.AccessKey, cfg.SecretKey, ""),
		Secure:     cfg.Secure,
		Transport:  tr,
		Region:     region,
		MaxRetries: s3Attempts,
	})
	if err != nil {
		return nil, fmt.Errorf("blob: s3 %s: %w", cfg.Endpoint, err)
	}
	s := &Store{client: client, core: minio.Core{Client: client}, bucket: cfg.Bucket}

	exists, err := client.BucketExists(ctx, cfg.Bucket)
	if err != nil {
		return nil, s3Error("connect", cfg.Endpoint+"/"+cfg.Bucket, err)
	}
	if !exists {
		err := client.MakeBucket(ctx, cfg.Bucket, minio.MakeBucketOptions{Region: region})
		// Another instance may have created it meanwhile.
		if err != nil && minio.ToErrorResponse(err).Code != minio.BucketAlreadyOwnedByYou {
			return nil, s3Error("create bucket", cfg.Bucket, err)
		}
	}
	return s, nil
}

// s3Error maps a minio-go error to the package sentinels, keeping the
// original error in the chain for logs.
func s3Error(op, key string, err error) error {
	if sentinel := s3Sentinel(err); sentinel != nil {
		return fmt.Errorf("blob: %s %q: %w: %w", op, key, sentinel, err)
	}
	return fmt.Errorf("blob: %s %q: %w", op, key, err)
}

func s3Sentinel(err error) error {
	resp := minio.ToErrorResponse(err)
	switch resp.Code {
	case minio.NoSuchKey, minio.NoSuchBucket:
		return blob.ErrNotFound
	case "InvalidRange":
		return blob.ErrInvalidRange
	case "XMinioServerNotInitialized", "ServiceUnavailable", "SlowDown", "SlowDownRead",
		"SlowDownWrite", "RequestTimeout", "InternalError", "XMinioStorageFull":
		return blob.ErrUnavailable
	}
	switch resp.StatusCode {
	case http.StatusInternalServerError, http.StatusBadGateway,
		http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return blob.ErrUnavailable
	}
	// Refused, reset, DNS, dial and header timeouts, and deadlines, but not
	// a caller's cancellation.
	if minio.IsNetworkOrHostDown(err, false) || errors.Is(err, io.ErrUnexpectedEOF) {
		return blob.ErrUnavailable
	}
	return nil
}

// Put implements blob.Store.
func (s *Store) Put(ctx context.Context, key string, r io.Reader, size int64, contentType string) (blob.Info, error) {
	ct, err := blob.CheckPut(key, size, contentType)
	if err != nil {
		return blob.Info{}, err
	}
	fail := func(err error) (blob.Info, error) { return blob.Info{}, fmt.Errorf("blob: put %q: %w", key, err) }
	body := blob.NewSizeReader(ctx, r, size)
	var src io.Reader = body
	n := size
	if size == 0 {
		// minio-go never reads a body declared empty: check that it is.
		if _, err := io.Copy(io.Discard, body); err != nil {
			return fail(err)
		}
	}
	if size < 0 {
		// minio-go sends every unknown-size body as multipart, which would
		// give a small object a different ETag than the same bytes with a
		// known size. Read up to one part: if the body ends there, it goes
		// in one PUT like any small object (and is retryable, being
		// seekable).
		head, err := readUpTo(body, s3PartSize+1)
		if err != nil {
			return fail(err)
		}
		if len(head) <= s3PartSize {
			src, n = bytes.NewReader(head), int64(len(head))
		} else {
			src = io.MultiReader(bytes.NewReader(head), body)
		}
	}
	up, err := s.client.PutObject(ctx, s.bucket, key, src, n, minio.PutObjectOptions{
		ContentType: ct,
		PartSize:    s3PartSize,
	})
	// The caller's problem (failing reader, wrong size) comes first: minio-go
	// reports it as some transport error.
	if body.Err() != nil {
		return fail(body.Err())
	}
	if err != nil {
		return blob.Info{}, s3Error("put", key, err)
	}
	mod := up.LastModified
	if mod.IsZero() {
		// PUT responses carry no Last-Modified, and a Stat would cost a
		// request and could see a later Put. Our clock, at the second
		// precision of HTTP dates, is close enough.
		mod = time.Now().UTC().Truncate(time.Second)
	}
	return blob.Info{Key: key, Size: up.Size, ContentType: ct, ETag: strings.Trim(up.ETag, `"`), ModTime: mod}, nil
}

// Open implements blob.Store. It asks for the range in one GET and learns the
// whole size from Content-Range; minio-go's Core.GetObject is used because,
// unlike Client.GetObject, it is not lazy and exposes the headers.
func (s *Store) Open(ctx context.Context, key string, offset, length int64) (io.ReadCloser, blob.Info, error) {
	if err := blob.ValidKey(key); err != nil {
		return nil, blob.Info{}, fmt.Errorf("blob: open: %w", err)
	}
	if err := blob.CheckRange(offset, length); err != nil {
		return nil, blob.Info{}, fmt.Errorf("blob: open %q: %w", key, err)
	}
	if length == 0 {
		// HTTP cannot ask for zero bytes; the size check is all there is.
		info, err := s.Stat(ctx, key)
		if err != nil {
			return nil, blob.Info{}, err
		}
		if _, err := blob.RangeLen(offset, length, info.Size); err != nil {
			return nil, blob.Info{}, fmt.Errorf("blob: open %q: %w", key, err)
		}
		return http.NoBody, info, nil
	}
	var opts minio.GetObjectOptions
	ranged := offset > 0 || length > 0
	if ranged {
		end := int64(0) // with offset > 0: "bytes=offset-"
		if length > 0 {
			end = offset + length - 1
		}
		if err := opts.SetRange(offset, end); err != nil {
			return nil, blob.Info{}, fmt.Errorf("blob: open %q: %w: %w", key, blob.ErrInvalidRange, err)
		}
	}
	rc, oi, hdr, err := s.core.GetObject(ctx, s.bucket, key, opts)
	if err != nil {
		if length == -1 && errors.Is(s3Sentinel(err), blob.ErrInvalidRange) {
			// S3 refuses "bytes=size-" but the contract allows reading
			// nothing at the very end.
			info, serr := s.Stat(ctx, key)
			if serr == nil && offset == info.Size {
				return http.NoBody, info, nil
			}
		}
		return nil, blob.Info{}, s3Error("open", key, err)
	}
	info := s3Info(key, oi)
	if ranged {
		total, ok := contentRangeTotal(hdr.Get("Content-Range"))
		if !ok {
			_ = rc.Close()
			return nil, blob.Info{}, fmt.Errorf("blob: open %q: unexpected Content-Range %q", key, hdr.Get("Content-Range"))
		}
		info.Size = total
		// S3 shortens a range that runs past the end; the contract refuses it.
		if _, err := blob.RangeLen(offset, length, total); err != nil {
			_ = rc.Close()
			return nil, blob.Info{}, fmt.Errorf("blob: open %q: %w", key, err)
		}
	}
	return rc, info, nil
}

// readUpTo reads r until EOF or limit bytes. The buffer grows with the data
// but never past limit, so a small body costs little and a large one at most
// limit bytes (bytes.Buffer would round up to twice that).
func readUpTo(r io.Reader, limit int) ([]byte, error) {
	buf := make([]byte, 0, min(64<<10, limit))
	for len(buf) < limit {
		if len(buf) == cap(buf) {
			buf = slices.Grow(buf, min(cap(buf), limit-len(buf)))
		}
		k, err := r.Read(buf[len(buf):min(cap(buf), limit)])
		buf = buf[:len(buf)+k]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return nil, err
		}
	}
	return buf, nil
}

// contentRangeTotal reads the complete length from "bytes a-b/total".
func contentRangeTotal(v string) (int64, bool) {
	_, total, ok := strings.Cut(v, "/")
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseInt(total, 10, 64)
	return n, err == nil && n >= 0
}

func s3Info(key string, oi minio.ObjectInfo) blob.Info {
	return blob.Info{
		Key:         key,
		Size:        oi.Size,
		ContentType: oi.ContentType,
		ETag:        strings.Trim(oi.ETag, `"`),
		ModTime:     oi.LastModified,
	}
}

// Stat implements blob.Store.
func (s *Store) Stat(ctx context.Context, key string) (blob.Info, error) {
	if err := blob.ValidKey(key); err != nil {
		return blob.Info{}, fmt.Errorf("blob: stat: %w", err)
	}
	oi, err := s.client.StatObject(ctx, s.bucket, key, minio.StatObjectOptions{})
	if err != nil {
		return blob.Info{}, s3Error("stat", key, err)
	}
	return s3Info(key, oi), nil
}

// Delete implements blob.Store. S3 answers 204 for a missing key, which gives the
// idempotence for free.
func (s *Store) Delete(ctx context.Context, key string) error {
	if err := blob.ValidKey(key); err != nil {
		return fmt.Errorf("blob: delete: %w", err)
	}
	if err := s.client.RemoveObject(ctx, s.bucket, key, minio.RemoveObjectOptions{}); err != nil {
		return s3Error("delete", key, err)
	}
	return nil
}

// List implements blob.Store. WithMetadata is a MinIO extension that adds the
// content type to list results; other S3 servers ignore it and List then
// leaves ContentType empty.
func (s *Store) List(ctx context.Context, prefix string) ([]blob.Info, error) {
	if err := blob.ValidPrefix(prefix); err != nil {
		return nil, fmt.Errorf("blob: list: %w", err)
	}
	// Cancelling stops minio-go's listing goroutine if we return early.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var out []blob.Info
	for oi := range s.client.ListObjects(ctx, s.bucket, minio.ListObjectsOptions{
		Prefix:       prefix,
		Recursive:    true,
		WithMetadata: true,
	}) {
		if oi.Err != nil {
			return nil, s3Error("list", prefix, oi.Err)
		}
		info := s3Info(oi.Key, oi)
		if info.ContentType == "" {
			info.ContentType = metaContentType(oi.UserMetadata)
		}
		out = append(out, info)
	}
	// S3 sorts by UTF-8 bytes already; sorting again costs little and keeps
	// the promise with servers that do not.
	slices.SortFunc(out, func(a, b blob.Info) int { return strings.Compare(a.Key, b.Key) })
	return out, nil
}

// metaContentType finds the content type among MinIO's list metadata.
func metaContentType(m minio.StringMap) string {
	for k, v := range m {
		if strings.EqualFold(k, "content-type") {
			return v
		}
	}
	return ""
}

// Ping implements blob.Store: the bucket must answer and exist.
func (s *Store) Ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, s3PingTimeout)
	defer cancel()
	ok, err := s.client.BucketExists(ctx, s.bucket)
	if err != nil {
		return s3Error("ping", s.bucket, err)
	}
	if !ok {
		return fmt.Errorf("blob: ping %q: %w: bucket does not exist", s.bucket, blob.ErrUnavailable)
	}
	return nil
}
