package framework

import (
	"flag"
	"io"
	"testing"
)

// Whatever the environment holds, Resolve and Validate answer with a
// configuration or an error, never a panic, and a valid result always maps
// to a label filter.
func FuzzResolveEnv(f *testing.F) {
	f.Add("https://app.example.com/scim", "true", "30s", "both", "all")
	f.Add("ftp://x", "maybe", "-1s", "aad", "okta")
	f.Add("", "", "", "", "")
	f.Fuzz(func(t *testing.T, target, keep, timeout, dialect, profile string) {
		env := map[string]string{"SCIM_TARGET": target, "SCIM_TOKEN": "t", "SCIM_KEEP": keep,
			"SCIM_TIMEOUT": timeout, "SCIM_DIALECT": dialect, "SCIM_PROFILE": profile}
		fs := flag.NewFlagSet("fuzz", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		flags := RegisterFlags(fs)
		if err := fs.Parse(nil); err != nil {
			t.Fatal(err)
		}
		cfg, err := flags.Resolve(func(k string) string { return env[k] })
		if err != nil {
			return
		}
		if cfg.Validate(func(string) error { return nil }) != nil {
			return
		}
		if _, err := cfg.LabelFilter(""); err != nil {
			t.Fatalf("a valid configuration %+v has no label filter: %v", cfg, err)
		}
	})
}

// Whatever the environment says about the run's bounds, Resolve and
// Validate answer without a panic, and a valid configuration has a bound
// on everything: a positive deadline and response size, and a give-up
// count the client reads as a count or as never.
func FuzzResolveBounds(f *testing.F) {
	f.Add("10", "16MiB", "30m")
	f.Add("0", "1", "1ns")
	f.Add("-3", "0", "-1m")
	f.Add("99999999999999999999", "8 GiB", "1e9h")
	f.Fuzz(func(t *testing.T, giveUp, maxResponse, deadline string) {
		env := map[string]string{"SCIM_GIVE_UP_AFTER": giveUp, "SCIM_MAX_RESPONSE": maxResponse, "SCIM_DEADLINE": deadline}
		fs := flag.NewFlagSet("fuzz", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		flags := RegisterFlags(fs)
		if err := fs.Parse(nil); err != nil {
			t.Fatal(err)
		}
		cfg, err := flags.Resolve(func(k string) string { return env[k] })
		if err != nil || cfg.Validate(func(string) error { return nil }) != nil {
			return
		}
		if cfg.Deadline <= 0 || cfg.MaxResponse <= 0 || cfg.GiveUpAfter < 0 || cfg.ClientGiveUpAfter() == 0 {
			t.Fatalf("a valid configuration is unbounded: %+v", cfg)
		}
	})
}
