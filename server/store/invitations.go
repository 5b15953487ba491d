package store

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"go.mongodb.org/mongo-driver/v2/bson"
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
	_, err := s.updateIf(ctx, collUsers, userID, cond, func(raw bson.Raw) bool { return !inArray(raw, "cohorts", cohortID) },
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
		return err == nil && v.StringValue() == state
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

// inArray reports whether the array at field holds value.
func inArray(raw bson.Raw, field, value string) bool {
	arr, ok := raw.Lookup(field).ArrayOK()
	if !ok {
		return false
	}
	vals, _ := arr.Values()
	for _, v := range vals {
		if str, ok := v.StringValueOK(); ok && str == value {
			return true
		}
	}
	return false
}
