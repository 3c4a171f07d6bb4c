package framework

import (
	"errors"
	"flag"
	"io"
	"strings"
	"testing"
	"time"
)

func parse(t *testing.T, args []string, env map[string]string) (Config, error) {
	t.Helper()
	fs := flag.NewFlagSet("suite", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	flags := RegisterFlags(fs)
	if err := fs.Parse(args); err != nil {
		return Config{}, err
	}
	return flags.Resolve(func(k string) string { return env[k] })
}

func TestResolvePrecedence(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args []string
		env  map[string]string
		want Config
	}{
		{"defaults", nil, nil, DefaultConfig()},
		{"env fills unset flags", nil,
			map[string]string{"SCIM_TARGET": "https://a.example/scim", "SCIM_TOKEN": "t0k", "SCIM_KEEP": "true", "SCIM_TIMEOUT": "5s", "SCIM_DIALECT": "default",
				"SCIM_GIVE_UP_AFTER": "3", "SCIM_MAX_RESPONSE": "1MiB", "SCIM_DEADLINE": "5m"},
			withDefaults(Config{Target: "https://a.example/scim", Token: "t0k", App: DefaultApp, Dialect: "default", Profile: ProfileAll, Keep: true, Timeout: 5 * time.Second,
				GiveUpAfter: 3, MaxResponse: 1 << 20, Deadline: 5 * time.Minute})},
		{"flag wins over env", []string{"-target=https://flag.example/scim", "-profile", "rfc", "-insecure", "-give-up-after=0", "-deadline=1h"},
			map[string]string{"SCIM_TARGET": "https://env.example/scim", "SCIM_PROFILE": "entra", "SCIM_GIVE_UP_AFTER": "4", "SCIM_DEADLINE": "2m"},
			withDefaults(Config{Target: "https://flag.example/scim", App: DefaultApp, Dialect: DialectBoth, Profile: ProfileRFC, Insecure: true, Timeout: DefaultTimeout,
				GiveUpAfter: 0, Deadline: time.Hour})},
		{"every option by flag", []string{"-target=http://127.0.0.1:9/scim", "-auth-header", "X-Key: v", "-app=custom", "-dialect=aadOptscim062020", "-report-dir=/tmp/r", "-keep", "-timeout=1m", "-ca-file=ca.pem",
			"-give-up-after", "25", "-max-response", "64 MiB", "-deadline", "90m", "-features=patch,filter", "-accept=accept.yaml"},
			nil,
			Config{Target: "http://127.0.0.1:9/scim", AuthHeader: "X-Key: v", App: "custom", Dialect: DialectAAD, Profile: ProfileAll, ReportDir: "/tmp/r", Keep: true, Timeout: time.Minute, CAFile: "ca.pem",
				GiveUpAfter: 25, MaxResponse: 64 << 20, Deadline: 90 * time.Minute, Features: "patch,filter", Accept: "accept.yaml"}},
		{"features and accept from env", nil,
			map[string]string{"SCIM_FEATURES": "none", "SCIM_ACCEPT": "baseline.yaml"},
			withDefaults(Config{App: DefaultApp, Dialect: DialectBoth, Profile: ProfileAll, Timeout: DefaultTimeout, GiveUpAfter: DefaultConfig().GiveUpAfter, Features: "none", Accept: "baseline.yaml"})},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := parse(t, tc.args, tc.env)
			if err != nil {
				t.Fatalf("Resolve: %v", err)
			}
			if got != tc.want {
				t.Errorf("got %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

// withDefaults fills the options a test case leaves zero with their
// defaults, for the options only a few cases set.
func withDefaults(c Config) Config {
	d := DefaultConfig()
	if c.MaxResponse == 0 {
		c.MaxResponse = d.MaxResponse
	}
	if c.Deadline == 0 {
		c.Deadline = d.Deadline
	}
	return c
}

func TestResolveRejectsMalformedEnv(t *testing.T) {
	t.Parallel()
	_, err := parse(t, nil, map[string]string{"SCIM_KEEP": "maybe", "SCIM_TIMEOUT": "soon", "SCIM_GIVE_UP_AFTER": "ten", "SCIM_MAX_RESPONSE": "16MB", "SCIM_DEADLINE": "forever"})
	if err == nil {
		t.Fatal("Resolve accepted SCIM_KEEP=maybe and SCIM_TIMEOUT=soon")
	}
	for _, want := range []string{"SCIM_KEEP", "not a boolean", "SCIM_TIMEOUT", "not a duration", "SCIM_GIVE_UP_AFTER", "not a whole number",
		"SCIM_MAX_RESPONSE", "16MiB", "SCIM_DEADLINE"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
}

func TestValidate(t *testing.T) {
	t.Parallel()
	known := func(name string) error {
		if name == DefaultApp || name == "custom" {
			return nil
		}
		return errors.New("no such app profile; known: entra-default, custom")
	}
	valid := DefaultConfig()
	with := func(edit func(*Config)) Config { c := valid; edit(&c); return c }
	tests := []struct {
		name string
		cfg  Config
		want []string // substrings of the one error; none = valid
	}{
		{"defaults (in-process server)", valid, nil},
		{"remote target with token", with(func(c *Config) { c.Target = "https://app.example/scim"; c.Token = "x" }), nil},
		{"remote target with auth header", with(func(c *Config) { c.Target = "https://app.example/scim"; c.AuthHeader = "X-Key: abc" }), nil},
		{"target with the Entra flag in its query", with(func(c *Config) { c.Target = "https://app.example/scim/?aadOptscim062020"; c.Token = "x" }), nil},
		{"remote target without credential", with(func(c *Config) { c.Target = "https://app.example/scim" }), []string{"no credential", "SCIM_TOKEN"}},
		{"target without scheme", with(func(c *Config) { c.Target = "app.example/scim"; c.Token = "x" }), []string{"must start with https://"}},
		{"target with ftp scheme", with(func(c *Config) { c.Target = "ftp://app.example/scim"; c.Token = "x" }), []string{"must start with https://"}},
		{"target without host", with(func(c *Config) { c.Target = "https:///scim"; c.Token = "x" }), []string{"has no host"}},
		{"target with fragment", with(func(c *Config) { c.Target = "https://a.example/scim#x"; c.Token = "x" }), []string{"fragment"}},
		{"unparseable target", with(func(c *Config) { c.Target = "https://a b:%zz"; c.Token = "x" }), []string{"is not a URL"}},
		{"malformed auth header", with(func(c *Config) { c.AuthHeader = "no colon" }), []string{`"Name: value"`}},
		{"unknown dialect", with(func(c *Config) { c.Dialect = "aad" }), []string{`-dialect "aad" is unknown`, "both"}},
		{"unknown profile", with(func(c *Config) { c.Profile = "okta" }), []string{`-profile "okta" is unknown`, "entra", "rfc", "all"}},
		{"unknown app", with(func(c *Config) { c.App = "nope" }), []string{`-app "nope"`, "known: entra-default"}},
		{"empty app", with(func(c *Config) { c.App = "" }), []string{"-app is empty"}},
		{"zero timeout", with(func(c *Config) { c.Timeout = 0 }), []string{"-timeout must be positive"}},
		{"CA file without target", with(func(c *Config) { c.CAFile = "config_test.go" }), []string{"-ca-file needs -target"}},
		{"missing CA file", with(func(c *Config) { c.Target = "https://a.example/scim"; c.Token = "x"; c.CAFile = "/nonexistent/ca.pem" }), []string{`-ca-file "/nonexistent/ca.pem" cannot be read`}},
		{"CA file", with(func(c *Config) { c.Target = "https://a.example/scim"; c.Token = "x"; c.CAFile = "config_test.go" }), nil},
		{"features", with(func(c *Config) { c.Features = "Patch, filter,ETAG,changepassword" }), nil},
		{"no features", with(func(c *Config) { c.Features = "none" }), nil},
		{"unknown feature", with(func(c *Config) { c.Features = "patch,paging" }), []string{`-features "patch,paging": unknown feature "paging"`, "changePassword", "none"}},
		{"accept file", with(func(c *Config) { c.Accept = "testdata/accept-valid.yaml" }), nil},
		{"missing accept file", with(func(c *Config) { c.Accept = "testdata/none.yaml" }), []string{`-accept "testdata/none.yaml" cannot be read`}},
		{"malformed accept file", with(func(c *Config) { c.Accept = "testdata/accept-broken.yaml" }),
			[]string{`-accept "testdata/accept-broken.yaml"`, "line 2: the entry has no reason", "line 3: the entry names both a spec and a label", "line 6: the entry names no spec and no label",
				`line 6: expires "next week" is not a date`, `line 10: unknown key "owner"`}},
		{"never give up", with(func(c *Config) { c.GiveUpAfter = 0 }), nil},
		{"negative give-up-after", with(func(c *Config) { c.GiveUpAfter = -1 }), []string{"-give-up-after must be 0 (never give up) or more"}},
		{"zero max-response", with(func(c *Config) { c.MaxResponse = 0 }), []string{"-max-response must be positive"}},
		{"zero deadline", with(func(c *Config) { c.Deadline = 0 }), []string{"-deadline must be positive"}},
		{"every problem at once", with(func(c *Config) { c.Dialect = "x"; c.Profile = "y"; c.Timeout = -1 }),
			[]string{"-dialect", "-profile", "-timeout"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := tc.cfg.Validate(known)
			if len(tc.want) == 0 {
				if err != nil {
					t.Fatalf("Validate: unexpected error %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("Validate accepted %+v", tc.cfg)
			}
			if !strings.HasPrefix(err.Error(), "invalid configuration") {
				t.Errorf("error %q does not start with the one headline", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

func TestConfigStringRedactsSecrets(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		cfg     Config
		secret  string
		mention []string
	}{
		{"bearer token", Config{Target: "https://a.example/scim", Token: "s3cr3t-token-value", App: DefaultApp, Dialect: DialectBoth, Profile: ProfileAll, Timeout: time.Second},
			"s3cr3t-token-value", []string{"https://a.example/scim", "bearer token <redacted, 18 characters>", "entra-default", "both", "all", "1s"}},
		{"auth header", Config{Target: "https://a.example/scim", AuthHeader: "X-Api-Key: hunter2hunter2", App: DefaultApp, Dialect: DialectAAD, Profile: ProfileRFC, Keep: true, Timeout: time.Second},
			"hunter2hunter2", []string{`header "X-Api-Key": <redacted>`, "NOT deleted", "aadOptscim062020", "rfc"}},
		{"in-process", DefaultConfig(), "", []string{"built-in reference server", "random, generated for this run", "report-dir  (none)",
			"deadline    30m0s", "give up     after 10 requests in a row with no usable answer", "max-response 16 MiB"}},
		{"features and accept", Config{App: DefaultApp, Dialect: DialectBoth, Profile: ProfileAll, Timeout: time.Second, Features: "patch,filter", Accept: "accept.yaml", Deadline: time.Minute, MaxResponse: 1 << 20}, "",
			[]string{"features    patch,filter (stated with -features", "accept      accept.yaml (accepted failures are reported apart"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			out := tc.cfg.String()
			if tc.secret != "" && strings.Contains(out, tc.secret) {
				t.Fatalf("configuration print leaks the secret:\n%s", out)
			}
			for _, m := range tc.mention {
				if !strings.Contains(out, m) {
					t.Errorf("configuration print lacks %q:\n%s", m, out)
				}
			}
		})
	}
}

func TestResolveErrorRedactsSecrets(t *testing.T) {
	t.Parallel()
	fs := flag.NewFlagSet("suite", flag.ContinueOnError)
	flags := RegisterFlags(fs)
	if err := fs.Parse(nil); err != nil {
		t.Fatal(err)
	}
	// A token value can never be malformed, but the redaction must hold for
	// any secret option that reaches an error message.
	if got := redactIf("token", "abc"); got != "<redacted>" {
		t.Errorf("redactIf(token) = %q", got)
	}
	if got := redactIf("auth-header", "X: abc"); got != "<redacted>" {
		t.Errorf("redactIf(auth-header) = %q", got)
	}
	if got := redactIf("timeout", "5s"); got != "5s" {
		t.Errorf("redactIf(timeout) = %q", got)
	}
	if _, err := flags.Resolve(func(string) string { return "" }); err != nil {
		t.Errorf("Resolve with empty environment: %v", err)
	}
}

func TestLabelFilter(t *testing.T) {
	t.Parallel()
	tests := []struct {
		profile, dialect, user string
		want                   string
	}{
		{ProfileAll, DialectBoth, "", ""},
		{ProfileEntra, DialectBoth, "", "entra"},
		{ProfileRFC, DialectBoth, "", "rfc7643 || rfc7644"},
		{ProfileAll, DialectDefault, "", "!dialect-aadOptscim062020"},
		{ProfileAll, DialectAAD, "", "!dialect-default"},
		{ProfileEntra, DialectDefault, "", "(entra) && (!dialect-aadOptscim062020)"},
		{ProfileRFC, DialectBoth, "users && !should", "(rfc7643 || rfc7644) && (users && !should)"},
		{ProfileAll, DialectBoth, "  ", ""},
		{ProfileAll, DialectBoth, "patch", "patch"},
	}
	for _, tc := range tests {
		t.Run(tc.profile+"/"+tc.dialect+"/"+tc.user, func(t *testing.T) {
			t.Parallel()
			c := Config{Profile: tc.profile, Dialect: tc.dialect}
			got, err := c.LabelFilter(tc.user)
			if err != nil {
				t.Fatalf("LabelFilter: %v", err)
			}
			if got != tc.want {
				t.Errorf("LabelFilter = %q, want %q", got, tc.want)
			}
		})
	}
	if _, err := (Config{Profile: "x", Dialect: DialectBoth}).LabelFilter(""); err == nil {
		t.Error("LabelFilter accepted an unknown profile")
	}
	if _, err := (Config{Profile: ProfileAll, Dialect: "x"}).LabelFilter(""); err == nil {
		t.Error("LabelFilter accepted an unknown dialect")
	}
}

func TestDialects(t *testing.T) {
	t.Parallel()
	for option, want := range map[string]string{DialectDefault: "default", DialectAAD: "aadOptscim062020", DialectBoth: "default,aadOptscim062020"} {
		got, err := Dialects(option)
		if err != nil || strings.Join(got, ",") != want {
			t.Errorf("Dialects(%q) = %v, %v; want %s", option, got, err, want)
		}
	}
	if DialectLabel(DialectAAD) != LabelDialectAAD || DialectLabel(DialectDefault) != LabelDialectDefault {
		t.Error("DialectLabel maps dialects to the wrong labels")
	}
}
