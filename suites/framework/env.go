package framework

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/scimconform/scimconform/runner/mapping"
	"github.com/scimconform/scimconform/runner/scimclient"
	"github.com/scimconform/scimconform/runner/sequence"
)

// Env is everything specs share in one run: built once by the suite entry
// (SetEnv) and copied into each spec's F. Nothing else in the framework holds
// state between specs.
type Env struct {
	Config   Config
	Client   *scimclient.Client
	Target   string
	RunID    string
	App      *mapping.Profile
	Dialects []sequence.Dialect
	// SPC is the target's parsed /ServiceProviderConfig, or the features
	// -features states (FeaturesStated); nil when it could not be read, in
	// which case SPCError says why.
	SPC            *SPC
	SPCError       error
	FeaturesStated bool

	names atomic.Int64 // sequence for F.Name, unique within the process
}

var (
	envMu  sync.RWMutex
	envCur *Env
)

// SetEnv installs the run's environment. The suite entry calls it once,
// before any spec runs.
func SetEnv(e *Env) {
	envMu.Lock()
	defer envMu.Unlock()
	envCur = e
}

// CurrentEnv returns the installed environment, or nil before SetEnv.
func CurrentEnv() *Env {
	envMu.RLock()
	defer envMu.RUnlock()
	return envCur
}

// redactor returns the run's redactor; nil (headers and passwords only)
// before the environment is set.
func redactor() *scimclient.Redactor {
	if e := CurrentEnv(); e != nil && e.Client != nil {
		return e.Client.Redactor()
	}
	return nil
}

// requestBudget bounds one f.Do call, retries included: every attempt is
// bounded by -timeout inside the client, the whole call by twice that.
func (e *Env) requestBudget() time.Duration {
	if e == nil || e.Config.Timeout <= 0 {
		return 2 * DefaultTimeout
	}
	return 2 * e.Config.Timeout
}
