package load

import (
	"errors"
	"fmt"
	"io"
	"math"
	"time"

	"github.com/scimconform/scimconform/runner/mapping"
	"github.com/scimconform/scimconform/runner/scimclient"
	"github.com/scimconform/scimconform/runner/sequence"
)

// Defaults and bounds of a load run.
const (
	DefaultDuration        = 10 * time.Minute
	DefaultCleanupTimeout  = 5 * time.Minute
	DefaultMembersPerPatch = 10
	DefaultMaxFailures     = 5
	// MaxConcurrency bounds the workers: each holds a few fixed-size
	// histograms (about 15 KiB each) and one connection.
	MaxConcurrency = 512
	// MaxUsers bounds a run; per-user state is about 110 bytes (two
	// strings, see engine) and up to about 60 in the client's record of
	// the run's own resources, so this is at most about 1.7 GB of ids,
	// and the target must hold that many users anyway.
	MaxUsers = 10_000_000
)

// Config is one load run.
type Config struct {
	Client  *scimclient.Client
	App     *mapping.Profile
	Dialect sequence.Dialect // empty means sequence.DialectDefault
	// RunID prefixes every generated userName, externalId, email and
	// displayName ("scimc-1a2b3c"); the client's run id when it has one,
	// else scimclient.NewRunID. Run uses a client guarding this run id (see
	// scimclient.ErrNotOwned), a copy of Client when Client has none.
	RunID string

	Users           int
	Groups          int
	MembersPerGroup int
	// MembersPerPatch is the most member ids one membership PATCH
	// carries (entra-protocol G5: several ids in one operation's value
	// array; the count is not documented). Default DefaultMembersPerPatch.
	MembersPerPatch int

	Concurrency int     // parallel workers
	Rate        float64 // requests per second over all workers; 0 means unlimited
	// Duration caps the cycles (cleanup has its own CleanupTimeout).
	// Default DefaultDuration.
	Duration time.Duration
	// Deadline, when set, also stops the cycles, at that moment: the
	// command's -deadline, which bounds what came before the cycles too.
	Deadline       time.Time
	CleanupTimeout time.Duration // default DefaultCleanupTimeout
	// InitialOnly runs the initial cycle and cleanup only (benchmarks).
	InitialOnly bool
	// Keep leaves what the run created: users are disabled but not
	// deleted, and nothing is cleaned up.
	Keep bool

	// Progress receives progress lines (nil: none). Terminal draws one
	// updating bar instead of periodic lines.
	Progress         io.Writer
	Terminal         bool
	ProgressInterval time.Duration // default 1s for lines, 200ms for the bar
	// MaxFailures is how many failed requests keep their redacted
	// transcript. Default DefaultMaxFailures.
	MaxFailures int
}

// withDefaults checks c and fills in defaults; the error lists every
// problem.
func (c Config) withDefaults() (Config, error) {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if c.Client == nil {
		bad("no client")
	}
	if c.App == nil {
		bad("no app profile")
	}
	if c.Dialect == "" {
		c.Dialect = sequence.DialectDefault
	}
	if _, err := sequence.ParseDialect(string(c.Dialect)); err != nil {
		bad("%v", err)
	}
	switch {
	case c.Users < 0 || c.Users > MaxUsers:
		bad("users must be between 0 and %d, got %d", MaxUsers, c.Users)
	case c.Groups < 0 || c.Groups > MaxUsers:
		bad("groups must be between 0 and %d, got %d", MaxUsers, c.Groups)
	case c.Users == 0 && c.Groups == 0:
		bad("nothing to do: set users and/or groups")
	}
	if c.MembersPerGroup < 0 || (c.MembersPerGroup > 0 && c.MembersPerGroup > c.Users) {
		bad("members per group must be between 0 and the number of users (%d), got %d", c.Users, c.MembersPerGroup)
	}
	if c.MembersPerPatch == 0 {
		c.MembersPerPatch = DefaultMembersPerPatch
	}
	if c.MembersPerPatch < 1 || c.MembersPerPatch > 100 {
		bad("members per PATCH must be between 1 and 100, got %d", c.MembersPerPatch)
	}
	if c.Concurrency < 1 || c.Concurrency > MaxConcurrency {
		bad("concurrency must be between 1 and %d, got %d", MaxConcurrency, c.Concurrency)
	}
	if c.Rate < 0 || math.IsNaN(c.Rate) || math.IsInf(c.Rate, 0) {
		bad("rate must be a finite number of requests per second, not negative, got %g", c.Rate)
	}
	if c.Duration == 0 {
		c.Duration = DefaultDuration
	}
	if c.CleanupTimeout == 0 {
		c.CleanupTimeout = DefaultCleanupTimeout
	}
	if c.Duration < 0 || c.CleanupTimeout < 0 {
		bad("duration and cleanup timeout must be positive")
	}
	if c.ProgressInterval == 0 {
		c.ProgressInterval = time.Second
		if c.Terminal {
			c.ProgressInterval = 200 * time.Millisecond
		}
	}
	if c.MaxFailures == 0 {
		c.MaxFailures = DefaultMaxFailures
	}
	if err := c.guardClient(); err != nil {
		bad("%v", err)
	}
	return c, errors.Join(errs...)
}

// guardClient settles the run id and makes sure the client guards it, so
// that cleanup and the sweep can only delete what this run created.
func (c *Config) guardClient() error {
	if c.Client == nil {
		return nil
	}
	clientRun := c.Client.Config().RunID
	switch {
	case c.RunID == "" && clientRun != "":
		c.RunID = clientRun
	case c.RunID == "":
		c.RunID = scimclient.NewRunID()
	case clientRun != "" && clientRun != c.RunID:
		return fmt.Errorf("run id %s differs from the client's %s: give the same to both, or a client without one", c.RunID, clientRun)
	}
	if clientRun != "" {
		return nil
	}
	guarded, err := c.Client.WithRunID(c.RunID)
	if err != nil {
		return err
	}
	c.Client = guarded
	return nil
}
