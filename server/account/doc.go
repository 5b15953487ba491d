// Package account is the domain of accounts: roles, sign-in identifiers,
// profiles, passwords, tokens and the CSV enrolment format. It does no I/O.
//
// Validation speaks in message ids ("form.login.invalid"), never in
// English: the page that shows an error translates it.
package account
