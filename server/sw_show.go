package server

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/kalan-platform/kalan/server/view"
)

// pageStyle is the stylesheet every page carries inline (view.InlineStyle).
const pageStyle = "css/kalan.css"

// shellAssets are the static files pages load: the service worker keeps
// them, so that any page opened before works offline. The stylesheet is
// not one: it is inside every page.
var shellAssets = []string{"js/offline.js", "js/quiz.js", "img/icon.svg"}

// serviceWorker is the script served at /sw.js: assets/static/js/sw.js
// after two lines naming the shell's hashed URLs and a version that
// changes with them, so a new release replaces the old shell.
func serviceWorker(v *view.View) ([]byte, error) {
	var shell []string
	for _, name := range shellAssets {
		u, err := v.AssetURL(name)
		if err != nil {
			return nil, err
		}
		shell = append(shell, u)
	}
	src, err := v.AssetURL("js/sw.js")
	if err != nil {
		return nil, err
	}
	body, ok := v.Static(strings.TrimPrefix(src, "/static/"))
	if !ok {
		return nil, fmt.Errorf("service worker: %s not found", src)
	}
	list, err := json.Marshal(shell)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(append(list, body.Body...))
	head := fmt.Sprintf("var SHELL = %s;\nvar VERSION = %q;\n", list, hex.EncodeToString(sum[:6]))
	return append([]byte(head), body.Body...), nil
}

// swShow serves the service worker from the root, so that it controls
// every page. Browsers check it for updates on each visit: no-cache.
func (h *handlers) swShow(c *fiber.Ctx) error {
	c.Set(fiber.HeaderContentType, "text/javascript; charset=utf-8")
	c.Set(fiber.HeaderCacheControl, "no-cache")
	return c.Send(h.sw)
}
