package server

import (
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/kalan-platform/kalan/server/blob"
	"github.com/kalan-platform/kalan/server/outage"
	"github.com/kalan-platform/kalan/server/training"
)

// Metrics are what /metrics serves beyond the Go runtime: requests,
// database and object-storage operations, offline sync, quizzes and
// certificates, cache refreshes and the data directory's disk (the
// shared dependencies' gauge is health_show.go's). deploy/README.md says what to watch and alert on.
// main builds it and hands it to the store (ObserveCommands), the blob
// store (blob.Observed), the training service and server.New.
type Metrics struct {
	reg         prometheus.Registerer
	requests    *prometheus.CounterVec
	duration    *prometheus.HistogramVec
	dbDuration  *prometheus.HistogramVec
	dbErrors    *prometheus.CounterVec
	blobLatency *prometheus.HistogramVec
	blobErrors  *prometheus.CounterVec
	syncEvents  *prometheus.CounterVec
	syncBatches *prometheus.CounterVec
	submissions *prometheus.CounterVec
	issued      prometheus.Counter
	revoked     prometheus.Counter
}

var (
	_ outage.CommandObserver = (*Metrics)(nil)
	_ blob.Observer          = (*Metrics)(nil)
	_ training.Outcomes      = (*Metrics)(nil)
)

// opBuckets are latency buckets for database and storage operations.
var opBuckets = []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 3, 10}

// NewMetrics registers Kalan's metrics on reg.
func NewMetrics(reg prometheus.Registerer) (*Metrics, error) {
	m := &Metrics{
		reg: reg,
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "kalan_http_requests_total", Help: "HTTP requests by method, route and status.",
		}, []string{"method", "route", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "kalan_http_request_duration_seconds", Help: "HTTP request latency by route.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}, []string{"route"}),
		dbDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "kalan_db_command_duration_seconds", Help: "Database command latency by command name (find, update, …), failures included.",
			Buckets: opBuckets,
		}, []string{"command"}),
		dbErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "kalan_db_command_errors_total", Help: "Failed database commands by command name and kind: unavailable (the database did not do it) or other.",
		}, []string{"command", "kind"}),
		blobLatency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "kalan_storage_operation_duration_seconds", Help: "Object-storage operation latency by operation (put, open, stat, delete, list, ping); open until the reader is returned.",
			Buckets: opBuckets,
		}, []string{"operation"}),
		blobErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "kalan_storage_operation_errors_total", Help: "Failed object-storage operations by operation and kind: unavailable or other (not found is not a failure).",
		}, []string{"operation", "kind"}),
		syncEvents: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "kalan_sync_events_total", Help: "Offline events received, by outcome: accepted, duplicate, refused.",
		}, []string{"outcome"}),
		syncBatches: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "kalan_sync_batches_total", Help: "Offline sync batches by outcome: answered, busy (sent again by the device), malformed, failed.",
		}, []string{"outcome"}),
		submissions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "kalan_quiz_submissions_total", Help: "Quiz attempts submitted and graded, by result: passed, failed.",
		}, []string{"result"}),
		issued: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "kalan_certificates_issued_total", Help: "Certificates issued.",
		}),
		revoked: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "kalan_certificates_revoked_total", Help: "Certificates revoked.",
		}),
	}
	for _, c := range []prometheus.Collector{m.requests, m.duration, m.dbDuration, m.dbErrors, m.blobLatency, m.blobErrors,
		m.syncEvents, m.syncBatches, m.submissions, m.issued, m.revoked} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	return m, nil
}

func (m *Metrics) observe(method, route string, status int, elapsed time.Duration) {
	m.requests.WithLabelValues(method, route, strconv.Itoa(status)).Inc()
	m.duration.WithLabelValues(route).Observe(elapsed.Seconds())
}

func errorKind(unavailable bool) string {
	if unavailable {
		return "unavailable"
	}
	return "other"
}

// ObserveCommand implements outage.CommandObserver.
func (m *Metrics) ObserveCommand(name string, elapsed time.Duration, failed, unavailable bool) {
	m.dbDuration.WithLabelValues(name).Observe(elapsed.Seconds())
	if failed {
		m.dbErrors.WithLabelValues(name, errorKind(unavailable)).Inc()
	}
}

// ObserveBlob implements blob.Observer.
func (m *Metrics) ObserveBlob(op string, elapsed time.Duration, failed, unavailable bool) {
	m.blobLatency.WithLabelValues(op).Observe(elapsed.Seconds())
	if failed {
		m.blobErrors.WithLabelValues(op, errorKind(unavailable)).Inc()
	}
}

// Submitted implements training.Outcomes.
func (m *Metrics) Submitted(passed bool) {
	result := "failed"
	if passed {
		result = "passed"
	}
	m.submissions.WithLabelValues(result).Inc()
}

// Issued implements training.Outcomes.
func (m *Metrics) Issued() { m.issued.Inc() }

// Revoked implements training.Outcomes.
func (m *Metrics) Revoked() { m.revoked.Inc() }

func (m *Metrics) syncEvent(outcome string) { m.syncEvents.WithLabelValues(outcome).Inc() }

func (m *Metrics) syncBatch(outcome string) { m.syncBatches.WithLabelValues(outcome).Inc() }

// WatchFreshness exports kalan_cache_refresh_age_seconds: how long ago
// what this instance holds in memory (catalog, cohorts, library) was last
// known to match the database (freshAt: the start of the latest
// successful change-stamp check, zero before one). It is the lag a
// reader of this instance may have behind a write made elsewhere; it
// grows while the database is away, when the memory is all there is.
func (m *Metrics) WatchFreshness(freshAt func() time.Time) error {
	started := time.Now()
	return m.reg.Register(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "kalan_cache_refresh_age_seconds", Help: "Seconds since the in-memory catalog, cohorts and library were last known to match the database.",
	}, func() float64 {
		t := freshAt()
		if t.IsZero() {
			t = started
		}
		return time.Since(t).Seconds()
	}))
}

// WatchDataDir exports the size and free space of the filesystem holding
// dir (KALAN_DATA: the embedded database, blobs, backups), for the
// "disk above 85 %" alert where node_exporter is not installed.
func (m *Metrics) WatchDataDir(dir string) error {
	if _, _, ok := diskSpace(dir); !ok {
		return nil // not measurable on this system; node_exporter remains
	}
	gauge := func(name, help string, pick func(size, free uint64) uint64) prometheus.Collector {
		return prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: name, Help: help}, func() float64 {
			size, free, _ := diskSpace(dir)
			return float64(pick(size, free))
		})
	}
	for _, c := range []prometheus.Collector{
		gauge("kalan_data_filesystem_size_bytes", "Size of the filesystem holding the data directory.", func(size, _ uint64) uint64 { return size }),
		gauge("kalan_data_filesystem_free_bytes", "Space available to Kalan on the filesystem holding the data directory.", func(_, free uint64) uint64 { return free }),
	} {
		if err := m.reg.Register(c); err != nil {
			return err
		}
	}
	return nil
}

// metricName is a check's name as a label value ("object storage" →
// "object_storage").
func metricName(name string) string {
	b := []byte(name)
	for i, c := range b {
		if c == ' ' || c == '-' {
			b[i] = '_'
		}
	}
	return string(b)
}
