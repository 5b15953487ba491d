package testenv

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// ChromiumHowTo is the install hint for Need.
const ChromiumHowTo = "apt-get install chromium (Debian's package; tests run it headless)"

// findChromium returns the browser binary: $KALAN_CHROMIUM, else chromium
// or google-chrome on PATH.
func findChromium() (string, error) {
	if p := os.Getenv("KALAN_CHROMIUM"); p != "" {
		return p, nil
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", errors.New("no chromium on PATH")
}

// Browser starts a headless Chromium for the test, with its own empty
// profile, and returns a context for chromedp actions; the browser stops
// when the test ends. The flags keep it from reaching out to the network,
// which is closed here, and let it run as root in a container.
func Browser(t *testing.T) context.Context {
	t.Helper()
	path, err := findChromium()
	Need(t, "Chromium", err, ChromiumHowTo)
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-quic", true),
		// A microphone that plays a test tone, allowed without a prompt:
		// only the reviewer's recording journey asks for one.
		chromedp.Flag("use-fake-device-for-media-stream", true),
		chromedp.Flag("use-fake-ui-for-media-stream", true),
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	t.Cleanup(func() {
		cancelCtx()
		cancelAlloc()
	})
	// The first Run starts the browser; it must not carry a timeout (that
	// would stop the browser), so a separate check bounds the start.
	started := make(chan error, 1)
	go func() { started <- chromedp.Do(ctx) }()
	select {
	case err := <-started:
		Need(t, "Chromium", err, ChromiumHowTo)
	case <-time.After(60 * time.Second):
		t.Fatal("Chromium did not start within 60 s")
	}
	// Record every Content-Security-Policy violation of the tab's pages,
	// across navigations, for CSPViolations.
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: recordCSP}); err != nil {
		t.Fatalf("install the CSP recorder: %v", err)
	}
	return ctx
}

const recordCSP = `document.addEventListener("securitypolicyviolation", e => {
	const seen = JSON.parse(sessionStorage.getItem("csp-violations") || "[]");
	seen.push(e.violatedDirective + " " + e.blockedURI + " on " + location.pathname);
	sessionStorage.setItem("csp-violations", JSON.stringify(seen));
});`

// CSPViolations returns the Content-Security-Policy violations the pages
// of the tab reported since it opened: a page that breaks its own policy
// loses its styles or scripts in every real browser.
func CSPViolations(ctx context.Context) ([]string, error) {
	return chromedp.Run(ctx, chromedp.Evaluate[[]string](`JSON.parse(sessionStorage.getItem("csp-violations") || "[]")`))
}
