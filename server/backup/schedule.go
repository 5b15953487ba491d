package backup

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime/debug"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Schedule configures the backups `kalan serve` makes itself.
type Schedule struct {
	Dir        string
	Every      time.Duration // 0: no scheduled backup (the status says so)
	Keep       int
	Passphrase string
	// Write writes one archive to w (the installation's Source, through
	// Write with the passphrase).
	Write    func(ctx context.Context, w io.Writer) (*Manifest, error)
	Log      *slog.Logger
	Registry prometheus.Registerer // nil: no metrics
	Now      func() time.Time      // nil: time.Now
}

// Status is what admins see of the backups.
type Status struct {
	Enabled bool
	Every   time.Duration
	Dir     string
	Keep    int
	// Last is the newest archive; zero when there is none.
	Last     time.Time
	LastFile string
	Size     int64
	// Verified is true when this process wrote the archive and read it
	// back whole against its manifest; Checked is false for an archive
	// found in the directory at start, which this process did not check.
	Verified, Checked bool
	Documents         int64
	Objects           int
	Took              time.Duration
	// Failed is the time of the last failure, when it is later than the
	// last success (the error itself is in the log).
	Failed   time.Time
	Failures int // since the server started
	Next     time.Time
	Running  bool
}

// Scheduler makes a backup every interval, keeps the newest, and reports
// how it went (Status, and /metrics).
type Scheduler struct {
	cfg  Schedule
	once sync.Mutex // one backup at a time
	mu   sync.Mutex // guards status
	st   Status
	done chan struct{}

	failures prometheus.Counter
	lastOK   prometheus.Gauge
	size     prometheus.Gauge
	took     prometheus.Gauge
}

// firstDelay is how long after start the first backup waits when one is
// due: the server serves first, and a process that restarts in a loop
// does not make an archive each time.
const firstDelay = time.Minute

// retryAfter bounds the wait after a failure.
const retryAfter = 30 * time.Minute

// NewScheduler reads the backup directory for the newest archive,
// deletes temporary files a crash left there, and registers the metrics.
func NewScheduler(cfg Schedule) (*Scheduler, error) {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	s := &Scheduler{cfg: cfg, done: make(chan struct{})}
	s.st = Status{Enabled: cfg.Every > 0, Every: cfg.Every, Dir: cfg.Dir, Keep: cfg.Keep}
	list, err := List(cfg.Dir)
	if err != nil {
		cfg.Log.Warn("cannot read the backup directory", "dir", cfg.Dir, "err", err)
	}
	if len(list) > 0 {
		s.st.Last, s.st.LastFile, s.st.Size = list[0].Created, list[0].Path, list[0].Size
	}
	removeStaleTemps(cfg.Dir, cfg.Now())

	s.failures = prometheus.NewCounter(prometheus.CounterOpts{Name: "kalan_backup_failures_total", Help: "Scheduled backups that failed."})
	s.lastOK = prometheus.NewGauge(prometheus.GaugeOpts{Name: "kalan_backup_last_success_timestamp_seconds", Help: "Time the newest archive was made (0: none)."})
	s.size = prometheus.NewGauge(prometheus.GaugeOpts{Name: "kalan_backup_size_bytes", Help: "Size of the newest archive."})
	s.took = prometheus.NewGauge(prometheus.GaugeOpts{Name: "kalan_backup_duration_seconds", Help: "Time the last successful backup took."})
	age := prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "kalan_backup_age_seconds",
		Help: "Seconds since the newest archive was made (since 1970 when there is none)."}, func() float64 {
		return cfg.Now().Sub(s.Status().Last).Seconds()
	})
	enabled := prometheus.NewGauge(prometheus.GaugeOpts{Name: "kalan_backup_scheduled", Help: "1 when kalan serve makes scheduled backups."})
	if s.st.Enabled {
		enabled.Set(1)
	}
	if !s.st.Last.IsZero() {
		s.lastOK.Set(float64(s.st.Last.Unix()))
		s.size.Set(float64(s.st.Size))
	}
	if cfg.Registry != nil {
		for _, c := range []prometheus.Collector{s.failures, s.lastOK, s.size, s.took, age, enabled} {
			if err := cfg.Registry.Register(c); err != nil {
				return nil, fmt.Errorf("backup: metrics: %w", err)
			}
		}
	}
	return s, nil
}

// removeStaleTemps deletes temporary files of backups interrupted by a
// crash; a recent one may be a `kalan backup` running now.
func removeStaleTemps(dir string, now time.Time) {
	temps, _ := filepath.Glob(filepath.Join(dir, tempPrefix+"*"+tempSuffix))
	for _, t := range temps {
		if info, err := os.Stat(t); err == nil && now.Sub(info.ModTime()) > time.Hour {
			_ = os.Remove(t)
		}
	}
}

// Status is the state of the backups now.
func (s *Scheduler) Status() Status {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.st
}

// Start runs scheduled backups until ctx ends; Wait waits for the one
// running then to stop. Nothing is run when Every is 0.
func (s *Scheduler) Start(ctx context.Context) {
	if s.cfg.Every <= 0 {
		close(s.done)
		return
	}
	go func() {
		defer close(s.done)
		now := s.cfg.Now()
		next := s.Status().Last.Add(s.cfg.Every)
		if earliest := now.Add(min(firstDelay, s.cfg.Every)); next.Before(earliest) {
			next = earliest
		}
		for {
			s.setNext(next)
			t := time.NewTimer(time.Until(next))
			select {
			case <-ctx.Done():
				t.Stop()
				return
			case <-t.C:
			}
			wait := s.cfg.Every
			if err := s.Once(ctx); err != nil {
				if ctx.Err() != nil {
					return
				}
				wait = min(s.cfg.Every, retryAfter)
			}
			next = s.cfg.Now().Add(wait)
		}
	}()
}

// Wait returns once Start's loop has stopped.
func (s *Scheduler) Wait() { <-s.done }

func (s *Scheduler) setNext(t time.Time) {
	s.mu.Lock()
	s.st.Next = t
	s.mu.Unlock()
}

// Once makes one backup now: the archive is written under a temporary
// name, synced, read back and checked, then renamed; the oldest beyond
// Keep are deleted. A failure is logged, counted and shown to admins.
func (s *Scheduler) Once(ctx context.Context) error {
	s.once.Lock()
	defer s.once.Unlock()
	start := s.cfg.Now()
	s.mu.Lock()
	s.st.Running = true
	s.mu.Unlock()
	m, size, path, err := s.write(ctx, start)
	// An encrypted archive derives its key with scrypt (256 MiB, twice:
	// writing and checking): give that memory back to the system now
	// rather than let a serving process keep it.
	debug.FreeOSMemory()
	took := s.cfg.Now().Sub(start)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.Running = false
	if err != nil && ctx.Err() != nil {
		s.cfg.Log.Warn("backup interrupted by shutdown", "ms", took.Milliseconds())
		return err
	}
	if err != nil {
		s.st.Failed = s.cfg.Now()
		s.st.Failures++
		s.failures.Inc()
		s.cfg.Log.Error("backup failed", "dir", s.cfg.Dir, "err", err, "ms", took.Milliseconds())
		return err
	}
	s.st.Last, s.st.LastFile, s.st.Size = m.Created, path, size
	s.st.Verified, s.st.Checked, s.st.Failed = true, true, time.Time{}
	s.st.Documents, s.st.Objects, s.st.Took = m.Documents(), m.Objects, took
	s.lastOK.Set(float64(m.Created.Unix()))
	s.size.Set(float64(size))
	s.took.Set(took.Seconds())
	s.cfg.Log.Info("backup made", "file", path, "bytes", size, "documents", m.Documents(), "objects", m.Objects, "ms", took.Milliseconds())
	deleted, err := Prune(s.cfg.Dir, s.cfg.Keep)
	for _, d := range deleted {
		s.cfg.Log.Info("old backup deleted", "file", d)
	}
	if err != nil {
		s.cfg.Log.Warn("cannot delete old backups", "dir", s.cfg.Dir, "err", err)
	}
	return nil
}

func (s *Scheduler) write(ctx context.Context, start time.Time) (*Manifest, int64, string, error) {
	if err := os.MkdirAll(s.cfg.Dir, 0o700); err != nil {
		return nil, 0, "", fmt.Errorf("backup: %w", err)
	}
	path := filepath.Join(s.cfg.Dir, ArchiveName(start, s.cfg.Passphrase != ""))
	if _, err := os.Lstat(path); err == nil {
		return nil, 0, "", errors.New("backup: an archive of this second exists already")
	}
	m, size, err := WriteFile(ctx, path, func(w io.Writer) (*Manifest, error) { return s.cfg.Write(ctx, w) }, s.cfg.Passphrase)
	return m, size, path, err
}
