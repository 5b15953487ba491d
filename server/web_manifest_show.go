package server

import (
	"encoding/json"

	"github.com/gofiber/fiber/v2"
)

// webManifest makes Kalan installable from the browser's menu.
func (h *handlers) webManifest(c *fiber.Ctx) error {
	// Android offers installation only with 192 and 512 px PNG icons; the
	// maskable one keeps the mark inside the safe zone of any mask shape.
	icons := []map[string]string{}
	for _, i := range manifestIcons {
		src, err := h.View.AssetURL(i.name)
		if err != nil {
			return err
		}
		icons = append(icons, map[string]string{"src": src, "sizes": i.sizes, "type": i.typ, "purpose": i.purpose})
	}
	p := h.page(c)
	body, err := json.Marshal(map[string]any{
		"name": "Kalan", "short_name": "Kalan", "description": p.T("footer.about"), "lang": p.Lang, "dir": p.Dir,
		"start_url": "/", "scope": "/", "display": "standalone", "background_color": "#ffffff", "theme_color": "#8a3b12",
		"icons": icons,
	})
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/manifest+json")
	c.Set(fiber.HeaderCacheControl, "public, max-age=86400")
	c.Vary(fiber.HeaderAcceptLanguage, fiber.HeaderCookie)
	return c.Send(body)
}
