package store

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
)

// Invitation states, kept by cohort id in the account: the subset of
// MongoDB that Kalan uses has no $pull or $unset, so an answered
// invitation changes state instead of leaving the list.
const (
	invited  = "invited"
	accepted = "accepted"
	declined = "declined"
)

// pending lists the cohorts an account is invited to, in order.
func pending(states map[string]string) []string {
	var out []string
	for _, id := range slices.Sorted(maps.Keys(states)) {
		if states[id] == invited {
			out = append(out, id)
		}
	}
	return out
}

// Invite records that a trainer invited a person to a cohort. Inviting
// again, after a refusal too, asks again; a member is left as is.
func (s *Store) Invite(ctx context.Context, userID, cohortID string) error {
	cond := bson.E{Key: "cohorts", Value: bson.D{{Key: "$ne", Value: cohortID}}}
	_, err := s.updateIf(ctx, collUsers, userID, cond, func(raw bson.Raw) bool { return !slices.Contains(stringArray(raw, "cohorts"), cohortID) },
		bson.D{{Key: "$set", Value: bson.D{{Key: "invitations." + cohortID, Value: invited}}}})
	if err != nil {
		return fmt.Errorf("store: invite: %w", err)
	}
	return nil
}

// AnswerInvitation accepts or declines an invitation. It reports false
// when there is none to answer. Accepting puts the person on the
// cohort's list first, then in the cohort: were it cut half-way,
// accepting again completes it.
func (s *Store) AnswerInvitation(ctx context.Context, userID, cohortID string, accept bool) (bool, error) {
	state := invited
	cond := bson.E{Key: "invitations." + cohortID, Value: state}
	holds := func(raw bson.Raw) bool {
		v, err := raw.LookupErr("invitations", cohortID)
		st, ok := v.StringValueOK()
		return err == nil && ok && st == state
	}
	if !accept {
		ok, err := s.updateIf(ctx, collUsers, userID, cond, holds,
			bson.D{{Key: "$set", Value: bson.D{{Key: "invitations." + cohortID, Value: declined}}}})
		if err != nil {
			return false, fmt.Errorf("store: decline invitation: %w", err)
		}
		return ok, nil
	}
	u, err := s.UserByID(ctx, userID)
	if err != nil {
		return false, fmt.Errorf("store: accept invitation: %w", err)
	}
	if !slices.Contains(u.Invitations, cohortID) {
		return false, nil
	}
	if err := s.addMembers(ctx, cohortID, userID); err != nil {
		return false, fmt.Errorf("store: accept invitation: %w", err)
	}
	ok, err := s.updateIf(ctx, collUsers, userID, cond, holds, bson.D{
		{Key: "$set", Value: bson.D{{Key: "invitations." + cohortID, Value: accepted}}},
		{Key: "$addToSet", Value: bson.D{{Key: "cohorts", Value: cohortID}}},
	})
	if err != nil {
		return false, fmt.Errorf("store: accept invitation: %w", err)
	}
	return ok, nil
}

// LeaveCohort takes a person out of a cohort: out of the account's
// cohorts first (what gives access and what reports follow), then off the
// cohort's list; were it cut half-way, leaving again completes it. It
// reports false when the person was not a member.
func (s *Store) LeaveCohort(ctx context.Context, userID, cohortID string) (bool, error) {
	left, err := s.removeFromArray(ctx, collUsers, userID, "cohorts", cohortID)
	if err != nil {
		return false, fmt.Errorf("store: leave cohort: %w", err)
	}
	if _, err := s.removeFromArray(ctx, collCohortMembers, cohortID, "members", userID); err != nil {
		return false, fmt.Errorf("store: leave cohort: %w", err)
	}
	return left, nil
}

// removeFromArray removes value from the array at field of a document,
// and reports whether it was there. Without $pull in the subset Kalan
// uses, the array is written whole, on the condition that nobody changed
// it meanwhile (tried again a few times when somebody did).
func (s *Store) removeFromArray(ctx context.Context, coll, id, field, value string) (bool, error) {
	for range 5 {
		raw, err := s.db.Collection(coll).FindOne(ctx, byID(id)).Raw()
		if errors.Is(err, mongo.ErrNoDocuments) {
			return false, nil
		}
		if err != nil {
			return false, classify(err)
		}
		before := stringArray(raw, field)
		if !slices.Contains(before, value) {
			return false, nil
		}
		after := slices.DeleteFunc(slices.Clone(before), func(v string) bool { return v == value })
		ok, err := s.updateIf(ctx, coll, id, bson.E{Key: field, Value: before},
			func(raw bson.Raw) bool { return slices.Equal(stringArray(raw, field), before) },
			bson.D{{Key: "$set", Value: bson.D{{Key: field, Value: after}}}})
		if err != nil || ok {
			return ok, err
		}
	}
	return false, fmt.Errorf("%s %s: %s kept changing", coll, id, field)
}

// stringArray is the array of strings at field (nil when there is none).
func stringArray(raw bson.Raw, field string) []string {
	arr, ok := raw.Lookup(field).ArrayOK()
	if !ok {
		return nil
	}
	vals, _ := arr.Values()
	out := make([]string, 0, len(vals))
	for _, v := range vals {
		if str, ok := v.StringValueOK(); ok {
			out = append(out, str)
		}
	}
	return out
}
