package offline

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

const good = `{"id":"0123456789abcdef","user":"u1","type":"lesson","at":"2026-11-28T10:00:00Z","course":"basics","lesson":"indicators"}`

func TestParse(t *testing.T) {
	events, err := Parse([]byte(`{"events":[` + good + `,
		{"id":"evt-2_xxxxxxx","user":"u1","type":"submit","at":"2026-11-28T10:05:00+01:00","course":"basics","attempt":"0123456789abcdef01234567","answers":{"q1":["a","b"],"q2":[]}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if len(events) != 2 || events[0].Lesson != "indicators" || events[1].Kind != KindSubmit || len(events[1].Answers["q1"]) != 2 ||
		!events[1].At.Equal(time.Date(2026, 11, 28, 9, 5, 0, 0, time.UTC)) {
		t.Errorf("parsed %+v", events)
	}
	if events, err := Parse([]byte(`{"events":[]}`)); err != nil || len(events) != 0 {
		t.Errorf("empty batch: %v, %v", events, err)
	}
}

func TestParseRefusesMalformedBatches(t *testing.T) {
	with := func(field, value string) string {
		var m map[string]any
		_ = json.Unmarshal([]byte(good), &m)
		if value == "" {
			delete(m, field)
		} else {
			var v any
			if json.Unmarshal([]byte(value), &v) != nil {
				v = value
			}
			m[field] = v
		}
		b, _ := json.Marshal(m)
		return string(b)
	}
	cases := []struct {
		body   string
		index  int
		reason string
	}{
		{``, -1, "json"},
		{`[]`, -1, "json"},
		{`{}`, -1, "json"},
		{`{"events":null}`, -1, "json"},
		{`{"events":[]}x`, -1, "json"},
		{`{"events":[` + good + `,1]}`, 1, "json"},
		{`{"events":[` + with("id", "short") + `]}`, 0, "id"},
		{`{"events":[` + with("id", "has space in it") + `]}`, 0, "id"},
		{`{"events":[` + with("user", "") + `]}`, 0, "user"},
		{`{"events":[` + with("at", "") + `]}`, 0, "at"},
		{`{"events":[` + with("at", "yesterday") + `]}`, 0, "json"},
		{`{"events":[` + good + `,` + with("course", "../etc") + `]}`, 1, "course"},
		{`{"events":[` + with("lesson", "") + `]}`, 0, "lesson"},
		{`{"events":[` + with("type", "delete") + `]}`, 0, "type"},
		{`{"events":[` + with("attempt", `"0123456789abcdef01234567"`) + `]}`, 0, "fields"},
		{`{"events":[` + strings.Replace(with("type", "submit"), `"lesson":"indicators"`, `"attempt":"0123456789abcdef01234567","answers":{"q1":["a"]}`, 1) + `]}`, -2, ""},
		{`{"events":[` + strings.Replace(with("type", "submit"), `"lesson":"indicators"`, `"attempt":"xyz","answers":{"q1":["a"]}`, 1) + `]}`, 0, "attempt"},
		{`{"events":[` + strings.Replace(with("type", "answers"), `"lesson":"indicators"`, `"attempt":"0123456789abcdef01234567"`, 1) + `]}`, 0, "answers"},
		{`{"events":[` + strings.Replace(with("type", "answers"), `"lesson":"indicators"`, `"attempt":"0123456789abcdef01234567","answers":{"q 1":["a"]}`, 1) + `]}`, 0, "answers"},
		{`{"events":[` + strings.Repeat(good+",", MaxEvents) + good + `]}`, -1, "too_many"},
	}
	for _, tc := range cases {
		_, err := Parse([]byte(tc.body))
		var bad *BatchError
		if tc.index == -2 {
			if err != nil {
				t.Errorf("%.80s: %v, want no error", tc.body, err)
			}
			continue
		}
		if !errors.As(err, &bad) || bad.Index != tc.index || bad.Reason != tc.reason {
			t.Errorf("%.120s: %v, want event %d %s", tc.body, err, tc.index, tc.reason)
		}
	}
}

func TestTooFarAhead(t *testing.T) {
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		at   time.Time
		want bool
	}{
		{now.Add(-30 * 24 * time.Hour), false}, // made offline a month ago
		{now.Add(23 * time.Hour), false},       // a phone clock a day fast
		{now.Add(25 * time.Hour), true},
	} {
		if got := TooFarAhead(Event{At: tc.at}, now); got != tc.want {
			t.Errorf("%v: %v, want %v", tc.at, got, tc.want)
		}
	}
}

func TestSizeAndMinutes(t *testing.T) {
	// Two pages of 2 KB of text and a 30 KB photo: (2048+4096)/3 twice, plus the photo.
	items := []Item{Page(2048), Page(2048), {Bytes: 30000}}
	if got, want := Size(items), int64(2*(6144/3)+30000); got != want {
		t.Errorf("size %d, want %d", got, want)
	}
	for _, tc := range []struct {
		bytes int64
		want  int
	}{{0, 1}, {1, 1}, {360000, 1}, {360001, 2}, {2_300_000, 7}} {
		if got := Minutes(tc.bytes); got != tc.want {
			t.Errorf("Minutes(%d) = %d, want %d", tc.bytes, got, tc.want)
		}
	}
}

// FuzzParse: any body is either a batch whose every event is well-formed
// or a BatchError; never a panic.
func FuzzParse(f *testing.F) {
	f.Add([]byte(`{"events":[` + good + `]}`))
	f.Add([]byte(`{"events":[{"id":"0123456789","user":"u","type":"answers","at":"2026-01-01T00:00:00Z","course":"c","attempt":"0123456789abcdef01234567","answers":{"q":["a"]}}]}`))
	f.Add([]byte(`{"events":[{}]}`))
	f.Add([]byte(`{"events":[` + good + `]} {}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		events, err := Parse(body)
		if err != nil {
			var bad *BatchError
			if !errors.As(err, &bad) || !slices.Contains(Reasons, bad.Reason) {
				t.Fatalf("error %v is not a BatchError with a known reason", err)
			}
			return
		}
		if len(events) > MaxEvents {
			t.Fatalf("%d events accepted", len(events))
		}
		for i := range events {
			if r := check(&events[i]); r != "" {
				t.Fatalf("event %d accepted though %s", i, r)
			}
		}
	})
}
