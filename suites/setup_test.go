package suites

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http/httptest"
	"os"
	"strings"
	"time"

	"github.com/onsi/ginkgo/v2"

	"github.com/scimconform/scimconform/refserver"
	"github.com/scimconform/scimconform/runner/mapping"
	"github.com/scimconform/scimconform/runner/scimclient"
	"github.com/scimconform/scimconform/runner/sequence"
	"github.com/scimconform/scimconform/suites/framework"
	"github.com/scimconform/scimconform/suites/report"
)

// suiteState is the suite entry's own state: the configuration, the
// in-process reference server when there is no target, the secrets reports
// must never contain, and the summary printed at the end.
type suiteState struct {
	cfg     framework.Config
	server  *httptest.Server
	secrets []string
	summary *report.Summary
	// labelFilter is the filter the run used: profile, dialect and the
	// user's -ginkgo.label-filter combined.
	labelFilter string
	// baseline is the -accept file, nil without one; now judges its expiry
	// dates, the same for the console and every report.
	baseline *framework.Baseline
	now      time.Time
	// reportErr is set when the reports could not be written: then no
	// baseline can make the run pass.
	reportErr error
	// deadline bounds the specs; deadlineAt is when it passes.
	deadline   runBound
	deadlineAt time.Time
	// aborted is why the run stopped early (the client gave up on the
	// target), "" when it did not.
	aborted string
}

// allFailuresAccepted reports whether the run, failed by Ginkgo, passes
// once the baseline is applied: every failed spec accepted, no suite node
// failed, and the reports written.
func (s *suiteState) allFailuresAccepted() bool {
	return s.baseline != nil && s.summary != nil && s.summary.Succeeded && s.reportErr == nil
}

// reportOptions are what every report of the run is written with.
func (s *suiteState) reportOptions() report.Options {
	return report.Options{Info: s.info(), Secrets: s.secrets, Baseline: s.baseline, Now: s.now}
}

var current *suiteState

// info is the redacted configuration report.html shows.
func (s *suiteState) info() []report.Info {
	target := s.cfg.Target
	if target == "" {
		target = "built-in reference server (in-process)"
	}
	out := []report.Info{{Name: "target", Value: target}}
	if env := framework.CurrentEnv(); env != nil {
		out = append(out, report.Info{Name: "run id", Value: env.RunID})
	}
	filter := s.labelFilter
	if filter == "" {
		filter = "(none: every spec)"
	}
	out = append(out,
		report.Info{Name: "app", Value: s.cfg.App},
		report.Info{Name: "dialect", Value: s.cfg.Dialect},
		report.Info{Name: "profile", Value: s.cfg.Profile},
		report.Info{Name: "label filter", Value: filter},
	)
	if s.cfg.Features != "" {
		out = append(out, report.Info{Name: "features", Value: s.cfg.Features + " (stated with -features)"})
	}
	if s.cfg.Accept != "" {
		out = append(out, report.Info{Name: "accepted deviations", Value: s.cfg.Accept})
	}
	return append(out, report.Info{Name: "scimconform", Value: scimclient.Version})
}

// shared is what process 1 hands every parallel process: where the target
// is, the credential and the run id.
type shared struct {
	Target string `json:"target"`
	Token  string `json:"token"`
	RunID  string `json:"runId"`
}

var _ = ginkgo.SynchronizedBeforeSuite(func() []byte {
	s := shared{Target: current.cfg.Target, Token: current.cfg.Token, RunID: scimclient.NewRunID()}
	if s.Target == "" {
		if s.Token == "" {
			s.Token = randomToken()
		}
		srv, err := refserver.New(refserver.Options{Token: s.Token})
		if err != nil {
			ginkgo.Fail(fmt.Sprintf("start the built-in reference server: %v", err))
		}
		current.server = httptest.NewServer(srv)
		s.Target = current.server.URL
		fmt.Fprintf(ginkgo.GinkgoWriter, "built-in reference server listening on %s\n", s.Target)
	}
	fmt.Printf("run id %s: every resource this run creates is named %s-...\n", s.RunID, s.RunID)
	data, err := json.Marshal(s)
	if err != nil {
		ginkgo.Fail(fmt.Sprintf("share the run setup: %v", err))
	}
	return data
}, func(ctx context.Context, data []byte) {
	var s shared
	if err := json.Unmarshal(data, &s); err != nil {
		ginkgo.Fail(fmt.Sprintf("read the run setup: %v", err))
	}
	env, err := newEnv(ctx, current.cfg, s)
	current.secrets = secrets(current.cfg, s.Token)
	if err != nil {
		ginkgo.Fail(err.Error())
	}
	framework.SetEnv(env)
})

// newEnv builds the environment every spec reads: the client, the app
// profile, the dialects and the target's capabilities. It stops the run
// with one message when the target cannot be reached or rejects the
// credential, instead of failing every spec the same way.
func newEnv(ctx context.Context, cfg framework.Config, s shared) (*framework.Env, error) {
	warn := io.Writer(os.Stderr)
	if ginkgo.GinkgoParallelProcess() != 1 {
		warn = io.Discard // process 1 warns once for the run
	}
	client, err := scimclient.New(scimclient.Config{
		Target: s.Target, Token: s.Token, AuthHeader: cfg.AuthHeader,
		Timeout: cfg.Timeout, Insecure: cfg.Insecure, CAFile: cfg.CAFile, Warn: warn,
		RunID:       s.RunID, // the client refuses to change what the run did not create
		GiveUpAfter: cfg.ClientGiveUpAfter(), MaxResponse: int64(cfg.MaxResponse),
	})
	if err != nil {
		return nil, fmt.Errorf("cannot talk to the target: %w", err)
	}
	app, err := mapping.Load(cfg.App)
	if err != nil {
		return nil, fmt.Errorf("load app profile %q: %w", cfg.App, err)
	}
	names, err := framework.Dialects(cfg.Dialect)
	if err != nil {
		return nil, err
	}
	dialects := make([]sequence.Dialect, 0, len(names))
	for _, n := range names {
		d, err := sequence.ParseDialect(n)
		if err != nil {
			return nil, err
		}
		dialects = append(dialects, d)
	}
	env := &framework.Env{Config: cfg, Client: client, Target: s.Target, RunID: s.RunID, App: app, Dialects: dialects}
	if err := scimclient.Preflight(ctx, client); err != nil {
		return nil, err
	}
	if cfg.Features != "" {
		env.SPC, err = framework.ParseFeatures(cfg.Features)
		env.FeaturesStated = true
		return env, err // Validate accepted the list
	}
	env.SPC, env.SPCError = framework.FetchSPC(ctx, client)
	if env.SPCError != nil && ginkgo.GinkgoParallelProcess() == 1 {
		framework.Notice(noSPCNotice(env.SPCError))
	}
	return env, nil
}

// noSPCNotice is what every report says when the target's
// /ServiceProviderConfig is missing or unusable and no -features stand in
// for it.
func noSPCNotice(err error) string {
	return fmt.Sprintf("The target has no usable /ServiceProviderConfig (%v): nothing says which optional features (%s) it supports, "+
		"so the specs that need one are skipped. Microsoft Entra ID never reads /ServiceProviderConfig and the Entra checks run regardless; "+
		"state what the endpoint supports with -features, e.g. -features patch,filter (SCIM_FEATURES), to run the rest.",
		err, strings.Join(framework.Features, ", "))
}

// secrets are the credentials no report may contain; the redactor
// derives their parts (a Basic password) and encodings.
func secrets(cfg framework.Config, token string) []string {
	_, value, _ := strings.Cut(cfg.AuthHeader, ":")
	return []string{token, strings.TrimSpace(value)}
}

func randomToken() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	return hex.EncodeToString(b)
}
