// Package recency keeps in-memory lists ordered newest first, as the
// cohort and library caches hold them.
package recency

import (
	"slices"
	"time"
)

// Put returns list (newest first) with x in its place by created time,
// replacing the element with the same id. It does not modify list.
func Put[T any](list []T, x T, id func(T) string, created func(T) time.Time) []T {
	out := make([]T, 0, len(list)+1)
	for _, o := range list {
		if id(o) != id(x) {
			out = append(out, o)
		}
	}
	at, _ := slices.BinarySearchFunc(out, x, func(a, b T) int { return created(b).Compare(created(a)) })
	return slices.Insert(out, at, x)
}
