package session

import (
	"testing"
	"time"
)

func TestExpiry(t *testing.T) {
	p := Policy{Idle: 30 * time.Minute, Absolute: 12 * time.Hour, RememberIdle: 30 * 24 * time.Hour, RememberAbsolute: 90 * 24 * time.Hour}
	start := time.Date(2027, 3, 1, 8, 0, 0, 0, time.UTC)
	tests := []struct {
		name     string
		remember bool
		seen     time.Time
		want     time.Time
	}{
		{"idle limit after the last activity", false, start.Add(time.Hour), start.Add(90 * time.Minute)},
		{"never past the absolute limit", false, start.Add(11*time.Hour + 50*time.Minute), start.Add(12 * time.Hour)},
		{"remember me: a month idle", true, start.Add(time.Hour), start.Add(time.Hour + 30*24*time.Hour)},
		{"remember me: 90 days at most", true, start.Add(80 * 24 * time.Hour), start.Add(90 * 24 * time.Hour)},
	}
	for _, tt := range tests {
		s := Session{CreatedAt: start, Remember: tt.remember}
		if got := p.expiry(s, tt.seen); !got.Equal(tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestWellFormed(t *testing.T) {
	for token, want := range map[string]bool{
		"0jNs0W8DMA-EQp_tP5RTITIJ0VnkVvRYd5hRCnfHrfg": true,
		"": false, "short": false,
		"0jNs0W8DMA-EQp_tP5RTITIJ0VnkVvRYd5hRCnfHrf=":  false,
		"0jNs0W8DMA-EQp_tP5RTITIJ0VnkVvRYd5hRCnfHrfgX": false,
	} {
		if got := wellFormed(token); got != want {
			t.Errorf("wellFormed(%q) = %v", token, got)
		}
	}
}
