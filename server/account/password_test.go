package account

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"golang.org/x/crypto/argon2"
)

func TestHashPassword(t *testing.T) {
	hash, err := HashPassword("Kɔnɔ-ni-sogo-7-dugu")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(hash, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("hash %q has not the expected parameters", hash)
	}
	other, err := HashPassword("Kɔnɔ-ni-sogo-7-dugu")
	if err != nil {
		t.Fatal(err)
	}
	if other == hash {
		t.Error("two hashes of one password are equal: the salt is not random")
	}
	tests := []struct {
		name string
		pw   string
		ok   bool
	}{
		{"right", "Kɔnɔ-ni-sogo-7-dugu", true},
		{"wrong", "Kɔnɔ-ni-sogo-7-dugv", false},
		{"empty", "", false},
		{"case", "kɔnɔ-ni-sogo-7-dugu", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, rehash, err := VerifyPassword(hash, tt.pw)
			if err != nil || ok != tt.ok || rehash {
				t.Errorf("VerifyPassword(%q) = %v, %v, %v; want %v, false, nil", tt.pw, ok, rehash, err, tt.ok)
			}
		})
	}
	t.Run("composed and decomposed accents sign in alike", func(t *testing.T) {
		h, err := HashPassword("Ségou-la-belle-1960")
		if err != nil {
			t.Fatal(err)
		}
		if ok, _, err := VerifyPassword(h, "Se\u0301gou-la-belle-1960"); !ok || err != nil {
			t.Errorf("VerifyPassword(decomposed) = %v, %v", ok, err)
		}
	})
}

// phcOf encodes a hash of pw with other parameters, as an older version of
// Kalan (or another tool) would have.
func phcOf(pw string, m, tc uint32, p uint8, saltLen, keyLen int) string {
	salt := []byte(strings.Repeat("s", saltLen))
	key := argon2.IDKey([]byte(pw), salt, tc, m, p, uint32(keyLen))
	return fmt.Sprintf("$argon2id$v=19$m=%d,t=%d,p=%d$%s$%s", m, tc, p, b64().EncodeToString(salt), b64().EncodeToString(key))
}

func TestVerifyPasswordNeedsRehash(t *testing.T) {
	const pw = "violet cactus mango tribune"
	tests := []struct {
		name   string
		hash   string
		rehash bool
	}{
		{"current", phcOf(pw, 19456, 2, 1, 16, 32), false},
		{"less memory", phcOf(pw, 4096, 2, 1, 16, 32), true},
		{"more passes", phcOf(pw, 19456, 3, 1, 16, 32), true},
		{"two lanes", phcOf(pw, 19456, 2, 2, 16, 32), true},
		{"short salt", phcOf(pw, 19456, 2, 1, 8, 32), true},
		{"long key", phcOf(pw, 19456, 2, 1, 16, 64), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, rehash, err := VerifyPassword(tt.hash, pw)
			if err != nil || !ok || rehash != tt.rehash {
				t.Errorf("VerifyPassword = %v, %v, %v; want true, %v, nil", ok, rehash, err, tt.rehash)
			}
			if ok, rehash, err := VerifyPassword(tt.hash, pw+"!"); ok || rehash || err != nil {
				t.Errorf("VerifyPassword(wrong) = %v, %v, %v; want false, false, nil", ok, rehash, err)
			}
		})
	}
}

func TestVerifyPasswordMalformed(t *testing.T) {
	good := phcOf("x", 64, 1, 1, 16, 32)
	parts := strings.Split(good, "$")
	with := func(i int, v string) string {
		p := append([]string(nil), parts...)
		p[i] = v
		return strings.Join(p, "$")
	}
	tests := []struct {
		name, hash string
	}{
		{"empty", ""},
		{"garbage", "not a hash"},
		{"dollars", "$$$$$"},
		{"bcrypt", "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"},
		{"argon2i", with(1, "argon2i")},
		{"old version", with(2, "v=16")},
		{"no version", "$argon2id$m=64,t=1,p=1$" + parts[4] + "$" + parts[5]},
		{"params reordered", with(3, "t=1,m=64,p=1")},
		{"params missing", with(3, "m=64,t=1")},
		{"zero time", with(3, "m=64,t=0,p=1")},
		{"zero threads", with(3, "m=64,t=1,p=0")},
		{"memory below 8p", with(3, "m=7,t=1,p=1")},
		{"huge memory", with(3, "m=4194304,t=1,p=1")},
		{"huge time", with(3, "m=64,t=1000,p=1")},
		{"threads over uint8", with(3, "m=8192,t=1,p=256")},
		{"negative", with(3, "m=-64,t=1,p=1")},
		{"plus sign", with(3, "m=+64,t=1,p=1")},
		{"overflow", with(3, "m=99999999999999999999,t=1,p=1")},
		{"bad salt", with(4, "!!!")},
		{"padded salt", with(4, parts[4]+"==")},
		{"short salt", with(4, "c2FsdA")},
		{"bad hash", with(5, "@@@")},
		{"short hash", with(5, "c2hvcnQ")},
		{"extra field", good + "$x"},
		{"truncated", good[:len(good)-10] + "$"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, rehash, err := VerifyPassword(tt.hash, "x")
			if err == nil || ok || rehash {
				t.Errorf("VerifyPassword(%q) = %v, %v, %v; want an error", tt.hash, ok, rehash, err)
			}
			if !errors.Is(err, ErrInvalidHash) {
				t.Errorf("error %v does not wrap ErrInvalidHash", err)
			}
		})
	}
	if ok, _, err := VerifyPassword(good, "x"); !ok || err != nil {
		t.Fatalf("the unaltered hash does not verify: %v, %v", ok, err)
	}
}

func TestDummyVerify(t *testing.T) {
	DummyVerify("whatever the person typed") // its cost is measured in BenchmarkDummyVerify
	DummyVerify("")
}

func TestGeneratePassword(t *testing.T) {
	seen := map[string]bool{}
	for range 200 {
		pw := GeneratePassword()
		if len(pw) != 19 || strings.Count(pw, "-") != 3 || pw[4] != '-' || pw[9] != '-' || pw[14] != '-' {
			t.Fatalf("GeneratePassword() = %q, want four groups of four", pw)
		}
		if strings.ContainsAny(strings.ReplaceAll(pw, "-", ""), "0O1Il-ABCDEFGHIJKLMNOPQRSTUVWXYZo") {
			t.Fatalf("GeneratePassword() = %q has an ambiguous character", pw)
		}
		if fe := CheckPassword(pw); fe != nil {
			t.Fatalf("CheckPassword(GeneratePassword() = %q) = %v", pw, fe)
		}
		if seen[pw] {
			t.Fatalf("GeneratePassword() repeated %q", pw)
		}
		seen[pw] = true
	}
}

func FuzzVerifyPassword(f *testing.F) {
	f.Add(phcOf("x", 64, 1, 1, 16, 32), "x")
	f.Add("$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g", "pw")
	f.Add("$argon2id$v=19$m=8,t=1,p=1$$", "")
	f.Add("$$$$$", "")
	f.Fuzz(func(t *testing.T, encoded, pw string) {
		// A parseable hash costs what its parameters say; bound the work
		// of the fuzzer, not the code under test.
		if h, err := parsePHC(encoded); err == nil && uint64(h.memory)*uint64(h.time) > 4096 {
			return // an input the fuzzer may not spend on, not a missing part
		}
		ok, rehash, err := VerifyPassword(encoded, pw)
		if err != nil && (ok || rehash) {
			t.Fatalf("VerifyPassword(%q) = %v, %v with error %v", encoded, ok, rehash, err)
		}
		if !ok && rehash {
			t.Fatalf("VerifyPassword(%q) asks to rehash a wrong password", encoded)
		}
	})
}

func BenchmarkHashPassword(b *testing.B) {
	for b.Loop() {
		if _, err := HashPassword("violet cactus mango tribune"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerifyPassword(b *testing.B) {
	hash, err := HashPassword("violet cactus mango tribune")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		VerifyPassword(hash, "violet cactus mango tribune")
	}
}

func BenchmarkDummyVerify(b *testing.B) {
	for b.Loop() {
		DummyVerify("violet cactus mango tribune")
	}
}

func BenchmarkCheckPassword(b *testing.B) {
	long := long256()
	for b.Loop() {
		CheckPassword(long, "Ousmane Sidibé", "+22376123456")
	}
}
