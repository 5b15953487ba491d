package catalog

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/kalan-platform/kalan/courses"
	"github.com/kalan-platform/kalan/server/blob"
	"github.com/kalan-platform/kalan/server/picture"
)

// variantKey is the object-storage key of an image's copy at a width. It
// has its own prefix: "media/<hash>" is a file, so it cannot also be a
// folder (see package blob).
func variantKey(sha256 string, width int) string {
	return "media-w/" + sha256 + "/" + strconv.Itoa(width)
}

// VariantURL is the public address of an image's copy at a width (one of
// picture.Widths).
func VariantURL(sha256 string, width int) string {
	return MediaURL(sha256) + "?w=" + strconv.Itoa(width)
}

// imageSizes reads the size of each image of a course (raster images and
// SVG) from the first bytes of its stored file, so that lesson HTML
// carries width, height and srcset. An image that cannot be read is shown
// without them rather than keeping the course unpublished: a warning says
// why.
func (c *Catalog) imageSizes(ctx context.Context, course *courses.Course) map[string]picture.Size {
	sizes := map[string]picture.Size{}
	for _, m := range course.Media {
		if !picture.Sized(m.ContentType) {
			continue
		}
		head, err := c.head(ctx, m)
		if err != nil {
			c.log.Warn("media size unknown", "course", course.Slug, "media", m.Path, "err", err)
			continue
		}
		if s, err := picture.Inspect(m.ContentType, head); err == nil {
			sizes[m.SHA256] = s
		}
	}
	return sizes
}

func (c *Catalog) head(ctx context.Context, m courses.Media) ([]byte, error) {
	r, _, err := c.blobs.Open(ctx, MediaKey(m.SHA256), 0, min(m.Size, picture.HeadLen))
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return io.ReadAll(r)
}

// OpenMedia opens a media file, or with a width its copy at that width,
// which it makes and stores the first time it is asked for. A width that
// the image does not offer (see picture.Variants) is ErrNotFound, like a
// file that does not exist.
func (c *Catalog) OpenMedia(ctx context.Context, sha256 string, width int) (io.ReadCloser, blob.Info, error) {
	key := MediaKey(sha256)
	if width != 0 {
		key = variantKey(sha256, width)
	}
	r, info, err := c.blobs.Open(ctx, key, 0, -1)
	if errors.Is(err, blob.ErrNotFound) && width != 0 {
		if err = c.makeVariant(ctx, sha256, width); err == nil {
			r, info, err = c.blobs.Open(ctx, key, 0, -1)
		}
	}
	if errors.Is(err, blob.ErrNotFound) || errors.Is(err, picture.ErrUnsupported) {
		return nil, blob.Info{}, fmt.Errorf("catalog: media %s at width %d: %w", sha256, width, ErrNotFound)
	}
	return r, info, err
}

// StatMedia describes a course media file, so that it can be served in
// byte ranges with OpenMediaRange (a recording played on a phone asks for
// ranges as it plays, and a cut download resumes with one).
func (c *Catalog) StatMedia(ctx context.Context, sha256 string) (blob.Info, error) {
	info, err := c.blobs.Stat(ctx, MediaKey(sha256))
	if errors.Is(err, blob.ErrNotFound) {
		return blob.Info{}, fmt.Errorf("catalog: media %s: %w", sha256, ErrNotFound)
	}
	return info, err
}

// OpenMediaRange reads length bytes of a course media file from offset
// (length -1: to the end), within what StatMedia said.
func (c *Catalog) OpenMediaRange(ctx context.Context, sha256 string, offset, length int64) (io.ReadCloser, error) {
	r, _, err := c.blobs.Open(ctx, MediaKey(sha256), offset, length)
	if errors.Is(err, blob.ErrNotFound) {
		return nil, fmt.Errorf("catalog: media %s: %w", sha256, ErrNotFound)
	}
	return r, err
}

// makeVariant resizes an image and stores the copy. Copies are made one at
// a time; two readers asking at once wait for one copy.
func (c *Catalog) makeVariant(ctx context.Context, sha256 string, width int) error {
	select {
	case c.resizing <- struct{}{}:
		defer func() { <-c.resizing }()
	case <-ctx.Done():
		return ctx.Err()
	}
	key := variantKey(sha256, width)
	if _, err := c.blobs.Stat(ctx, key); !errors.Is(err, blob.ErrNotFound) {
		return err // made while this reader waited, or storage trouble
	}
	r, info, err := c.blobs.Open(ctx, MediaKey(sha256), 0, -1)
	if err != nil {
		return err
	}
	data, err := picture.Resize(r, info.ContentType, width)
	r.Close()
	if err != nil {
		return err
	}
	if int64(len(data)) >= info.Size {
		// A copy is never heavier than the original: then the copy is the
		// original, so the srcset still costs nothing extra.
		if r, _, err = c.blobs.Open(ctx, MediaKey(sha256), 0, -1); err != nil {
			return err
		}
		defer r.Close()
		_, err = c.blobs.Put(ctx, key, r, info.Size, info.ContentType)
		return err
	}
	if _, err := c.blobs.Put(ctx, key, bytes.NewReader(data), int64(len(data)), info.ContentType); err != nil {
		return err
	}
	c.log.Info("image copy made", "width", width, "bytes", len(data), "original_bytes", info.Size)
	return nil
}
