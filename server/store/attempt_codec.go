package store

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/kalan-platform/kalan/server/learning"
)

// An attempt's questions and answers are stored as short strings rather
// than arrays of sub-documents: the embedded FerretDB stores each document
// with a description of its shape, which for nested arrays grew larger
// than the data (an attempt of course 1 took 9 KB, now under 1 KB). Question and
// option ids are those of the course format ([a-z0-9-]), so the
// separators below never occur in them; an id that holds one is refused,
// never stored ambiguously.
//
//	drawn:   q2=a,b;q1=b,a  each question drawn and its options, in the order shown
//	answers: q1=b;q2=a,c    the options chosen for each question answered

var errSeparator = errors.New("store: an id holds a separator")

func checkID(id string) error {
	if id == "" || strings.ContainsAny(id, "=,;") {
		return fmt.Errorf("%w: %q", errSeparator, id)
	}
	return nil
}

func joinIDs(ids []string) (string, error) {
	for _, id := range ids {
		if err := checkID(id); err != nil {
			return "", err
		}
	}
	return strings.Join(ids, ","), nil
}

func splitIDs(s string) []string {
	if s == "" {
		return []string{}
	}
	return strings.Split(s, ",")
}

func encodeDrawn(drawn []learning.Drawn) (string, error) {
	parts := make([]string, len(drawn))
	for i, d := range drawn {
		opts, err := joinIDs(d.Options)
		if err != nil {
			return "", err
		}
		if err := checkID(d.Question); err != nil {
			return "", err
		}
		parts[i] = d.Question + "=" + opts
	}
	return strings.Join(parts, ";"), nil
}

func decodeDrawn(s string) ([]learning.Drawn, error) {
	var out []learning.Drawn
	for _, part := range splitList(s) {
		q, opts, ok := strings.Cut(part, "=")
		if !ok || q == "" {
			return nil, fmt.Errorf("store: drawn questions %q", s)
		}
		out = append(out, learning.Drawn{Question: q, Options: splitIDs(opts)})
	}
	return out, nil
}

// encodeAnswers writes the questions in id order: the same answers are
// always the same string.
func encodeAnswers(a learning.Answers) (string, error) {
	qs := make([]string, 0, len(a))
	for q := range a {
		qs = append(qs, q)
	}
	slices.Sort(qs)
	parts := make([]string, len(qs))
	for i, q := range qs {
		if err := checkID(q); err != nil {
			return "", err
		}
		opts, err := joinIDs(a[q])
		if err != nil {
			return "", err
		}
		parts[i] = q + "=" + opts
	}
	return strings.Join(parts, ";"), nil
}

func decodeAnswers(s string) (learning.Answers, error) {
	out := learning.Answers{}
	for _, part := range splitList(s) {
		q, opts, ok := strings.Cut(part, "=")
		if !ok || q == "" {
			return nil, fmt.Errorf("store: answers %q", s)
		}
		out[q] = splitIDs(opts)
	}
	return out, nil
}

func splitList(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ";")
}
