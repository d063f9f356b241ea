// Package config is Clientele's one typed configuration: flags first, then
// CLIENTELE_* environment variables, then the visible defaults below. It is
// read once at start and passed down; nothing looks config up per request.
package config

import (
	"errors"
	"flag"
	"fmt"
	"net/netip"
	"net/url"
	"strings"
	"time"
)

// Config is the whole configuration of a Clientele process.
type Config struct {
	DB         string // SQLite path (default ./clientele.db) or postgres:// DSN
	DBMaxConns int    // PostgreSQL pool size (0: 4 per CPU)
	Redis      string // redis:// URL; empty runs the node alone on in-process limits
	Addr       string // listen address
	Issuer     string // iss claim; defaults to http://<addr>
	LogFormat  string // text or json
	LogLevel   string // debug, info, warn, error

	MailDir      string // dev sink: write each message as a .eml file here
	MailFrom     string
	SMTPHost     string
	SMTPPort     int
	SMTPUser     string
	SMTPPassword string

	TrustedProxies []netip.Prefix // peers whose X-Forwarded-For is believed

	Argon2Memory  uint // KiB
	Argon2Time    uint
	Argon2Threads uint

	PasswordWorkers int           // concurrent hashes (0: see Workers)
	PasswordQueue   int           // waiters before shedding
	PasswordMaxWait time.Duration // longest wait before shedding
	// MaxInFlight caps the requests served at once (0: no cap); a request
	// that finds none free waits InFlightMaxWait, then gets 503.
	MaxInFlight     int
	InFlightMaxWait time.Duration
	// MemoryLimitMiB is the Go runtime's soft memory limit for serve in
	// MiB; 0 (the default) and -1 set none. GOMEMLIMIT in the environment
	// wins.
	MemoryLimitMiB int

	RefreshGrace time.Duration // a rotated refresh token may be retried this long

	BagistoStore string // store id or publishable key the bare /bagisto base serves

	ShutdownTimeout time.Duration

	// MetricsAddr says where Prometheus metrics are served: "" on the main
	// listener at /metrics, "off" nowhere, otherwise a listen address of
	// their own (recommended when the main listener is public).
	MetricsAddr string
	// PprofAddr, when set, serves net/http/pprof on a listener of its own
	// (never the main one: profiles reveal internals and cost CPU). Off by
	// default; meant for loopback, to profile a node under real load.
	PprofAddr string

	// WebhooksAllowPrivate lets webhook endpoints and SFCC reset callback
	// URIs be loopback, private or link-local addresses (single-tenant
	// deployments, tests, the dev SFCC client's loopback callbacks).
	WebhooksAllowPrivate bool
	// HTTP server limits (SECURITY.md 32): a client trickling its headers
	// or body is cut off instead of holding a connection open.
	ReadHeaderTimeout time.Duration // whole request header
	ReadTimeout       time.Duration // whole request, body included
	WriteTimeout      time.Duration // from the end of the header to the end of the response
	IdleTimeout       time.Duration // keep-alive connection between requests
	MaxHeaderBytes    int           // request line and headers

	// NATS, when set, publishes every outbox event to NATS JetStream at
	// this nats:// or tls:// URL; NATSStream names the stream.
	NATS       string
	NATSStream string

	// AuditRetentionDays is how long audit entries are kept; 0 keeps them
	// for ever.
	AuditRetentionDays int

	// ImportMaxBytes caps an upload to POST /admin/v1/imports (413 past
	// it); ImportDir is where uploads are spooled ("" = the OS temp dir).
	ImportMaxBytes int64
	ImportDir      string
}

// Default returns the defaults: a dev setup on SQLite, on loopback.
func Default() Config {
	return Config{
		DB: "./clientele.db", Addr: "127.0.0.1:8080", LogFormat: "text", LogLevel: "info",
		MailFrom: "Clientele <no-reply@clientele.localhost>", SMTPPort: 587,
		Argon2Memory: 19456, Argon2Time: 2, Argon2Threads: 1,
		PasswordQueue: 16, PasswordMaxWait: 150 * time.Millisecond,
		MaxInFlight: 0, InFlightMaxWait: 50 * time.Millisecond,
		RefreshGrace:      10 * time.Second,
		ShutdownTimeout:   15 * time.Second,
		ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 15 * time.Second, WriteTimeout: 30 * time.Second,
		IdleTimeout: 120 * time.Second, MaxHeaderBytes: 32 << 10,
		AuditRetentionDays: 90,
		NATSStream:         "CLIENTELE",
		ImportMaxBytes:     256 << 20,
	}
}

// Bind declares the flags of the given groups on fs, writing into c.
// "db" is on every command; "serve" adds the server's flags.
func (c *Config) Bind(fs *flag.FlagSet, serve bool) {
	fs.StringVar(&c.DB, "db", c.DB, "database: SQLite file path or postgres:// DSN (env CLIENTELE_DB)")
	fs.StringVar(&c.LogFormat, "log-format", c.LogFormat, "log format: text or json (env CLIENTELE_LOG_FORMAT)")
	fs.StringVar(&c.LogLevel, "log-level", c.LogLevel, "log level: debug, info, warn, error (env CLIENTELE_LOG_LEVEL)")
	if !serve {
		return
	}
	fs.StringVar(&c.Addr, "addr", c.Addr, "listen address (env CLIENTELE_ADDR)")
	fs.StringVar(&c.Redis, "redis", c.Redis, "redis:// URL for shared rate limits and revocation fan-out across nodes (env CLIENTELE_REDIS)")
	fs.IntVar(&c.DBMaxConns, "db-max-conns", c.DBMaxConns, "PostgreSQL connection pool size, 0 = 4 per CPU (env CLIENTELE_DB_MAX_CONNS)")
	fs.StringVar(&c.Issuer, "issuer", c.Issuer, "token issuer URL, default http://<addr> (env CLIENTELE_ISSUER)")
	fs.StringVar(&c.BagistoStore, "bagisto-store", c.BagistoStore, "store (id or publishable key) of /bagisto requests that name none; default: the only store (env CLIENTELE_BAGISTO_STORE)")
	fs.StringVar(&c.MailDir, "mail-dir", c.MailDir, "dev mail sink: write each message as a .eml file in DIR (env CLIENTELE_MAIL_DIR)")
	fs.StringVar(&c.MailFrom, "mail-from", c.MailFrom, "From address of outgoing mail (env CLIENTELE_MAIL_FROM)")
	fs.StringVar(&c.SMTPHost, "smtp-host", c.SMTPHost, "SMTP server host; empty logs mail instead (env CLIENTELE_SMTP_HOST)")
	fs.IntVar(&c.SMTPPort, "smtp-port", c.SMTPPort, "SMTP server port (env CLIENTELE_SMTP_PORT)")
	fs.StringVar(&c.SMTPUser, "smtp-user", c.SMTPUser, "SMTP user (env CLIENTELE_SMTP_USER)")
	fs.StringVar(&c.SMTPPassword, "smtp-password", c.SMTPPassword, "SMTP password (env CLIENTELE_SMTP_PASSWORD)")
	fs.Func("trusted-proxies", "comma-separated CIDRs whose X-Forwarded-For is trusted (env CLIENTELE_TRUSTED_PROXIES)", func(s string) error {
		p, err := ParsePrefixes(s)
		c.TrustedProxies = p
		return err
	})
	fs.UintVar(&c.Argon2Memory, "argon2-memory", c.Argon2Memory, "argon2id memory in KiB (env CLIENTELE_ARGON2_MEMORY)")
	fs.UintVar(&c.Argon2Time, "argon2-time", c.Argon2Time, "argon2id passes (env CLIENTELE_ARGON2_TIME)")
	fs.UintVar(&c.Argon2Threads, "argon2-threads", c.Argon2Threads, "argon2id lanes (env CLIENTELE_ARGON2_THREADS)")
	fs.IntVar(&c.PasswordWorkers, "password-workers", c.PasswordWorkers, "concurrent password hashes, 0 = one fewer than the CPUs (at least 1), leaving a CPU to everything else during a login flood (env CLIENTELE_PASSWORD_WORKERS)")
	fs.IntVar(&c.PasswordQueue, "password-queue", c.PasswordQueue, "password-work waiters before shedding with 503 (env CLIENTELE_PASSWORD_QUEUE)")
	fs.DurationVar(&c.PasswordMaxWait, "password-max-wait", c.PasswordMaxWait, "longest wait for password work before 503 (env CLIENTELE_PASSWORD_MAX_WAIT)")
	fs.IntVar(&c.MaxInFlight, "max-inflight", c.MaxInFlight, "requests served at once before the rest wait and are shed with 503, 0 = no cap (the default) (env CLIENTELE_MAX_INFLIGHT)")
	fs.DurationVar(&c.InFlightMaxWait, "inflight-max-wait", c.InFlightMaxWait, "longest wait for a place under --max-inflight before 503 (env CLIENTELE_INFLIGHT_MAX_WAIT)")
	fs.IntVar(&c.MemoryLimitMiB, "memory-limit-mib", c.MemoryLimitMiB, "Go soft memory limit in MiB, at least 32; 0 = none (the default: see BENCHMARKS.md, P5); GOMEMLIMIT wins (env CLIENTELE_MEMORY_LIMIT_MIB)")
	fs.DurationVar(&c.RefreshGrace, "refresh-grace", c.RefreshGrace, "how long a rotated refresh token may be retried for the same new token before it counts as reuse (env CLIENTELE_REFRESH_GRACE)")
	fs.StringVar(&c.MetricsAddr, "metrics-addr", c.MetricsAddr, `Prometheus metrics: "" serves /metrics on the main listener, "off" disables, host:port serves them there (env CLIENTELE_METRICS_ADDR)`)
	fs.StringVar(&c.PprofAddr, "pprof-addr", c.PprofAddr, "serve /debug/pprof/ on this host:port (a listener of its own, keep it on loopback); empty = off (env CLIENTELE_PPROF_ADDR)")
	fs.BoolVar(&c.WebhooksAllowPrivate, "webhooks-allow-private", c.WebhooksAllowPrivate, "let webhook endpoints and SFCC reset callbacks point at loopback, private and link-local addresses (env CLIENTELE_WEBHOOKS_ALLOW_PRIVATE)")
	fs.StringVar(&c.NATS, "nats", c.NATS, "nats:// or tls:// URL: publish every event webhooks get to NATS JetStream too; empty = off (env CLIENTELE_NATS)")
	fs.StringVar(&c.NATSStream, "nats-stream", c.NATSStream, "JetStream stream for --nats, created with subjects clientele.> if absent (env CLIENTELE_NATS_STREAM)")
	fs.IntVar(&c.AuditRetentionDays, "audit-retention-days", c.AuditRetentionDays, "days audit entries are kept, 0 = for ever (env CLIENTELE_AUDIT_RETENTION_DAYS)")
	fs.Int64Var(&c.ImportMaxBytes, "import-max-bytes", c.ImportMaxBytes, "largest file POST /admin/v1/imports takes, in bytes (env CLIENTELE_IMPORT_MAX_BYTES)")
	fs.StringVar(&c.ImportDir, "import-dir", c.ImportDir, "directory uploads to POST /admin/v1/imports are spooled to while they import, default the OS temp dir (env CLIENTELE_IMPORT_DIR)")
	fs.DurationVar(&c.ShutdownTimeout, "shutdown-timeout", c.ShutdownTimeout, "graceful shutdown deadline (env CLIENTELE_SHUTDOWN_TIMEOUT)")
	fs.DurationVar(&c.ReadHeaderTimeout, "read-header-timeout", c.ReadHeaderTimeout, "longest time to read a request's headers (env CLIENTELE_READ_HEADER_TIMEOUT)")
	fs.DurationVar(&c.ReadTimeout, "read-timeout", c.ReadTimeout, "longest time to read a whole request (env CLIENTELE_READ_TIMEOUT)")
	fs.DurationVar(&c.WriteTimeout, "write-timeout", c.WriteTimeout, "longest time from a request's headers to the end of its response (env CLIENTELE_WRITE_TIMEOUT)")
	fs.DurationVar(&c.IdleTimeout, "idle-timeout", c.IdleTimeout, "longest idle keep-alive connection (env CLIENTELE_IDLE_TIMEOUT)")
	fs.IntVar(&c.MaxHeaderBytes, "max-header-bytes", c.MaxHeaderBytes, "largest request line and headers in bytes (env CLIENTELE_MAX_HEADER_BYTES)")
}

// Parse applies CLIENTELE_* variables, then args, to fs. An environment
// variable is the flag's name upper-cased with - as _.
func Parse(fs *flag.FlagSet, args []string, getenv func(string) string) error {
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		name := "CLIENTELE_" + strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))
		if v := getenv(name); v != "" && err == nil {
			if e := fs.Set(f.Name, v); e != nil {
				err = fmt.Errorf("%s: %w", name, e)
			}
		}
	})
	if err != nil {
		return err
	}
	return fs.Parse(args)
}

// Validate checks the values once at start.
func (c *Config) Validate() error {
	var errs []error
	if c.DB == "" {
		errs = append(errs, errors.New("--db is required"))
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		errs = append(errs, errors.New("--log-format must be text or json"))
	}
	if c.Argon2Memory < 8*c.Argon2Threads || c.Argon2Time < 1 || c.Argon2Threads < 1 || c.Argon2Threads > 16 {
		errs = append(errs, errors.New("argon2 parameters out of range"))
	}
	if c.RefreshGrace <= 0 || c.RefreshGrace > time.Minute {
		errs = append(errs, errors.New("--refresh-grace must be more than 0 and at most 1m"))
	}
	if c.ReadHeaderTimeout <= 0 || c.ReadTimeout <= 0 || c.WriteTimeout <= 0 || c.IdleTimeout <= 0 {
		errs = append(errs, errors.New("--read-header-timeout, --read-timeout, --write-timeout and --idle-timeout must be more than 0"))
	}
	if c.ReadHeaderTimeout > c.ReadTimeout {
		errs = append(errs, errors.New("--read-header-timeout must not exceed --read-timeout"))
	}
	if c.MaxHeaderBytes < 4<<10 || c.MaxHeaderBytes > 1<<20 {
		errs = append(errs, errors.New("--max-header-bytes must be between 4096 and 1048576"))
	}
	if c.MaxInFlight < 0 || c.InFlightMaxWait < 0 {
		errs = append(errs, errors.New("--max-inflight and --inflight-max-wait must not be negative"))
	}
	if c.MemoryLimitMiB < -1 || (c.MemoryLimitMiB > 0 && c.MemoryLimitMiB < 32) {
		errs = append(errs, errors.New("--memory-limit-mib must be -1, 0 or at least 32"))
	}
	if c.ImportMaxBytes < 1 {
		errs = append(errs, errors.New("--import-max-bytes must be at least 1"))
	}
	if c.PasswordQueue < 0 || c.PasswordWorkers < 0 {
		errs = append(errs, errors.New("password worker and queue sizes must not be negative"))
	}
	if err := validateNATS(c.NATS, c.NATSStream); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// MemoryLimit is the soft memory limit in bytes serve gives the Go runtime,
// or 0 for none. None is the default: each password hash allocates
// Argon2Memory afresh, and under a login flood next to other traffic a limit
// near the live heap kept the collector running back to back, until reads
// timed out by the thousand (BENCHMARKS.md, P5). An operator who must cap
// memory sets one, well above workers × Argon2Memory.
func (c Config) MemoryLimit() int64 {
	if c.MemoryLimitMiB > 0 {
		return int64(c.MemoryLimitMiB) << 20
	}
	return 0
}

// Workers is how many password hashes run at once given cpus CPUs:
// PasswordWorkers if set, otherwise one fewer than the CPUs, at least one.
// Hashing is pure CPU; with a hash on every CPU a login flood leaves none
// for reads, refreshes or even refusing the flood's excess, whose 503s then
// wait behind the hashes (BENCHMARKS.md, P4 and P5).
func (c Config) Workers(cpus int) int {
	if c.PasswordWorkers > 0 {
		return c.PasswordWorkers
	}
	return max(1, cpus-1)
}

// validateNATS checks --nats (each of its comma-separated URLs, as the
// NATS client takes them) and --nats-stream, so that a typo fails at start
// instead of the client retrying a bad address for ever.
func validateNATS(urls, stream string) error {
	if urls == "" {
		return nil
	}
	for _, raw := range strings.Split(urls, ",") {
		u, err := url.Parse(strings.TrimSpace(raw))
		if err != nil {
			// The parser's message may quote the URL, password and all.
			return errors.New("--nats: a URL does not parse; want nats://host:port or tls://host:port")
		}
		if (u.Scheme != "nats" && u.Scheme != "tls") || u.Host == "" {
			return fmt.Errorf("--nats: %q is not a nats://host:port or tls://host:port URL", u.Redacted())
		}
	}
	// JetStream stream names may not hold spaces, dots, wildcards or
	// path separators.
	if stream == "" || strings.ContainsAny(stream, " \t.*>/\\") {
		return fmt.Errorf("--nats-stream: %q is not a valid JetStream stream name", stream)
	}
	return nil
}

// ParsePrefixes parses a comma-separated list of CIDRs or single addresses.
func ParsePrefixes(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if !strings.Contains(part, "/") {
			a, err := netip.ParseAddr(part)
			if err != nil {
				return nil, err
			}
			out = append(out, netip.PrefixFrom(a, a.BitLen()))
			continue
		}
		p, err := netip.ParsePrefix(part)
		if err != nil {
			return nil, err
		}
		out = append(out, p.Masked())
	}
	return out, nil
}
