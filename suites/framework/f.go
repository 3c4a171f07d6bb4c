package framework

import (
	"fmt"

	"github.com/onsi/ginkgo/v2"

	"github.com/scimconform/scimconform/runner"
	"github.com/scimconform/scimconform/runner/mapping"
	"github.com/scimconform/scimconform/runner/scimclient"
	"github.com/scimconform/scimconform/runner/sequence"
)

// F is what a spec works with: the client for the target, the run's
// identity and capabilities, and the tracker that deletes what the spec
// creates. Describe fills it before every spec (before the first spec of an
// Ordered container, for the whole container).
type F struct {
	Client   *scimclient.Client
	Target   string
	RunID    string
	App      *mapping.Profile
	Dialects []sequence.Dialect
	// SPC is the target's /ServiceProviderConfig; nil if it could not be
	// read (see Supports and RequireFeature).
	SPC *SPC
	// Tracker deletes, in reverse order, every resource registered through
	// CreateUser, CreateGroup or Track once the spec (or the Ordered
	// container) is over, unless the run keeps resources (-keep).
	Tracker *runner.Tracker
	// Config is the run's configuration (secrets included: never print it
	// except through Config.String).
	Config Config

	env *Env
}

// Describe declares a container of specs that receive an F, like
// ginkgo.Describe. args are Ginkgo decorators (Label, Ordered, ...) followed
// by the body, func(f *F). The F passed to the body is filled from the run's
// environment before each spec; in an Ordered container it is filled once,
// before the first spec, and its tracker is cleaned up after the last one.
func Describe(text string, args ...any) bool {
	body, decorators, err := splitBody(args)
	if err != nil {
		return ginkgo.Describe(text, func() {
			ginkgo.It("is declared correctly", func() { ginkgo.Fail(err.Error()) })
		})
	}
	f := &F{}
	ordered := hasOrdered(decorators)
	container := func() {
		if ordered {
			ginkgo.BeforeAll(func() { f.prepare() })
		} else {
			ginkgo.BeforeEach(func() { f.prepare() })
		}
		// Requests made outside F.Do (a sequence step) stop the run at
		// the latest before the next spec.
		ginkgo.BeforeEach(func() { AbortIfTargetUnusable(f.Client) })
		body(f)
	}
	return ginkgo.Describe(text, append(append([]any{ginkgo.Offset(1)}, decorators...), container)...)
}

func splitBody(args []any) (func(*F), []any, error) {
	if len(args) == 0 {
		return nil, nil, fmt.Errorf("framework.Describe needs a body func(f *framework.F) as its last argument")
	}
	body, ok := args[len(args)-1].(func(*F))
	if !ok {
		return nil, nil, fmt.Errorf("framework.Describe: the last argument must be func(f *framework.F), got %T", args[len(args)-1])
	}
	return body, args[:len(args)-1], nil
}

func hasOrdered(decorators []any) bool {
	for _, d := range decorators {
		if d == ginkgo.Ordered {
			return true
		}
	}
	return false
}

// prepare copies the environment into f, gives it a fresh tracker and
// registers the tracker's cleanup (runs even when the spec fails or the run
// is interrupted).
func (f *F) prepare() {
	env := CurrentEnv()
	if env == nil || env.Client == nil {
		ginkgo.Fail("the suite environment is not set up: run the specs through the scimconform suite (go test ./suites)")
		return
	}
	f.env = env
	f.Client, f.Target, f.RunID, f.App = env.Client, env.Target, env.RunID, env.App
	f.Dialects, f.SPC, f.Config = env.Dialects, env.SPC, env.Config
	f.Tracker = runner.NewTracker(env.Client)
	// NodeTimeout: after an interrupt or the -deadline, Ginkgo would give
	// the cleanup only its grace period.
	ginkgo.DeferCleanup(f.cleanup(f.Tracker), ginkgo.NodeTimeout(CleanupBudget))
}
