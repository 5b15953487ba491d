package server

// SessionCSRF is the CSRF token of a session, for the load benchmarks,
// which start sessions without a browser to read it from a page.
var SessionCSRF = sessionCSRF
