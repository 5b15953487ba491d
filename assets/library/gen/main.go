// Command gen rewrites the starter library in assets/library from the text
// in this package: the posters, the pictogram poster (drawn from
// pictograms/poster.svg), the leaflets and the facilitator guides (PDF,
// with fpdf and the DejaVu fonts of assets/fonts) and, when espeak-ng and
// opusenc are on the PATH, the spoken awareness spots (Ogg Opus). Run it
// from anywhere in the repository:
//
//	go run ./assets/library/gen
//	go run ./assets/library/gen -no-audio -svg /tmp/picto  # PDFs, and the pictogram poster as SVG
//
// The PDFs depend only on this program and the fonts: their dates are
// fixed and fpdf writes no random id, so two runs give the same bytes. The
// audio is as stable as the espeak-ng and opus-tools versions that make it.
//
// It reads the fonts from disk, not through package assets, because that
// package embeds the files this program writes: it must build even when a
// PDF is missing.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/kalan-platform/kalan/internal/genfile"
)

func main() {
	noAudio := flag.Bool("no-audio", false, "rewrite the PDFs only and leave the audio spots alone")
	svgDir := flag.String("svg", "", "also write the pictogram poster in each language as SVG into this `directory` (for a look; not part of the library)")
	flag.Parse()
	if err := run(!*noAudio, *svgDir); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(audio bool, svgDir string) error {
	root, err := genfile.RepoRoot()
	if err != nil {
		return err
	}
	dir := filepath.Join(root, "assets", "library")
	regular, err := os.ReadFile(filepath.Join(root, "assets", "fonts", "DejaVuSans.ttf"))
	if err != nil {
		return err
	}
	bold, err := os.ReadFile(filepath.Join(root, "assets", "fonts", "DejaVuSans-Bold.ttf"))
	if err != nil {
		return err
	}

	for _, p := range posters() {
		b, err := renderPoster(p, regular, bold)
		if err != nil {
			return fmt.Errorf("%s: %w", p.File, err)
		}
		if err := write(dir, p.File, b); err != nil {
			return err
		}
	}
	for _, p := range pictoPosters() {
		pdf, svg, err := renderPictograms(p, regular, bold)
		if err != nil {
			return fmt.Errorf("%s: %w", p.File, err)
		}
		if err := write(dir, p.File, pdf); err != nil {
			return err
		}
		if svgDir != "" {
			if err := os.MkdirAll(svgDir, 0o755); err != nil {
				return err
			}
			if err := write(svgDir, strings.TrimSuffix(p.File, ".pdf")+".svg", svg); err != nil {
				return err
			}
		}
	}
	for _, l := range leaflets() {
		b, err := renderLeaflet(l, regular, bold)
		if err != nil {
			return fmt.Errorf("%s: %w", l.File, err)
		}
		if err := write(dir, l.File, b); err != nil {
			return err
		}
	}

	for _, g := range guides() {
		b, err := renderGuide(g, regular, bold)
		if err != nil {
			return fmt.Errorf("%s: %w", g.File, err)
		}
		if err := write(dir, g.File, b); err != nil {
			return err
		}
	}

	if !audio {
		fmt.Println("audio: skipped (-no-audio); the committed .ogg files are unchanged")
		return nil
	}
	var missing []string
	for _, tool := range []string{"espeak-ng", "opusenc"} {
		if _, err := exec.LookPath(tool); err != nil {
			missing = append(missing, tool)
		}
	}
	if len(missing) > 0 {
		fmt.Printf("audio: %s not on the PATH; the committed .ogg files are unchanged.\n"+
			"       To remake them on Debian: apt-get install -y espeak-ng opus-tools\n",
			strings.Join(missing, " and "))
		return nil
	}
	for _, s := range spots() {
		b, err := renderSpot(s)
		if err != nil {
			return fmt.Errorf("%s: %w", s.File, err)
		}
		if err := write(dir, s.File, b); err != nil {
			return err
		}
	}
	return nil
}

// write replaces dir/name with b through a temporary file, so that an
// interrupted run never leaves half a file behind.
func write(dir, name string, b []byte) error {
	if err := genfile.Write(filepath.Join(dir, name), b); err != nil {
		return err
	}
	fmt.Printf("wrote %-28s %6.1f KB\n", name, float64(len(b))/1024)
	return nil
}

// renderSpot speaks s.Text with espeak-ng and encodes it as mono Ogg Opus
// at 16 kbit/s, with a fixed stream serial so that a rerun with the same
// tools gives the same bytes.
func renderSpot(s spot) ([]byte, error) {
	tmp, err := os.MkdirTemp("", "kalan-spot-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	wav := filepath.Join(tmp, "spot.wav")
	ogg := filepath.Join(tmp, "spot.ogg")

	text := strings.Join(strings.Fields(s.Text), " ")
	speak := exec.Command("espeak-ng", "-v", s.Voice, "-s", fmt.Sprint(s.WordsPerMinute), "-g", "4", "-w", wav, "--", text)
	if out, err := speak.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("espeak-ng: %w: %s", err, out)
	}
	encode := exec.Command("opusenc", "--quiet",
		"--bitrate", "16", "--downmix-mono", "--serial", fmt.Sprint(s.Serial),
		"--title", s.Title, "--artist", credit,
		"--comment", "LICENSE="+licence, "--comment", "LANGUAGE="+s.Lang,
		wav, ogg)
	if out, err := encode.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("opusenc: %w: %s", err, out)
	}
	return os.ReadFile(ogg)
}
