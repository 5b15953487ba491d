package certificate_test

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/kalan-platform/kalan/server/certificate"
)

func TestPayloadBytes(t *testing.T) {
	c := certificate.Certificate{
		Serial:       "7QX4M2PAQ",
		Holder:       bambaraName,
		Course:       "detection-basics",
		Title:        "Détecter <la> traite & \"le\" travail forcé",
		Lang:         "fr",
		Completed:    time.Date(2027, 3, 2, 16, 45, 0, 0, time.UTC),
		Minutes:      45,
		Organisation: "Police nationale",
		Issuer:       "Kalan kalan.example.org",
	}
	// Fixed order, short keys, UTF-8 as is, no HTML escaping, no newline.
	want := `{"v":1,"s":"7QX4M2PAQ","n":"Fanta Kɔnɛ Ɲuman Ŋara","c":"detection-basics",` +
		`"t":"Détecter <la> traite & \"le\" travail forcé","l":"fr","d":"2027-03-02","m":45,` +
		`"o":"Police nationale","i":"Kalan kalan.example.org"}`
	if got := string(c.Payload()); got != want {
		t.Errorf("Payload() =\n%s\nwant\n%s", got, want)
	}
}

func TestPayloadDate(t *testing.T) {
	bamako := time.FixedZone("GMT", 0)
	tokyo := time.FixedZone("JST", 9*3600)
	tests := []struct {
		name string
		in   time.Time
		want string
	}{
		{"midnight UTC", time.Date(2027, 3, 2, 0, 0, 0, 0, time.UTC), "2027-03-02"},
		{"late evening in Bamako", time.Date(2027, 3, 2, 23, 59, 0, 0, bamako), "2027-03-02"},
		{"morning in Tokyo is the day before in UTC", time.Date(2027, 3, 2, 8, 0, 0, 0, tokyo), "2027-03-01"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := testCert(t)
			c.Completed = tt.in
			got, err := certificate.ParsePayload(c.Payload())
			if err != nil {
				t.Fatalf("ParsePayload: %v", err)
			}
			if d := got.Completed.Format(time.DateOnly); d != tt.want || got.Completed.Location() != time.UTC {
				t.Errorf("Completed = %v, want %s UTC", got.Completed, tt.want)
			}
		})
	}
}

func TestSignVerify(t *testing.T) {
	key := testKey(t)
	pub := key.Public().(ed25519.PublicKey)
	tests := []struct {
		name string
		edit func(*certificate.Certificate)
	}{
		{"Bambara name, French title", func(*certificate.Certificate) {}},
		{"English", func(c *certificate.Certificate) { c.Title, c.Lang = "Spotting trafficking: the basics", "en" }},
		{"Bambara title", func(c *certificate.Certificate) { c.Title, c.Lang = "Mɔgɔ feerecogo dɔnni", "bm" }},
		{"no organisation", func(c *certificate.Certificate) { c.Organisation = "" }},
		{"zero minutes", func(c *certificate.Certificate) { c.Minutes = 0 }},
		{"long name", func(c *certificate.Certificate) { c.Holder = strings.Repeat("Ɲɛ Ŋɔ ", 20) }},
		{"quotes and controls", func(c *certificate.Certificate) { c.Holder = "A \"B\" \\ C\n\t\u0000 <d>" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := testCert(t)
			tt.edit(&want)
			payload, sig := certificate.Sign(key, want)
			if !bytes.Equal(payload, want.Payload()) {
				t.Errorf("Sign payload = %s, want Payload() = %s", payload, want.Payload())
			}
			got, err := certificate.Verify(pub, payload, sig)
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			assertSameCert(t, got, want)
		})
	}
}

// assertSameCert compares certificates field by field (time by instant).
func assertSameCert(t *testing.T, got, want certificate.Certificate) {
	t.Helper()
	if !got.Completed.Equal(want.Completed) {
		t.Errorf("Completed = %v, want %v", got.Completed, want.Completed)
	}
	got.Completed, want.Completed = time.Time{}, time.Time{}
	if got != want {
		t.Errorf("certificate =\n%+v\nwant\n%+v", got, want)
	}
}

func TestVerifyRefusesTampering(t *testing.T) {
	key := testKey(t)
	pub := key.Public().(ed25519.PublicKey)
	payload, sig := certificate.Sign(key, testCert(t))

	t.Run("each payload byte flipped", func(t *testing.T) {
		for i := range payload {
			p := bytes.Clone(payload)
			p[i] ^= 0x01
			if _, err := certificate.Verify(pub, p, sig); !errors.Is(err, certificate.ErrBadSignature) {
				t.Fatalf("byte %d flipped: err = %v, want ErrBadSignature", i, err)
			}
		}
	})
	t.Run("each signature byte flipped", func(t *testing.T) {
		for i := range sig {
			s := bytes.Clone(sig)
			s[i] ^= 0x80
			if _, err := certificate.Verify(pub, payload, s); !errors.Is(err, certificate.ErrBadSignature) {
				t.Fatalf("byte %d flipped: err = %v, want ErrBadSignature", i, err)
			}
		}
	})
	tests := []struct {
		name         string
		payload, sig []byte
		pub          ed25519.PublicKey
	}{
		{"another key", payload, sig, testKey(t).Public().(ed25519.PublicKey)},
		{"signature cut short", payload, sig[:63], pub},
		{"no signature", payload, nil, pub},
		{"payload with a space added", append(bytes.Clone(payload), ' '), sig, pub},
		{"empty payload", nil, sig, pub},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := certificate.Verify(tt.pub, tt.payload, tt.sig); !errors.Is(err, certificate.ErrBadSignature) {
				t.Errorf("err = %v, want ErrBadSignature", err)
			}
		})
	}
	t.Run("malformed public key is not a bad signature", func(t *testing.T) {
		_, err := certificate.Verify(pub[:31], payload, sig)
		if err == nil || errors.Is(err, certificate.ErrBadSignature) {
			t.Errorf("err = %v, want an error other than ErrBadSignature", err)
		}
	})
}

func TestParsePayloadRefuses(t *testing.T) {
	valid := string(testCert(t).Payload())
	replace := func(old, new string) string {
		t.Helper()
		if !strings.Contains(valid, old) {
			t.Fatalf("%q not in %s", old, valid)
		}
		return strings.Replace(valid, old, new, 1)
	}
	tests := []struct{ name, in string }{
		{"empty", ""},
		{"garbage", "\x00\xff garbage"},
		{"null", "null"},
		{"array", `[1,2]`},
		{"string", `"v"`},
		{"empty object", `{}`},
		{"truncated", valid[:len(valid)-1]},
		{"version 2", replace(`"v":1`, `"v":2`)},
		{"version as string", replace(`"v":1`, `"v":"1"`)},
		{"missing version", replace(`"v":1,`, ``)},
		{"missing organisation", replace(`,"o":"Police nationale"`, ``)},
		{"unknown key", replace(`"v":1`, `"v":1,"x":0`)},
		{"upper-case key", replace(`"v":1`, `"v":1,"S":"AAAAAAAAA"`)},
		{"repeated key", replace(`"v":1`, `"v":1,"v":1`)},
		{"trailing data", valid + `{}`},
		{"trailing garbage", valid + `x`},
		{"two objects", valid + valid},
		{"bad serial", replace(`"s":"`, `"s":"X`)},
		{"lower-case serial", `{"v":1,"s":"7qx4m2paq","n":"","c":"","t":"","l":"","d":"2027-03-02","m":0,"o":"","i":""}`},
		{"formatted serial", `{"v":1,"s":"7QX-4M2-PAQ","n":"","c":"","t":"","l":"","d":"2027-03-02","m":0,"o":"","i":""}`},
		{"bad date", replace(`"d":"2027-03-02"`, `"d":"2027-02-30"`)},
		{"date with time", replace(`"d":"2027-03-02"`, `"d":"2027-03-02T10:00:00Z"`)},
		{"negative minutes", replace(`"m":45`, `"m":-1`)},
		{"fractional minutes", replace(`"m":45`, `"m":4.5`)},
		{"huge minutes", replace(`"m":45`, `"m":1e400`)},
		{"name as number", replace(`"n":"`+bambaraName+`"`, `"n":7`)},
		{"name as object", replace(`"n":"`+bambaraName+`"`, `"n":{}`)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if c, err := certificate.ParsePayload([]byte(tt.in)); err == nil {
				t.Errorf("ParsePayload(%q) = %+v, want an error", tt.in, c)
			}
		})
	}
	t.Run("minimal valid", func(t *testing.T) {
		in := `{"v":1,"s":"7QX4M2PAQ","n":"","c":"","t":"","l":"","d":"2027-03-02","m":0,"o":"","i":""}`
		if _, err := certificate.ParsePayload([]byte(in)); err != nil {
			t.Errorf("ParsePayload(%s): %v", in, err)
		}
	})
}

func FuzzParsePayload(f *testing.F) {
	f.Add(testCert(f).Payload())
	f.Add([]byte(`{"v":1,"s":"7QX4M2PAQ","n":"","c":"","t":"","l":"","d":"2027-03-02","m":0,"o":"","i":""}`))
	f.Add([]byte(`{"v":1,"v":2}`))
	f.Add([]byte(`{"v":1,"s":"7QX4M2PAQ","n":"\ud800","c":"","t":"","l":"","d":"0001-01-01","m":0,"o":"","i":""}`))
	f.Add([]byte("\xff"))
	f.Fuzz(func(t *testing.T, p []byte) {
		c, err := certificate.ParsePayload(p)
		if err != nil {
			return
		}
		// What was accepted writes back to a payload that reads the same.
		again, err := certificate.ParsePayload(c.Payload())
		if err != nil {
			t.Fatalf("ParsePayload(%s).Payload() = %s does not parse: %v", p, c.Payload(), err)
		}
		assertSameCert(t, again, c)
		if !bytes.Equal(again.Payload(), c.Payload()) {
			t.Fatalf("Payload() not stable: %s then %s", c.Payload(), again.Payload())
		}
	})
}
