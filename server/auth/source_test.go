package auth

import "testing"

func TestSourceOf(t *testing.T) {
	tests := []struct{ addr, want string }{
		{"196.200.1.7", "196.200.1.7"},
		{"::ffff:196.200.1.7", "196.200.1.7"},
		{"2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"},
		{"2001:db8:1:2:bbbb::9", "2001:db8:1:2::/64"},
		{"0.0.0.0", "0.0.0.0"},
		{"not an address", "not an address"},
	}
	for _, tt := range tests {
		if got := sourceOf(tt.addr); got != tt.want {
			t.Errorf("sourceOf(%q) = %q, want %q", tt.addr, got, tt.want)
		}
	}
}
