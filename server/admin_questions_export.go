package server

import "github.com/gofiber/fiber/v2"

// adminQuestionsExport is the same as a file.
func (h *handlers) adminQuestionsExport(format string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		s, _, err := h.adminQuestionsScope(c)
		if err != nil {
			return err
		}
		return h.sendQuestions(c, s, format, "kalan-questions-all")
	}
}
