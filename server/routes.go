package server

import (
	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/recover"

	"github.com/kalan-platform/kalan/server/account"
)

// routes is the one route table of the application.
func (h *handlers) routes(app *fiber.App) {
	// Middleware for every request, outermost first. ORDER MATTERS:
	//   - recover turns a panic into an error for the error handler;
	//   - observe logs and counts every request, errors included, so it
	//     wraps everything below it;
	//   - limitBody refuses oversized bodies before anything reads them;
	//   - compress works on the finished body, after etag: the ETag is
	//     computed on the uncompressed page, and a 304 has nothing to compress.
	app.Use(recover.New())
	app.Use(h.observe)
	app.Use(h.limitBody)
	app.Use(h.securityHeaders)
	app.Use(h.compress)
	app.Use(pageETag)

	// Operations, static files and course media: registered before the
	// identity middleware, they never touch sessions.
	app.Get("/healthz", h.healthz)
	app.Get("/readyz", h.readyz)
	app.Get("/metrics", h.metricsHandler())
	app.Get("/static/*", h.staticShow)
	app.Get("/media/:hash", h.mediaShow)
	app.Get("/sw.js", h.swShow)
	app.Use(h.pageHeaders)

	// Pages. identity finds who is signed in (the language may be their
	// preference, so it comes first); csrf guards every POST below.
	app.Use(h.identity)
	app.Use(h.language)
	app.Use(h.dataSaver) // ?saver=on|off, the kalan_saver cookie, Save-Data
	app.Use(h.csrf)

	// Public pages.
	app.Get("/", h.homeShow)
	app.Get("/courses", h.catalogShow)
	app.Get("/courses/:slug", h.courseShow)
	app.Get("/courses/:slug/lessons/:lesson", h.lessonShow) // cohort courses: canRead
	app.Get("/verify/:serial", h.verifyShow)
	app.Get("/library", h.libraryList)
	app.Get("/library/:id", h.libraryShow)
	app.Get("/library/:id/download", h.libraryDownload)
	app.Get("/courses/:slug/pack", h.packDownload)
	app.Get("/offline", h.offlineShow)
	app.Get("/manifest.webmanifest", h.webManifest)
	app.Get("/api/v1/courses/:slug/offline", h.offlineManifest) // public courses: anyone, so before the api group
	app.Get("/certificates/key.pem", h.certificateKey)
	app.Get("/login", h.loginShow)
	app.Post("/login", h.loginCreate)
	app.Post("/logout", h.logout)
	app.Get("/join", h.joinShow)
	app.Post("/join", h.joinCreate)
	app.Get("/reset/:token", h.resetShow)
	app.Post("/reset/:token", h.resetUpdate)

	// Signed-in trainee: progress, quiz attempts (each checks that the
	// attempt is the viewer's), certificates (holder, cohort trainers, admins).
	app.Post("/courses/:slug/lessons/:lesson/complete", h.requireUser, h.lessonComplete)
	app.Get("/courses/:slug/quiz", h.requireUser, h.quizShow)
	app.Post("/courses/:slug/quiz", h.requireUser, h.quizSubmit)
	app.Get("/courses/:slug/quiz/attempts/:id", h.requireUser, h.quizResult)
	app.Get("/certificates/:serial.pdf", h.requireUser, h.certificatePDF)

	// JSON for the pages' scripts; the same sign-in and CSRF rules. The
	// service worker sends what was done offline to /api/v1/sync.
	api := app.Group("/api/v1", h.requireUser)
	api.Post("/attempts/:id/answers", h.apiAnswers)
	api.Get("/sync", h.syncShow)
	api.Post("/sync", h.syncCreate)

	// Signed-in person: their own account.
	me := app.Group("/account", h.requireUser)
	me.Get("", h.accountShow)
	me.Post("", h.accountUpdate)
	me.Post("/password", h.passwordUpdate)
	me.Post("/sessions/end", h.sessionsEnd)
	me.Get("/export", h.accountExport)
	me.Post("/delete", h.accountDelete)
	me.Post("/invitations/:cohort/accept", h.invitationAnswer(true))
	me.Post("/invitations/:cohort/decline", h.invitationAnswer(false))
	me.Post("/cohorts/:cohort/leave", h.cohortLeave)

	// Trainers and admins. Every cohort page checks, through
	// managedCohort, that the viewer runs that cohort (or is admin).
	// Each report has its CSV and XLSX beside it (…/report.csv).
	trainer := app.Group("/trainer", h.requireUser, requireRole(account.RoleTrainer, account.RoleAdmin))
	trainer.Get("", h.trainerShow)
	trainer.Get("/report.csv", h.trainerExport("csv"))
	trainer.Get("/report.xlsx", h.trainerExport("xlsx"))
	trainer.Get("/cohorts/new", h.cohortNew)
	trainer.Post("/cohorts", h.cohortCreate)
	trainer.Get("/cohorts/:id", h.cohortShow)
	trainer.Get("/cohorts/:id/report.csv", h.cohortExport("csv"))
	trainer.Get("/cohorts/:id/report.xlsx", h.cohortExport("xlsx"))
	trainer.Get("/cohorts/:id/questions", h.cohortQuestions)
	trainer.Get("/cohorts/:id/questions/report.csv", h.cohortQuestionsExport("csv"))
	trainer.Get("/cohorts/:id/questions/report.xlsx", h.cohortQuestionsExport("xlsx"))
	trainer.Post("/cohorts/:id", h.cohortUpdate)
	trainer.Post("/cohorts/:id/close", h.cohortClose)
	trainer.Post("/cohorts/:id/open", h.cohortOpen)
	trainer.Post("/cohorts/:id/enrol", h.cohortEnrol)
	trainer.Post("/cohorts/:id/trainers", h.cohortTrainerAdd)
	trainer.Post("/certificates/:serial/revoke", h.certificateRevoke) // the holder's cohort trainers, admins

	// Translation reviewers and admins (review_views.go: reviewTarget
	// checks, per page, that the viewer reviews the language). The text
	// and recording drafts are under /admin (docs/CONTRACT.md) but open to
	// reviewers: they are registered before the admin group, whose middleware would refuse
	// them. ORDER MATTERS.
	reviewers := requireRole(account.RoleReviewer, account.RoleAdmin)
	rv := app.Group("/review", h.requireUser, reviewers)
	rv.Get("", h.reviewList)
	rv.Get("/:slug/:lang", h.reviewShow)
	rv.Get("/:slug/:lang/quiz", h.reviewQuizShow) // before :lesson: no lesson is called "quiz" (courses.ValidID)
	rv.Post("/:slug/:lang/quiz/:item", h.reviewQuizSave)
	rv.Post("/:slug/:lang/course", h.reviewCourseSave)
	rv.Get("/:slug/:lang/:lesson", h.reviewLessonShow)
	rv.Get("/:slug/:lang/:lesson/audio", h.reviewAudioShow) // the draft recording
	rv.Post("/:slug/:lang/reviewed", h.reviewMarkCreate)
	app.Post("/admin/courses/:slug/lessons/:lesson/text", h.requireUser, reviewers, h.lessonTextSave)
	app.Post("/admin/courses/:slug/lessons/:lesson/audio", h.requireUser, reviewers, h.lessonAudioSave) // streamed: see isStreamingUpload
	app.Post("/admin/courses/:slug/publish", h.requireUser, reviewers, h.coursePublish)
	app.Get("/admin/courses/:slug/export.zip", h.requireUser, reviewers, h.courseExport)

	// Admins only.
	admin := app.Group("/admin", h.requireUser, requireRole(account.RoleAdmin))
	admin.Get("", h.adminShow)
	admin.Get("/courses", h.adminCourses)
	admin.Get("/users", h.adminUsers)
	admin.Get("/users/:user", h.adminUserShow)
	admin.Post("/users/:user/role", h.adminUserRole)
	admin.Post("/users/:user/reset", h.adminUserReset)
	admin.Get("/audit", h.adminAudit)
	admin.Get("/reports", h.adminReports) // the national view
	admin.Get("/reports/report.csv", h.adminReportsExport("csv"))
	admin.Get("/reports/report.xlsx", h.adminReportsExport("xlsx"))
	admin.Get("/reports/questions", h.adminQuestions) // all cohorts
	admin.Get("/reports/questions/report.csv", h.adminQuestionsExport("csv"))
	admin.Get("/reports/questions/report.xlsx", h.adminQuestionsExport("xlsx"))
	admin.Get("/library", h.adminLibrary)
	admin.Get("/library/new", h.libraryNew)
	admin.Post("/library", h.libraryCreate) // streamed: see isStreamingUpload
	admin.Get("/library/:id", h.libraryEdit)
	admin.Post("/library/:id", h.libraryUpdate)
	admin.Post("/library/:id/file", h.libraryReplace) // streamed
	admin.Post("/library/:id/withdraw", h.libraryWithdraw)
	admin.Post("/library/:id/restore", h.libraryRestore)
}
