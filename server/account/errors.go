package account

import "strings"

// FieldError is a problem with one form field, said as a message id
// (never English) so that the page can translate it. Data holds the
// message's template data, such as {"Min": 10}.
type FieldError struct {
	Field     string
	MessageID string
	Data      map[string]any
}

// Error returns "field: message-id", for logs and tests; pages translate
// MessageID instead.
func (e *FieldError) Error() string { return e.Field + ": " + e.MessageID }

// FieldErrors collects the problems of a form. Nil or empty means the form
// is valid; test it with len, since a nil FieldErrors stored in an error
// variable is not a nil error (or use Err).
type FieldErrors []*FieldError

// Error joins the errors with "; ".
func (e FieldErrors) Error() string {
	parts := make([]string, len(e))
	for i, fe := range e {
		parts[i] = fe.Error()
	}
	return strings.Join(parts, "; ")
}

// For returns the first error of a field, or nil, so that a template can
// show it beside the field.
func (e FieldErrors) For(field string) *FieldError {
	for _, fe := range e {
		if fe.Field == field {
			return fe
		}
	}
	return nil
}

// Err returns e as an error, or a true nil when e is empty.
func (e FieldErrors) Err() error {
	if len(e) == 0 {
		return nil
	}
	return e
}
