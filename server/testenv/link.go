package testenv

import (
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
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

func (l *Link) handler(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if l.passes(r) {
			next.ServeHTTP(w, r)
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
