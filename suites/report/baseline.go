package report

import (
	"slices"
	"time"

	"github.com/scimconform/scimconform/suites/framework"
)

// BaselineOutcome is what an -accept file did in one run.
type BaselineOutcome struct {
	File string
	// Now is when the entries' expiry dates were judged.
	Now time.Time
	// Accepted lists the entries that accepted failures, with the specs.
	Accepted []EntrySpecs
	// Unused lists the entries that accepted nothing, with why: the file
	// can shrink by them.
	Unused []UnusedEntry
	// Expired lists the entries past their expiry date, with the failures
	// they would have accepted that no other entry accepts: those count as
	// failures again.
	Expired []EntrySpecs
}

// EntrySpecs is a baseline entry and the failed specs it matched.
type EntrySpecs struct {
	Entry framework.AcceptEntry
	Specs []string
}

// UnusedEntry is a baseline entry that accepted no failure in the run.
type UnusedEntry struct {
	Entry framework.AcceptEntry
	Why   string
}

// ApplyBaseline marks the failed specs that an active (unexpired) entry
// of b accepts as Accepted, moves them out of the failure counts and the
// Failed list, and records what every entry did. The run succeeds when
// every failure is accepted and no suite-level node failed. now decides
// which entries have expired.
func (s *Summary) ApplyBaseline(b *framework.Baseline, now time.Time) {
	if b == nil {
		return
	}
	out := &BaselineOutcome{File: b.File, Now: now}
	matched := make([][]string, len(b.Entries)) // failed specs matched, per entry
	for ai := range s.Areas {
		a := &s.Areas[ai]
		if a.Name == suiteArea {
			continue
		}
		for si := range a.Specs {
			sp := &a.Specs[si]
			if sp.Verdict != Fail {
				continue
			}
			var active, expired *framework.AcceptEntry
			for ei := range b.Entries {
				e := b.Entries[ei]
				if !e.Matches(sp.Name, sp.Labels) {
					continue
				}
				matched[ei] = append(matched[ei], sp.Name)
				switch {
				case e.ExpiredAt(now) && expired == nil:
					expired = &e
				case !e.ExpiredAt(now) && active == nil:
					active = &e
				}
			}
			switch {
			case active != nil:
				sp.Verdict, sp.AcceptedBy = Accepted, active
				a.Failed--
				a.Accepted++
				s.Total.Failed--
				s.Total.Accepted++
				s.Failed = slices.DeleteFunc(s.Failed, func(n string) bool { return n == sp.Name })
			case expired != nil:
				sp.AcceptedBy = expired
			}
		}
	}
	for ei, e := range b.Entries {
		switch {
		case e.ExpiredAt(now):
			// The failures it named that no other entry accepts.
			stillFailed := slices.DeleteFunc(slices.Clone(matched[ei]), func(n string) bool { return !slices.Contains(s.Failed, n) })
			out.Expired = append(out.Expired, EntrySpecs{Entry: e, Specs: stillFailed})
		case len(matched[ei]) > 0:
			out.Accepted = append(out.Accepted, EntrySpecs{Entry: e, Specs: matched[ei]})
		default:
			out.Unused = append(out.Unused, UnusedEntry{Entry: e, Why: s.unusedBecause(e)})
		}
	}
	s.Baseline = out
	if !s.Succeeded && s.Total.Failed == 0 && len(s.SuiteNotes) == 0 && s.Total.Accepted > 0 {
		s.Succeeded = true
	}
}

// unusedBecause says why an active entry matched no failure.
func (s *Summary) unusedBecause(e framework.AcceptEntry) string {
	var verdicts []string
	for _, a := range s.Areas {
		for _, sp := range a.Specs {
			if e.Matches(sp.Name, sp.Labels) && !slices.Contains(verdicts, sp.Verdict) {
				verdicts = append(verdicts, sp.Verdict)
			}
		}
	}
	switch {
	case len(verdicts) == 0 && e.Spec != "":
		return "no spec of this run has this name: it was not selected (profile, label filter, focus) or it was renamed"
	case len(verdicts) == 0:
		return "no spec of this run carries this label"
	case e.Spec != "" && verdicts[0] == Skip:
		return "the spec was skipped in this run"
	case e.Spec != "":
		return "the spec no longer fails: it " + pastTense(verdicts[0])
	}
	return "no spec with this label failed"
}

func pastTense(verdict string) string {
	switch verdict {
	case Pass:
		return "passed"
	case Warning:
		return "passed with a warning"
	}
	return verdict
}
