package server

import (
	"net/netip"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// proxies are the trusted reverse proxies (KALAN_TRUSTED_PROXIES), as
// addresses or ranges; an entry that is neither is left out.
type proxies []netip.Prefix

func parseProxies(list []string) proxies {
	var out proxies
	for _, s := range list {
		s = strings.TrimSpace(s)
		if p, err := netip.ParsePrefix(s); err == nil {
			out = append(out, p.Masked())
		} else if a, err := netip.ParseAddr(s); err == nil {
			out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
		}
	}
	return out
}

func (ps proxies) trust(a netip.Addr) bool {
	a = a.Unmap()
	for _, p := range ps {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// clientAddr is the address of whoever sent the request, for the sign-in
// limits and the audit log. Behind trusted proxies it is the right-most
// X-Forwarded-For entry that is not one of them: each proxy appends the
// address it was reached from, and everything to the left of what a
// trusted proxy wrote is whatever the client chose to send.
func clientAddr(remote netip.Addr, forwarded string, trusted proxies) string {
	remote = remote.Unmap()
	if !trusted.trust(remote) || forwarded == "" {
		return remote.String()
	}
	hops := strings.Split(forwarded, ",")
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break // not written by a proxy of ours: nothing to its left is either
		}
		if a = a.Unmap(); !trusted.trust(a) {
			return a.String()
		}
		remote = a // a chain of our own proxies: the client is further left
	}
	return remote.String()
}

// clientIP is clientAddr of a request.
func (h *handlers) clientIP(c *fiber.Ctx) string {
	remote, _ := netip.AddrFromSlice(c.Context().RemoteIP())
	return clientAddr(remote, c.Get(fiber.HeaderXForwardedFor), h.proxies)
}
