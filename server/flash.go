package server

import "github.com/gofiber/fiber/v2"

// flashCookie carries a confirmation message id over a redirect after a
// POST.
const flashCookie = "kalan_flash"

// flashID is a confirmation message a redirect carries. A struct, not a
// string, so that only the ids declared here can be passed to flash: a
// cookie naming anything else shows nothing, and a confirmation cannot
// be forgotten from the list that decides what a cookie may show.
type flashID struct{ id string }

var (
	flashProfileSaved       = flashID{"flash.profile_saved"}
	flashPasswordChanged    = flashID{"flash.password_changed"}
	flashSignedOutElsewhere = flashID{"flash.signed_out_elsewhere"}
	flashCohortSaved        = flashID{"flash.cohort_saved"}
	flashJoined             = flashID{"flash.joined"}
	flashRoleChanged        = flashID{"flash.role_changed"}
	flashAccountDeleted     = flashID{"flash.account_deleted"}
	flashSignedOut          = flashID{"flash.signed_out"}
	flashAnswersSaved       = flashID{"flash.answers_saved"}
	flashInvitationAccepted = flashID{"flash.invitation_accepted"}
	flashInvitationDeclined = flashID{"flash.invitation_declined"}
	flashCohortLeft         = flashID{"flash.cohort_left"}
	flashLibrarySaved       = flashID{"flash.library_saved"}
	flashDraftSaved         = flashID{"flash.draft_saved"}
	flashPublished          = flashID{"flash.published"}
	flashNothingToPublish   = flashID{"flash.nothing_to_publish"}
	flashReviewMarked       = flashID{"flash.review_marked"}
	flashRecordingSaved     = flashID{"flash.recording_saved"}
)

// flashByID are the declared confirmations by message id.
var flashByID = func() map[string]flashID {
	m := map[string]flashID{}
	for _, f := range []flashID{flashProfileSaved, flashPasswordChanged, flashSignedOutElsewhere, flashCohortSaved, flashJoined, flashRoleChanged, flashAccountDeleted, flashSignedOut, flashAnswersSaved, flashInvitationAccepted, flashInvitationDeclined, flashCohortLeft, flashLibrarySaved, flashDraftSaved, flashReviewMarked, flashRecordingSaved, flashPublished, flashNothingToPublish} {
		m[f.id] = f
	}
	return m
}()

// flash shows a confirmation on the next page.
func (h *handlers) flash(c *fiber.Ctx, f flashID) {
	c.Cookie(&fiber.Cookie{Name: flashCookie, Value: f.id, Path: "/", MaxAge: 60, HTTPOnly: true,
		SameSite: fiber.CookieSameSiteLaxMode, Secure: h.SecureCookies})
}
