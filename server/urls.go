package server

import (
	"net/url"

	"github.com/kalan-platform/kalan/server/certificate"
	"github.com/kalan-platform/kalan/server/cohort"
)

// The addresses pages link to, in one place (routes.go serves them): a
// change of route is a change here, not a search through the handlers.

func courseURL(slug string) string         { return "/courses/" + slug }
func lessonURL(slug, lesson string) string { return courseURL(slug) + "/lessons/" + lesson }
func lessonCompleteURL(slug, lesson string) string {
	return lessonURL(slug, lesson) + "/complete"
}
func quizURL(slug string) string             { return courseURL(slug) + "/quiz" }
func attemptURL(slug, attempt string) string { return quizURL(slug) + "/attempts/" + attempt }
func packURL(slug, lang string) string {
	return courseURL(slug) + "/pack?lang=" + url.QueryEscape(lang)
}
func offlineManifestURL(slug string) string  { return "/api/v1/courses/" + slug + "/offline" }
func certificatePDFURL(serial string) string { return "/certificates/" + serial + ".pdf" }
func verifyURL(serial string) string         { return "/verify/" + certificate.FormatSerial(serial) }
func revokeURL(serial string) string         { return "/trainer/certificates/" + serial + "/revoke" }
func cohortURL(co *cohort.Cohort) string     { return "/trainer/cohorts/" + co.ID }
func cohortQuestionsURL(co *cohort.Cohort) string {
	return cohortURL(co) + "/questions"
}
func joinURL(code string) string            { return "/join?code=" + url.QueryEscape(code) }
func resetURL(token string) string          { return "/reset/" + token }
func leaveCohortURL(cohortID string) string { return "/account/cohorts/" + cohortID + "/leave" }
func resourceURL(id string) string          { return "/library/" + id }
func resourceDownloadURL(id string) string  { return resourceURL(id) + "/download" }

// invitationURL is where an invitation to a cohort is accepted or declined.
func invitationURL(cohortID string, accept bool) string {
	if accept {
		return "/account/invitations/" + cohortID + "/accept"
	}
	return "/account/invitations/" + cohortID + "/decline"
}

// signingKeyURL is the public key that verifies certificates.
const signingKeyURL = "/certificates/key.pem"
