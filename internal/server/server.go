// Package server builds a whole Clientele process from configuration: the
// store, the core service and its ports, and the HTTP handler with its
// middleware. cmd/clientele, the test kit and the benchmarks all build
// through it, so they exercise the identical stack.
package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime"
	"strings"
	"time"

	"github.com/clientele/clientele/api"
	"github.com/clientele/clientele/internal/auth/password"
	"github.com/clientele/clientele/internal/auth/token"
	"github.com/clientele/clientele/internal/config"
	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/httpapi"
	"github.com/clientele/clientele/internal/httpx"
	"github.com/clientele/clientele/internal/importer"
	"github.com/clientele/clientele/internal/mail"
	"github.com/clientele/clientele/internal/mailtmpl"
	"github.com/clientele/clientele/internal/metrics"
	"github.com/clientele/clientele/internal/natspub"
	"github.com/clientele/clientele/internal/ratelimit"
	"github.com/clientele/clientele/internal/store/postgres"
	"github.com/clientele/clientele/internal/store/sqlite"
	"github.com/clientele/clientele/internal/webhook"
)

// Options build an App. Only Config is required; the rest override what
// Config would choose, for tests.
type Options struct {
	Config config.Config
	Logger *slog.Logger
	Clock  core.Clock
	Mailer core.Mailer  // replaces the sink chosen from Config (not queued)
	Hasher core.Hasher  // replaces argon2id with Config's parameters
	Core   *core.Config // replaces core's defaults (limits, TTLs)
	// Webhooks replaces the HTTP webhook sender.
	Webhooks core.WebhookSender
	// Callbacks replaces the HTTP poster of password-reset callbacks.
	Callbacks core.CallbackPoster
	// Publisher replaces the NATS JetStream publisher --nats would build,
	// and turns event publishing on without it (tests).
	Publisher core.EventPublisher
	// QueryTrace, when set, sees every query the store runs and its
	// arguments (tests EXPLAIN the hot paths' queries with it).
	QueryTrace func(query string, args []any)
}

// App is a built process.
type App struct {
	Service *core.Service
	Store   core.Store
	Handler http.Handler
	Log     *slog.Logger

	// Metrics serves Prometheus metrics; nil when they are off. Build
	// mounts it at /metrics on Handler unless Config.MetricsAddr names a
	// listener of its own.
	Metrics http.Handler

	ring   *token.Ring
	keyIDs string // the key set ReloadKeys last loaded
	queue  *mail.Queue
	shared *shared // nil without --redis
	// nats publishes events to JetStream; nil without --nats (or with
	// Options.Publisher, which the App does not own).
	nats *natspub.Publisher
	// publishing says the background loop publishes events.
	publishing bool
	// imports runs admin import jobs; Close stops them.
	imports *importer.Jobs

	auditRetention time.Duration // 0: keep audit entries for ever
}

// OpenStore opens (and migrates) the database a DSN names: PostgreSQL for
// a postgres:// or postgresql:// URL, otherwise a SQLite file path.
// Migrating at start-up is safe with several nodes on one PostgreSQL
// database, since the migration holds an advisory lock.
// maxConns sizes a PostgreSQL pool (0: the store's default).
func OpenStore(ctx context.Context, dsn string, maxConns int) (core.Store, error) {
	return openStore(ctx, dsn, maxConns, nil)
}

// openStore is OpenStore with a query trace (Options.QueryTrace).
func openStore(ctx context.Context, dsn string, maxConns int, trace func(query string, args []any)) (core.Store, error) {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		return postgres.OpenAndMigrate(ctx, dsn, postgres.Options{MaxConns: int32(maxConns), Trace: trace})
	}
	st, err := sqlite.OpenAndMigrate(ctx, dsn)
	if err != nil {
		return nil, err
	}
	if trace != nil {
		st.TraceQueries(trace)
	}
	return st, nil
}

// Build opens the store and wires the service and handler.
func Build(ctx context.Context, o Options) (*App, error) {
	cfg := o.Config
	log := o.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	st, err := openStore(ctx, cfg.DB, cfg.DBMaxConns, o.QueryTrace)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	app, err := build(ctx, o, st, log)
	if err != nil {
		_ = st.Close()
		return nil, err
	}
	return app, nil
}

func build(ctx context.Context, o Options, st core.Store, log *slog.Logger) (*App, error) {
	cfg := o.Config
	hasher := o.Hasher
	if hasher == nil {
		p := password.DefaultParams()
		p.Memory, p.Time, p.Threads = uint32(cfg.Argon2Memory), uint32(cfg.Argon2Time), uint8(cfg.Argon2Threads)
		if err := p.Validate(); err != nil {
			return nil, err
		}
		hasher = password.New(p)
	}
	app := &App{Store: st, Log: log, auditRetention: time.Duration(cfg.AuditRetentionDays) * 24 * time.Hour}
	built := false
	mailer := o.Mailer
	if mailer == nil {
		sink, err := mailSink(cfg, log)
		if err != nil {
			return nil, err
		}
		app.queue = mail.NewQueue(mailtmpl.NewRenderer(sink, st, log), log, 1024)
		mailer = app.queue
	}
	issuer := cfg.Issuer
	if issuer == "" {
		issuer = "http://" + cfg.Addr
	}
	app.ring = token.NewRing(issuer, 30*time.Second)
	cc := core.DefaultConfig()
	if o.Core != nil {
		cc = *o.Core
	}
	cc.Issuer = issuer
	cc.Webhooks.AllowPrivate = cc.Webhooks.AllowPrivate || cfg.WebhooksAllowPrivate
	sender := o.Webhooks
	if sender == nil {
		sender = webhook.New(cc.Webhooks.AllowPrivate)
	}
	// Reset callbacks go to store-registered URLs like webhooks, so the
	// same --webhooks-allow-private decides whether they may be private.
	callbacks := o.Callbacks
	if callbacks == nil {
		callbacks = webhook.NewCallbacks(cc.Webhooks.AllowPrivate)
	}
	workers := cfg.Workers(runtime.GOMAXPROCS(0))
	if o.Core == nil {
		cc.RefreshReuseGrace = cfg.RefreshGrace
		cc.PasswordWork = core.WorkLimits{Slots: workers, Queue: cfg.PasswordQueue, MaxWait: cfg.PasswordMaxWait}
	}
	if cfg.BagistoStore != "" {
		cc.DefaultStore = cfg.BagistoStore
	}
	var limiter core.Limiter = ratelimit.NewMemory(clockOr(o.Clock))
	var bus core.RevocationBus
	if cfg.Redis != "" {
		sh, err := connectRedis(cfg.Redis, limiter, log)
		if err != nil {
			return nil, err
		}
		app.shared = sh
		limiter, bus = sh.limiter, sh.bus
	}
	publisher := o.Publisher
	if publisher == nil && cfg.NATS != "" {
		p, err := natspub.New(natspub.Options{URL: cfg.NATS, Stream: cfg.NATSStream, Name: "clientele"})
		if err != nil {
			return nil, err
		}
		app.nats, publisher = p, p
		defer func() {
			if !built {
				p.Close() // the connection keeps retrying otherwise
			}
		}()
	}
	app.publishing = publisher != nil
	m := metrics.New()
	limiter = m.Limiter(limiter)
	if ps, ok := st.(poolStatser); ok {
		m.Pool(func() metrics.PoolStats {
			open, inUse, idle, waits := ps.PoolStats()
			return metrics.PoolStats{Open: open, InUse: inUse, Idle: idle, WaitCount: waits}
		})
	}
	svc, err := core.New(ctx, cc, core.Deps{
		Store: st, Hasher: hasher, Signer: signer{app.ring}, Mailer: mailer,
		Limiter: limiter, Bus: bus, Webhooks: sender, Callbacks: callbacks, Publisher: publisher, Clock: o.Clock, Logger: log,
		IsCommonPassword: password.IsCommon,
	})
	if err != nil {
		return nil, err
	}
	app.Service = svc
	if err := app.ReloadKeys(ctx); err != nil {
		return nil, err
	}
	m.Service(svc)
	if app.publishing {
		m.Events(svc.PublishStats)
	}
	// Jobs left queued or running by a node that stopped would otherwise
	// show as running until someone looks: fail them now.
	if n, err := svc.FailInterruptedImportJobs(ctx); err != nil {
		return nil, err
	} else if n > 0 {
		log.Warn("import jobs interrupted by a stop marked failed", "jobs", n)
	}
	app.imports = importer.NewJobs(svc, importer.JobsConfig{Dir: cfg.ImportDir, MaxUpload: cfg.ImportMaxBytes, Logger: log})
	native := httpapi.New(svc, httpapi.Options{Logger: log, JWKS: app.ring.JWKS, Spec: api.OpenAPI, Checks: app.checks, Imports: app.imports})
	ds := dialects(svc, log)
	prefixes := make([]string, len(ds))
	for i, d := range ds {
		prefixes[i] = d.prefix
	}
	// The gate sits inside the metrics middleware, so shed requests are
	// counted and timed like the rest; health probes are never shed.
	gate := httpx.NewGate(cfg.MaxInFlight, cfg.InFlightMaxWait, "/healthz", "/readyz")
	m.Gate(gate.InFlight, gate.Shed)
	var h http.Handler = m.Middleware(prefixes, gate.Middleware(mount(native, ds)))
	if cfg.MetricsAddr != "off" {
		app.Metrics = m.Handler()
		if cfg.MetricsAddr == "" {
			h = withMetricsRoute(app.Metrics, h)
		}
	}
	h = httpx.WithRequestMeta(h)
	h = httpx.AccessLog(log, redactPath, h)
	h = httpx.Recover(log, native.Render, h)
	h = httpx.WithClientIP(cfg.TrustedProxies, h)
	h = httpx.WithRequestID(h)
	app.Handler = h
	built = true
	return app, nil
}

// poolStatser is a store that reports its connection pool.
type poolStatser interface {
	PoolStats() (open, inUse, idle int, waits int64)
}

// withMetricsRoute serves GET /metrics from metrics and the rest from next.
func withMetricsRoute(metrics, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/metrics" && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
			metrics.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func clockOr(c core.Clock) core.Clock {
	if c == nil {
		return core.SystemClock{}
	}
	return c
}

func mailSink(cfg config.Config, log *slog.Logger) (core.Mailer, error) {
	switch {
	case cfg.MailDir != "":
		return mail.NewDir(cfg.MailDir, cfg.MailFrom)
	case cfg.SMTPHost != "":
		return mail.NewSMTP(mail.SMTPConfig{
			Host: cfg.SMTPHost, Port: cfg.SMTPPort, Username: cfg.SMTPUser, Password: cfg.SMTPPassword,
			From: cfg.MailFrom, Timeout: 10 * time.Second, ImplicitTLS: cfg.SMTPPort == 465,
		}), nil
	}
	return mail.NewLog(log), nil
}

// ReloadKeys installs the current signing keys (after a rotation by any node).
func (a *App) ReloadKeys(ctx context.Context) error {
	set, err := a.Service.SigningKeys(ctx)
	if err != nil {
		return err
	}
	if err := loadKeys(a.ring, set); err != nil {
		return err
	}
	// A retired verifying key must stop verifying cached tokens too.
	ids := set.Signing.ID
	for _, k := range set.Verifying {
		ids += "," + k.ID
	}
	if a.keyIDs != "" && ids != a.keyIDs {
		a.Service.ForgetVerifiedTokens()
	}
	a.keyIDs = ids
	return nil
}

// checks reports the dependencies for /readyz.
func (a *App) checks(ctx context.Context) map[string]string {
	c := map[string]string{"database": "ok"}
	if err := a.Store.Ping(ctx); err != nil {
		c["database"] = "down"
	}
	if a.shared != nil {
		c["redis"] = a.shared.state(ctx)
	}
	if a.nats != nil {
		c["nats"] = a.nats.State()
	}
	return c
}

// Background keeps the node in step with the others until ctx ends:
// revocations from Redis as they are published, from the database every
// second (so a logout on any node reaches this one's access-token checks
// within about a second even without Redis), and signing keys every 30 s.
// It also runs the node's share of the outbox work: webhook relay rounds
// and, with --nats, event publishing rounds.
func (a *App) Background(ctx context.Context) {
	if a.shared != nil {
		go a.shared.subscribe(ctx, a.Service)
	}
	go a.relayWebhooks(ctx)
	if a.publishing {
		go a.publishEvents(ctx)
	}
	go a.purgeAudit(ctx, time.Hour)
	rev := time.NewTicker(time.Second)
	keys := time.NewTicker(30 * time.Second)
	defer rev.Stop()
	defer keys.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-rev.C:
			if err := a.Service.SyncRevocations(ctx); err != nil && ctx.Err() == nil {
				a.Log.Warn("revocation sync failed", "err", err)
			}
		case <-keys.C:
			if err := a.ReloadKeys(ctx); err != nil && ctx.Err() == nil {
				a.Log.Warn("signing key reload failed", "err", err)
			}
		}
	}
}

// relayWebhooks runs a webhook relay round every second until ctx ends;
// a round that found work runs again at once, so a backlog drains fast.
func (a *App) relayWebhooks(ctx context.Context) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		n, err := a.Service.RunWebhooks(ctx)
		if err != nil && ctx.Err() == nil {
			a.Log.Warn("webhook relay round failed", "err", err)
		}
		if n > 0 && err == nil {
			continue
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// publishEvents runs a publishing round every second until ctx ends; a
// round that published runs again at once, so a backlog drains fast, and a
// failed one (NATS down) backs off, doubling up to publishMaxBackoff, so an
// outage costs a failed attempt now and then, never a busy loop. The
// rounds run apart from requests and from the webhook relay, which a NATS
// outage therefore never holds up.
func (a *App) publishEvents(ctx context.Context) {
	if a.nats != nil {
		// Create the stream at start when NATS is up; if it is not, the
		// first publish creates it.
		sctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		if err := a.nats.EnsureStream(sctx); err != nil && ctx.Err() == nil {
			a.Log.Warn("NATS stream not ready yet", "err", err)
		}
		cancel()
	}
	wait := time.Duration(0)
	for {
		n, err := a.Service.PublishEvents(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			wait = min(max(2*wait, time.Second), publishMaxBackoff)
			a.Log.Warn("NATS publishing round failed", "err", err, "published", n, "retry_in", wait)
		case n > 0:
			wait = 0
			continue
		default:
			wait = time.Second
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
	}
}

// publishMaxBackoff caps the wait between failed publishing rounds: short
// enough that events flow again soon after NATS comes back.
const publishMaxBackoff = 30 * time.Second

// Close flushes queued mail (bounded by ctx), closes the NATS connection
// and closes the store.
func (a *App) Close(ctx context.Context) error {
	// Import jobs stop first and record that they stopped, while the
	// store is still open. Reset requests still being issued write and
	// mail: finish them next.
	var errs []error
	if a.imports != nil {
		errs = append(errs, a.imports.Close(ctx))
	}
	errs = append(errs, a.Service.Drain(ctx))
	if a.queue != nil {
		errs = append(errs, a.queue.Close(ctx))
	}
	if a.shared != nil {
		errs = append(errs, a.shared.client.Close())
	}
	if a.nats != nil {
		a.nats.Close()
	}
	errs = append(errs, a.Store.Close())
	return errors.Join(errs...)
}
