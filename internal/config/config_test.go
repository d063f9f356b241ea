package config_test

import (
	"flag"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/clientele/clientele/internal/config"
)

func parse(t *testing.T, args []string, env map[string]string) (config.Config, error) {
	t.Helper()
	c := config.Default()
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	c.Bind(fs, true)
	err := config.Parse(fs, args, func(k string) string { return env[k] })
	if err == nil {
		err = c.Validate()
	}
	return c, err
}

func TestFlagsOverrideEnvironmentOverrideDefaults(t *testing.T) {
	c, err := parse(t, nil, nil)
	if err != nil || c.Addr != "127.0.0.1:8080" || c.DB != "./clientele.db" || c.Argon2Memory != 19456 {
		t.Fatalf("defaults: %+v %v", c, err)
	}
	c, err = parse(t, nil, map[string]string{"CLIENTELE_ADDR": "127.0.0.1:9", "CLIENTELE_MAIL_DIR": "/tmp/m", "CLIENTELE_TRUSTED_PROXIES": "10.0.0.0/8, 192.0.2.1"})
	if err != nil || c.Addr != "127.0.0.1:9" || c.MailDir != "/tmp/m" || len(c.TrustedProxies) != 2 {
		t.Fatalf("env: %+v %v", c, err)
	}
	c, err = parse(t, []string{"--addr", "127.0.0.1:7"}, map[string]string{"CLIENTELE_ADDR": "127.0.0.1:9"})
	if err != nil || c.Addr != "127.0.0.1:7" {
		t.Fatalf("flag over env: %+v %v", c, err)
	}
}

func TestInvalidConfig(t *testing.T) {
	for name, tc := range map[string]struct {
		args []string
		env  map[string]string
	}{
		"log_format":               {[]string{"--log-format", "xml"}, nil},
		"argon2_threads":           {[]string{"--argon2-threads", "0"}, nil},
		"bad_env_number":           {nil, map[string]string{"CLIENTELE_SMTP_PORT": "many"}},
		"bad_cidr":                 {[]string{"--trusted-proxies", "10.0.0.0/99"}, nil},
		"empty_db":                 {[]string{"--db", ""}, nil},
		"zero_read_header_timeout": {[]string{"--read-header-timeout", "0s"}, nil},
		"header_timeout_over_read": {[]string{"--read-header-timeout", "20s", "--read-timeout", "10s"}, nil},
		"tiny_max_header_bytes":    {[]string{"--max-header-bytes", "100"}, nil},
		"zero_idle_timeout":        {nil, map[string]string{"CLIENTELE_IDLE_TIMEOUT": "0s"}},
		"negative_inflight":        {[]string{"--max-inflight", "-1"}, nil},
		"memory_limit_below_floor": {[]string{"--memory-limit-mib", "16"}, nil},
		"memory_limit_negative":    {[]string{"--memory-limit-mib", "-2"}, nil},
		"nats_http_url":            {[]string{"--nats", "http://127.0.0.1:4222"}, nil},
		"nats_bare_host":           {nil, map[string]string{"CLIENTELE_NATS": "127.0.0.1:4222"}},
		"nats_no_host":             {[]string{"--nats", "nats://"}, nil},
		"nats_second_url_bad":      {[]string{"--nats", "nats://a:4222,redis://b:6379"}, nil},
		"nats_stream_with_dot":     {[]string{"--nats", "nats://127.0.0.1:4222", "--nats-stream", "a.b"}, nil},
		"nats_stream_empty":        {[]string{"--nats", "nats://127.0.0.1:4222", "--nats-stream", ""}, nil},
	} {
		t.Run("case="+name, func(t *testing.T) {
			if _, err := parse(t, tc.args, tc.env); err == nil {
				t.Fatal("accepted")
			}
		})
	}
}

// The server limits are configuration with safe defaults.
func TestServerLimits(t *testing.T) {
	c, err := parse(t, nil, nil)
	if err != nil || c.ReadHeaderTimeout != 5*time.Second || c.ReadTimeout != 15*time.Second || c.WriteTimeout != 30*time.Second ||
		c.IdleTimeout != 2*time.Minute || c.MaxHeaderBytes != 32<<10 {
		t.Fatalf("defaults: %+v %v", c, err)
	}
	c, err = parse(t, []string{"--read-header-timeout", "2s", "--max-header-bytes", "8192"}, map[string]string{"CLIENTELE_WRITE_TIMEOUT": "10s"})
	if err != nil || c.ReadHeaderTimeout != 2*time.Second || c.MaxHeaderBytes != 8192 || c.WriteTimeout != 10*time.Second {
		t.Fatalf("set: %+v %v", c, err)
	}
}

// No memory limit unless one is asked for; the password pool leaves a CPU
// free unless sized explicitly.
func TestMemoryLimitAndWorkers(t *testing.T) {
	for _, tc := range []struct {
		name        string
		args        []string
		cpus        int
		wantMiB     float64
		wantWorkers int
	}{
		{"defaults_two_cpus", nil, 2, 0, 1},
		{"defaults_one_cpu", nil, 1, 0, 1},
		{"defaults_eight_cpus", nil, 8, 0, 7},
		{"explicit_workers", []string{"--password-workers", "4"}, 2, 0, 4},
		{"explicit_limit", []string{"--memory-limit-mib", "512"}, 2, 512, 1},
		{"off", []string{"--memory-limit-mib", "-1"}, 2, 0, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := parse(t, tc.args, nil)
			if err != nil {
				t.Fatal(err)
			}
			if got := float64(c.MemoryLimit()) / (1 << 20); got != tc.wantMiB {
				t.Fatalf("MemoryLimit() = %.2f MiB, want %.2f", got, tc.wantMiB)
			}
			if got := c.Workers(tc.cpus); got != tc.wantWorkers {
				t.Fatalf("Workers(%d) = %d, want %d", tc.cpus, got, tc.wantWorkers)
			}
		})
	}
	for _, bad := range []string{"-2", "31"} {
		if _, err := parse(t, []string{"--memory-limit-mib", bad}, nil); err == nil || !strings.Contains(err.Error(), "--memory-limit-mib") {
			t.Fatalf("--memory-limit-mib %s: error %v", bad, err)
		}
	}
}

// --nats takes nats:// and tls:// URLs (several, comma-separated) and is
// off by default; a bad one names the flag in the error.
func TestNATSFlags(t *testing.T) {
	c, err := parse(t, nil, nil)
	if err != nil || c.NATS != "" || c.NATSStream != "CLIENTELE" {
		t.Fatalf("defaults: NATS %q stream %q, %v", c.NATS, c.NATSStream, err)
	}
	c, err = parse(t, []string{"--nats-stream", "EVENTS"}, map[string]string{"CLIENTELE_NATS": "nats://127.0.0.1:4222, tls://nats.internal:4443"})
	if err != nil || c.NATS != "nats://127.0.0.1:4222, tls://nats.internal:4443" || c.NATSStream != "EVENTS" {
		t.Fatalf("set: NATS %q stream %q, %v", c.NATS, c.NATSStream, err)
	}
	_, err = parse(t, []string{"--nats", "http://127.0.0.1:4222"}, nil)
	if err == nil || !strings.Contains(err.Error(), "--nats") {
		t.Fatalf("bad URL error %v does not name --nats", err)
	}
	for _, bad := range []string{"http://user:s3cret@127.0.0.1:4222", "nats://user:s3cret@[::1"} {
		_, err = parse(t, []string{"--nats", bad}, nil)
		if err == nil || strings.Contains(err.Error(), "s3cret") {
			t.Fatalf("--nats %s: error %v, want one without the password", bad, err)
		}
	}
}
