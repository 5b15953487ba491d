package server

import (
	"net/netip"
	"testing"
)

func TestClientAddrIsTheRightMostUntrustedHop(t *testing.T) {
	trusted := parseProxies([]string{"10.0.0.1", "10.1.0.0/16", "not-an-address"})
	proxy, outsider := netip.MustParseAddr("10.0.0.1"), netip.MustParseAddr("203.0.113.9")
	for _, tt := range []struct {
		name      string
		remote    netip.Addr
		forwarded string
		want      string
	}{
		{"no proxy", outsider, "", "203.0.113.9"},
		{"a client's own header is ignored", outsider, "198.51.100.1", "203.0.113.9"},
		{"one proxy", proxy, "41.73.1.2", "41.73.1.2"},
		// The client sent "1.2.3.4" itself; our proxy appended the address it saw.
		{"a forged entry to the left", proxy, "1.2.3.4, 41.73.1.2", "41.73.1.2"},
		{"a chain of our proxies", proxy, "1.2.3.4, 41.73.1.2, 10.1.4.4", "41.73.1.2"},
		{"garbage from the client", proxy, "evil, 41.73.1.2", "41.73.1.2"},
		{"only garbage", proxy, "evil", "10.0.0.1"},
		{"only our proxies", proxy, "10.1.0.7", "10.1.0.7"},
		{"IPv4 in IPv6", netip.MustParseAddr("::ffff:10.0.0.1"), "::ffff:41.73.1.2", "41.73.1.2"},
	} {
		if got := clientAddr(tt.remote, tt.forwarded, trusted); got != tt.want {
			t.Errorf("%s: clientAddr(%s, %q) = %q, want %q", tt.name, tt.remote, tt.forwarded, got, tt.want)
		}
	}
}

// FuzzClientAddr: whatever a client writes in X-Forwarded-For, the address
// is a valid one, and never one the client wrote to the left of what the
// trusted proxy appended.
func FuzzClientAddr(f *testing.F) {
	for _, s := range []string{"", "1.2.3.4", "1.2.3.4, 5.6.7.8", "evil", ",,,", "::1, 10.0.0.1"} {
		f.Add(s)
	}
	trusted := parseProxies([]string{"10.0.0.1"})
	f.Fuzz(func(t *testing.T, forged string) {
		// The proxy appends the address it saw: 41.73.1.2.
		got := clientAddr(netip.MustParseAddr("10.0.0.1"), forged+", 41.73.1.2", trusted)
		if got != "41.73.1.2" {
			t.Fatalf("with %q forged: %q", forged, got)
		}
		if a := clientAddr(netip.MustParseAddr("10.0.0.1"), forged, trusted); !netip.MustParseAddr(a).IsValid() {
			t.Fatalf("with %q alone: %q", forged, a)
		}
	})
}
