package framework

import (
	"errors"
	"flag"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/scimconform/scimconform/runner/scimclient"
)

// Config is the suite's configuration: what to test and how to report it.
// Every field has a flag and an environment variable; a flag given on the
// command line wins over the variable, which wins over the default.
type Config struct {
	Target     string        // -target, SCIM_TARGET: Tenant URL; empty = in-process reference server
	Token      string        // -token, SCIM_TOKEN: bearer token
	AuthHeader string        // -auth-header, SCIM_AUTH_HEADER: "Name: value" for other schemes
	App        string        // -app, SCIM_APP: attribute-mapping profile (fixtures/apps/<name>.yaml)
	Dialect    string        // -dialect, SCIM_DIALECT: default | aadOptscim062020 | both
	Profile    string        // -profile, SCIM_PROFILE: entra | rfc | all
	ReportDir  string        // -report-dir, SCIM_REPORT_DIR: where junit.xml, report.json, report.html go
	Keep       bool          // -keep, SCIM_KEEP: leave created resources in place
	Timeout    time.Duration // -timeout, SCIM_TIMEOUT: bound on every request
	Insecure   bool          // -insecure, SCIM_INSECURE: skip TLS certificate verification
	CAFile     string        // -ca-file, SCIM_CA_FILE: PEM roots to trust besides the system's
	// Features, when set, states the optional features the target supports
	// instead of its /ServiceProviderConfig: -features, SCIM_FEATURES,
	// e.g. "patch,filter" or "none" (see ParseFeatures).
	Features string
	// Accept is a file of accepted deviations: -accept, SCIM_ACCEPT (see
	// Baseline).
	Accept string
	// -give-up-after, SCIM_GIVE_UP_AFTER: requests in a row with no usable
	// answer after which the run stops; 0 never stops.
	GiveUpAfter int
	MaxResponse scimclient.ByteSize // -max-response, SCIM_MAX_RESPONSE: most bytes read of one response
	Deadline    time.Duration       // -deadline, SCIM_DEADLINE: the run stops when it passes; cleanup follows
}

// Option values.
const (
	DialectDefault = "default"
	DialectAAD     = "aadOptscim062020"
	DialectBoth    = "both"

	ProfileEntra = "entra"
	ProfileRFC   = "rfc"
	ProfileAll   = "all"

	DefaultApp      = "entra-default"
	DefaultTimeout  = 30 * time.Second
	DefaultDeadline = 30 * time.Minute
)

// DefaultConfig returns the configuration used when nothing is set.
func DefaultConfig() Config {
	return Config{App: DefaultApp, Dialect: DialectBoth, Profile: ProfileAll, Timeout: DefaultTimeout,
		GiveUpAfter: scimclient.DefaultGiveUpAfter, MaxResponse: scimclient.DefaultMaxResponse, Deadline: DefaultDeadline}
}

// option binds one Config field to its flag and environment variable.
type option struct {
	flag, env, usage string
	value            func(c *Config) flag.Value
}

var options = []option{
	{"target", "SCIM_TARGET", "SCIM Tenant URL to test, e.g. https://app.example.com/scim (empty: start the built-in reference server)",
		func(c *Config) flag.Value { return (*stringValue)(&c.Target) }},
	{"token", "SCIM_TOKEN", "bearer token for the target (prefer the environment variable to keep it off the command line)",
		func(c *Config) flag.Value { return (*stringValue)(&c.Token) }},
	{"auth-header", "SCIM_AUTH_HEADER", `authentication header for non-bearer schemes, "Name: value"; wins over -token`,
		func(c *Config) flag.Value { return (*stringValue)(&c.AuthHeader) }},
	{"app", "SCIM_APP", "attribute-mapping profile of the Entra application (fixtures/apps/<name>.yaml)",
		func(c *Config) flag.Value { return (*stringValue)(&c.App) }},
	{"dialect", "SCIM_DIALECT", "Entra PATCH dialect to replay: default, aadOptscim062020 or both",
		func(c *Config) flag.Value { return (*stringValue)(&c.Dialect) }},
	{"profile", "SCIM_PROFILE", "which requirements to test: entra (what Entra needs), rfc (RFC 7643/7644) or all",
		func(c *Config) flag.Value { return (*stringValue)(&c.Profile) }},
	{"report-dir", "SCIM_REPORT_DIR", "directory for junit.xml, report.json and report.html (empty: no files)",
		func(c *Config) flag.Value { return (*stringValue)(&c.ReportDir) }},
	{"keep", "SCIM_KEEP", "keep the resources the run creates (no cleanup, no residue check) for debugging",
		func(c *Config) flag.Value { return (*boolValue)(&c.Keep) }},
	{"timeout", "SCIM_TIMEOUT", "time limit for each HTTP request, e.g. 30s",
		func(c *Config) flag.Value { return (*durationValue)(&c.Timeout) }},
	{"insecure", "SCIM_INSECURE", "skip TLS certificate verification of the target (testing only)",
		func(c *Config) flag.Value { return (*boolValue)(&c.Insecure) }},
	{"ca-file", "SCIM_CA_FILE", "PEM file of CA certificates to trust for the target, besides the system's",
		func(c *Config) flag.Value { return (*stringValue)(&c.CAFile) }},
	{"features", "SCIM_FEATURES", "optional features the target supports, instead of what its /ServiceProviderConfig says: a list of " + strings.Join(Features, ",") + ", or none",
		func(c *Config) flag.Value { return (*stringValue)(&c.Features) }},
	{"accept", "SCIM_ACCEPT", "YAML file of accepted deviations: failures it lists (with a reason, optionally an expiry date) are reported apart and do not fail the run",
		func(c *Config) flag.Value { return (*stringValue)(&c.Accept) }},
	{"give-up-after", "SCIM_GIVE_UP_AFTER", "stop the run once this many requests in a row got no usable answer (no complete response, 5xx, or 429 after every retry); 0: never",
		func(c *Config) flag.Value { return (*intValue)(&c.GiveUpAfter) }},
	{"max-response", "SCIM_MAX_RESPONSE", "most bytes read of one response, e.g. 16MiB; a longer one fails its request",
		func(c *Config) flag.Value { return &c.MaxResponse }},
	{"deadline", "SCIM_DEADLINE", "stop the run when this much time has passed, e.g. 30m; cleanup runs after it within its own budget (under go test, kept below go test's -timeout)",
		func(c *Config) flag.Value { return (*durationValue)(&c.Deadline) }},
}

// Flags holds the registered flags until they are parsed; Resolve turns them
// and the environment into a Config.
type Flags struct {
	fs     *flag.FlagSet
	parsed Config
}

// RegisterFlags registers every option on fs (flag.CommandLine for the test
// binary) with its default value. Defaults are not read from the environment
// here so that -help never prints a token.
func RegisterFlags(fs *flag.FlagSet) *Flags {
	f := &Flags{fs: fs, parsed: DefaultConfig()}
	for _, o := range options {
		fs.Var(o.value(&f.parsed), o.flag, fmt.Sprintf("%s (env %s)", o.usage, o.env))
	}
	return f
}

// Resolve returns the effective configuration once fs has been parsed: a
// flag set on the command line wins, then a non-empty environment variable
// (read through getenv), then the default. Malformed environment values are
// reported, all at once, as configuration errors.
func (f *Flags) Resolve(getenv func(string) string) (Config, error) {
	set := map[string]bool{}
	f.fs.Visit(func(fl *flag.Flag) { set[fl.Name] = true })
	cfg := f.parsed
	var problems []string
	for _, o := range options {
		if set[o.flag] {
			continue
		}
		raw := getenv(o.env)
		if raw == "" {
			continue
		}
		if err := o.value(&cfg).Set(raw); err != nil {
			problems = append(problems, fmt.Sprintf("%s=%q: %v", o.env, redactIf(o.flag, raw), err))
		}
	}
	if len(problems) > 0 {
		return cfg, configError(problems)
	}
	return cfg, nil
}

// redactIf hides the value of secret options in messages.
func redactIf(flagName, v string) string {
	if flagName == "token" || flagName == "auth-header" {
		return "<redacted>"
	}
	return v
}

// Validate checks every option and returns one error listing every problem
// with what to do about it. appExists reports whether an app profile exists
// (it returns an error naming the known profiles otherwise).
func (c Config) Validate(appExists func(name string) error) error {
	var problems []string
	add := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }

	if c.Target != "" {
		if msg := targetProblem(c.Target); msg != "" {
			add("%s", msg)
		} else if c.Token == "" && c.AuthHeader == "" {
			add("-target is set but no credential is: set SCIM_TOKEN (or -token) to the bearer token, or -auth-header \"Name: value\"")
		}
	}
	if c.AuthHeader != "" && c.Target == "" {
		add("-auth-header needs -target: the built-in reference server accepts only a bearer token (-token)")
	}
	if c.AuthHeader != "" {
		name, value, ok := strings.Cut(c.AuthHeader, ":")
		if !ok || strings.TrimSpace(name) == "" || strings.TrimSpace(value) == "" || strings.ContainsAny(name, " \t") {
			add(`-auth-header must look like "Name: value", e.g. "X-API-Key: abc123"`)
		}
	}
	if _, err := Dialects(c.Dialect); err != nil {
		add("%v", err)
	}
	if _, err := ProfileLabelFilter(c.Profile); err != nil {
		add("%v", err)
	}
	if c.App == "" {
		add("-app is empty: give an app profile name such as %q", DefaultApp)
	} else if appExists != nil {
		if err := appExists(c.App); err != nil {
			add("-app %q: %v", c.App, err)
		}
	}
	if c.Timeout <= 0 {
		add("-timeout must be positive, e.g. 30s (got %s)", c.Timeout)
	}
	if c.GiveUpAfter < 0 {
		add("-give-up-after must be 0 (never give up) or more, e.g. 10 (got %d)", c.GiveUpAfter)
	}
	if c.MaxResponse <= 0 {
		add("-max-response must be positive, e.g. 16MiB (got %d)", c.MaxResponse)
	}
	if c.Deadline <= 0 {
		add("-deadline must be positive, e.g. 30m (got %s)", c.Deadline)
	}
	if c.CAFile != "" {
		if c.Target == "" {
			add("-ca-file needs -target: the built-in reference server does not use TLS")
		} else if _, err := os.Stat(c.CAFile); err != nil {
			add("-ca-file %q cannot be read: %v", c.CAFile, err)
		}
	}
	if c.Features != "" {
		if _, err := ParseFeatures(c.Features); err != nil {
			add("%v", err)
		}
	}
	if c.Accept != "" {
		if _, err := LoadBaseline(c.Accept); err != nil {
			add("%v", err)
		}
	}
	if len(problems) > 0 {
		return configError(problems)
	}
	return nil
}

func targetProblem(raw string) string {
	u, err := url.Parse(raw)
	switch {
	case err != nil:
		return fmt.Sprintf("-target %q is not a URL (%v): give the Tenant URL, e.g. https://app.example.com/scim", raw, err)
	case u.Scheme != "http" && u.Scheme != "https":
		return fmt.Sprintf("-target %q must start with https:// (or http:// for a local server), e.g. https://app.example.com/scim", raw)
	case u.Host == "":
		return fmt.Sprintf("-target %q has no host: write it as %s://host/path", raw, u.Scheme)
	case u.Fragment != "":
		return fmt.Sprintf("-target %q has a fragment (#%s): remove it", raw, u.Fragment)
	}
	return ""
}

func configError(problems []string) error {
	return errors.New("invalid configuration (run with -help for every option):\n  - " + strings.Join(problems, "\n  - "))
}

// Dialects expands the -dialect option into the Entra dialects to replay.
func Dialects(option string) ([]string, error) {
	switch option {
	case DialectDefault:
		return []string{DialectDefault}, nil
	case DialectAAD:
		return []string{DialectAAD}, nil
	case DialectBoth:
		return []string{DialectDefault, DialectAAD}, nil
	}
	return nil, fmt.Errorf("-dialect %q is unknown: use %s, %s or %s", option, DialectDefault, DialectAAD, DialectBoth)
}

// DialectLabel is the label carried by Entra specs replaying dialect d.
func DialectLabel(d string) string {
	if d == DialectAAD {
		return LabelDialectAAD
	}
	return LabelDialectDefault
}

// ProfileLabelFilter maps a profile to the Ginkgo label filter that selects
// its specs ("" selects everything).
func ProfileLabelFilter(profile string) (string, error) {
	switch profile {
	case ProfileEntra:
		return LabelSourceEntra, nil
	case ProfileRFC:
		return LabelRFC7643 + " || " + LabelRFC7644, nil
	case ProfileAll:
		return "", nil
	}
	return "", fmt.Errorf("-profile %q is unknown: use %s (what Entra needs), %s (RFC 7643/7644) or %s", profile, ProfileEntra, ProfileRFC, ProfileAll)
}

// LabelFilter combines the profile, the dialect choice and the user's own
// -ginkgo.label-filter into the filter the suite runs with.
func (c Config) LabelFilter(userFilter string) (string, error) {
	profile, err := ProfileLabelFilter(c.Profile)
	if err != nil {
		return "", err
	}
	dialects, err := Dialects(c.Dialect)
	if err != nil {
		return "", err
	}
	var parts []string
	if profile != "" {
		parts = append(parts, profile)
	}
	if len(dialects) == 1 {
		other := LabelDialectAAD
		if dialects[0] == DialectAAD {
			other = LabelDialectDefault
		}
		parts = append(parts, "!"+other)
	}
	if strings.TrimSpace(userFilter) != "" {
		parts = append(parts, userFilter)
	}
	return joinFilters(parts), nil
}

func joinFilters(parts []string) string {
	if len(parts) == 0 {
		return ""
	}
	if len(parts) == 1 {
		return parts[0]
	}
	return "(" + strings.Join(parts, ") && (") + ")"
}

// String prints the effective configuration with every secret redacted.
func (c Config) String() string {
	var b strings.Builder
	line := func(k, v string) { fmt.Fprintf(&b, "  %-11s %s\n", k, v) }
	b.WriteString("scimconform configuration:\n")
	if c.Target == "" {
		line("target", "built-in reference server (in-process)")
	} else {
		line("target", c.Target)
	}
	line("auth", c.authDescription())
	line("app", c.App)
	line("dialect", c.Dialect)
	line("profile", c.Profile)
	if c.ReportDir == "" {
		line("report-dir", "(none)")
	} else {
		line("report-dir", c.ReportDir)
	}
	if c.Keep {
		line("keep", "true: created resources are NOT deleted and residue is not checked")
	} else {
		line("keep", "false")
	}
	line("timeout", c.Timeout.String())
	line("deadline", c.Deadline.String())
	if c.GiveUpAfter == 0 {
		line("give up", "never")
	} else {
		line("give up", fmt.Sprintf("after %d requests in a row with no usable answer", c.GiveUpAfter))
	}
	line("max-response", c.MaxResponse.String())
	line("insecure", strconv.FormatBool(c.Insecure))
	if c.CAFile != "" {
		line("ca-file", c.CAFile)
	}
	if c.Features != "" {
		line("features", c.Features+" (stated with -features: /ServiceProviderConfig is not consulted for them)")
	}
	if c.Accept != "" {
		line("accept", c.Accept+" (accepted failures are reported apart and do not fail the run)")
	}
	return b.String()
}

func (c Config) authDescription() string {
	switch {
	case c.AuthHeader != "":
		name, _, _ := strings.Cut(c.AuthHeader, ":")
		return fmt.Sprintf("header %q: <redacted>", strings.TrimSpace(name))
	case c.Token != "":
		return fmt.Sprintf("bearer token <redacted, %d characters>", len(c.Token))
	case c.Target == "":
		return "bearer token <random, generated for this run>"
	}
	return "(none)"
}

type stringValue string

func (s *stringValue) Set(v string) error { *s = stringValue(strings.TrimSpace(v)); return nil }
func (s *stringValue) String() string     { return string(*s) }

type intValue int

func (i *intValue) Set(v string) error {
	x, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil {
		return fmt.Errorf("not a whole number (use e.g. 10)")
	}
	*i = intValue(x)
	return nil
}
func (i *intValue) String() string { return strconv.Itoa(int(*i)) }

type boolValue bool

func (b *boolValue) Set(v string) error {
	x, err := strconv.ParseBool(v)
	if err != nil {
		return fmt.Errorf("not a boolean (use true or false)")
	}
	*b = boolValue(x)
	return nil
}
func (b *boolValue) String() string   { return strconv.FormatBool(bool(*b)) }
func (b *boolValue) IsBoolFlag() bool { return true }

type durationValue time.Duration

func (d *durationValue) Set(v string) error {
	x, err := time.ParseDuration(v)
	if err != nil {
		return fmt.Errorf("not a duration (use e.g. 30s or 2m)")
	}
	*d = durationValue(x)
	return nil
}
func (d *durationValue) String() string { return time.Duration(*d).String() }

// ClientGiveUpAfter is -give-up-after as scimclient.Config.GiveUpAfter, where
// never giving up is negative rather than 0.
func (c Config) ClientGiveUpAfter() int {
	if c.GiveUpAfter == 0 {
		return -1
	}
	return c.GiveUpAfter
}
