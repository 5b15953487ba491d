package training

import (
	"context"

	"github.com/kalan-platform/kalan/server/account"
	"github.com/kalan-platform/kalan/server/catalog"
	"github.com/kalan-platform/kalan/server/learning"
)

// Take is StartOrResume, with how many attempts the person has left after
// this one (learning.AttemptsLeft; -1: unlimited), for the quiz page.
func (s *Service) Take(ctx context.Context, u *account.User, c *catalog.Course, lang string) (*Attempt, int, error) {
	a, err := s.StartOrResume(ctx, u, c, lang)
	if err != nil {
		return nil, 0, err
	}
	list, err := s.attemptsAt(ctx, u.ID, c.ID)
	if err != nil {
		return nil, 0, err
	}
	h, _ := history(list)
	left := learning.AttemptsLeft(c.Def.Quiz, h)
	if left > 0 {
		left-- // the open attempt is one of them
	}
	return a, left, nil
}
