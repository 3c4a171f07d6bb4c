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
