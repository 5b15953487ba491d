package learning

import "errors"

// InvalidAnswers reports whether err says that answers do not fit the
// attempt (ValidateAnswers): the person's mistake, not the server's.
func InvalidAnswers(err error) bool {
	return errors.Is(err, ErrUnknownQuestion) || errors.Is(err, ErrUnknownOption) || errors.Is(err, ErrTooManyOptions)
}
