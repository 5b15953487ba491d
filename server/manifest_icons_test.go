package server_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image/png"
	"net/http"
	"testing"
)

// Android browsers offer to install a site only when its manifest lists
// 192 and 512 px PNG icons; a maskable one fills any mask shape. Each icon
// listed exists, decodes as a PNG of the size it claims, and stays small.
func TestManifestIconsInstallEverywhere(t *testing.T) {
	const maxIcon = 8 << 10
	e := newEnv(t)
	r := e.get(t, "/manifest.webmanifest")
	var manifest struct {
		Icons []struct{ Src, Sizes, Type, Purpose string }
	}
	if r.StatusCode != http.StatusOK || json.Unmarshal(r.body, &manifest) != nil {
		t.Fatalf("web manifest: %d %s", r.StatusCode, r.body)
	}
	found := map[string]bool{}
	for _, icon := range manifest.Icons {
		if icon.Type != "image/png" {
			continue
		}
		img := e.get(t, icon.Src)
		if img.StatusCode != http.StatusOK || img.Header.Get("Content-Type") != "image/png" {
			t.Errorf("%s: %d %q", icon.Src, img.StatusCode, img.Header.Get("Content-Type"))
			continue
		}
		cfg, err := png.DecodeConfig(bytes.NewReader(img.body))
		if err != nil {
			t.Errorf("%s: not a PNG: %v", icon.Src, err)
			continue
		}
		if got := fmt.Sprintf("%dx%d", cfg.Width, cfg.Height); got != icon.Sizes {
			t.Errorf("%s is %s, the manifest says %s", icon.Src, got, icon.Sizes)
		}
		if _, err := png.Decode(bytes.NewReader(img.body)); err != nil {
			t.Errorf("%s does not decode: %v", icon.Src, err)
		}
		if len(img.body) > maxIcon {
			t.Errorf("%s: %d bytes, keep icons under %d", icon.Src, len(img.body), maxIcon)
		}
		found[icon.Sizes+" "+icon.Purpose] = true
	}
	for _, want := range []string{"192x192 any", "512x512 any", "512x512 maskable"} {
		if !found[want] {
			t.Errorf("the manifest lists no %s PNG icon: %s", want, r.body)
		}
	}
}
