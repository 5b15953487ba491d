package testenv

import (
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"slices"
	"sync"
	"testing"
	"time"
)

// Link is the network between a browser and a server under test, owned by
// the test: a reverse proxy on loopback that, when the link is down (or
// for chosen paths), drops each request's connection without an answer,
// as a lost 2G link does. It reaches every request the browser sends, the
// service worker's included, and depends on no browser's emulation API.
type Link struct {
	// URL is the address the browser opens instead of the server's.
	URL string

	mu      sync.Mutex
	down    bool
	cut     map[string]bool
	stalled chan struct{} // non-nil while the link stalls; closed when it ends
	traffic []Transfer
}

// Transfer is one answer as it crossed the link: what a phone downloads.
type Transfer struct {
	Method, Path string
	Status       int
	Bytes        int // status line, headers and body, as sent (compressed)
}

// NewLink starts a link in front of target (an http://host:port address);
// it stops when the test ends.
func NewLink(t testing.TB, target string) *Link {
	t.Helper()
	to, err := url.Parse(target)
	if err != nil {
		t.Fatalf("link target %q: %v", target, err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	l := &Link{URL: "http://" + ln.Addr().String(), cut: map[string]bool{}}
	// The proxy keeps the browser's Host header, so the server sees the
	// origin the browser uses (its same-origin checks hold).
	proxy := httputil.NewSingleHostReverseProxy(to)
	srv := &http.Server{
		Handler:           l.handler(proxy),
		ReadHeaderTimeout: 10 * time.Second,
	}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return l
}

// SetDown cuts (true) or restores (false) the whole link.
func (l *Link) SetDown(down bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.down = down
	if !down {
		clear(l.cut)
	}
}

// SetStalled makes every request wait without an answer (true), as a
// crawling 2G link does, until the stall ends (false): then the waiting
// requests go on, or are dropped if the link was set down meanwhile.
func (l *Link) SetStalled(stalled bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	switch {
	case stalled && l.stalled == nil:
		l.stalled = make(chan struct{})
	case !stalled && l.stalled != nil:
		close(l.stalled)
		l.stalled = nil
	}
}

// Cut makes one path unreachable until the link is restored with
// SetDown(false).
func (l *Link) Cut(path string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.cut[path] = true
}

func (l *Link) passes(r *http.Request) bool {
	l.mu.Lock()
	stall := l.stalled
	l.mu.Unlock()
	if stall != nil {
		select {
		case <-stall:
		case <-r.Context().Done():
			return false
		}
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return !l.down && !l.cut[r.URL.Path]
}

// Traffic returns the answers that crossed the link since it started or
// since the last ResetTraffic, in the order they ended.
func (l *Link) Traffic() []Transfer {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.traffic)
}

// ResetTraffic forgets the answers counted so far.
func (l *Link) ResetTraffic() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.traffic = nil
}

func (l *Link) handler(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if l.passes(r) {
			cw := &countingWriter{ResponseWriter: w}
			next.ServeHTTP(cw, r)
			l.mu.Lock()
			l.traffic = append(l.traffic, Transfer{Method: r.Method, Path: r.URL.RequestURI(), Status: cw.status, Bytes: cw.n})
			l.mu.Unlock()
			return
		}
		// No status, no bytes: the connection is reset, and the browser's
		// fetch fails as it does when the network is gone.
		conn, _, err := http.NewResponseController(w).Hijack()
		if err != nil {
			panic(http.ErrAbortHandler)
		}
		if tcp, ok := conn.(*net.TCPConn); ok {
			_ = tcp.SetLinger(0)
		}
		_ = conn.Close()
	})
}

// countingWriter counts the bytes of an answer: the status line and
// headers as HTTP/1.1 writes them, then the body.
type countingWriter struct {
	http.ResponseWriter
	status int
	n      int
}

func (w *countingWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
		w.n += len("HTTP/1.1 000 ") + len(http.StatusText(code)) + len("\r\n\r\n")
		for k, vs := range w.Header() {
			for _, v := range vs {
				w.n += len(k) + len(": ") + len(v) + len("\r\n")
			}
		}
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *countingWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.WriteHeader(http.StatusOK)
	}
	n, err := w.ResponseWriter.Write(b)
	w.n += n
	return n, err
}

// Flush lets streamed answers through as the proxy flushes them.
func (w *countingWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap gives http.ResponseController the connection (Hijack).
func (w *countingWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
