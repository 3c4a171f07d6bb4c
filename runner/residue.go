package runner

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/scimconform/scimconform/runner/scimclient"
)

// The residue check after a run: list each collection for the run prefix
// and delete what cleanup missed. It trusts no filter: every resource a
// listing returns is checked for the prefix here, and a listing holding
// anything else shows a target that did not apply the filter, so nothing
// it listed is deleted. Suites and load mode share it.

// Residue is a user or group that carries the run prefix after the run.
type Residue struct {
	Kind string // "User" or "Group"
	ID   string
	Path string // "/Users/<escaped id>"
}

func (r Residue) String() string { return r.Path }

// Defaults of ResidueLimits.
const (
	DefaultResiduePageSize   = 100
	DefaultResidueMaxPages   = 10
	DefaultResidueMaxDeletes = 1000
)

// ResidueLimits bound one residue pass, whatever the target answers.
type ResidueLimits struct {
	// PageSize is the count asked for per listing and the most resources
	// of one page taken as residue: a target that ignores count may
	// answer thousands. Default DefaultResiduePageSize.
	PageSize int
	// MaxPages bounds the listings per collection. Default DefaultResidueMaxPages.
	MaxPages int
	// MaxDeletes bounds the residue one pass returns for deletion; the
	// rest is counted in ResidueScan.Over. Default DefaultResidueMaxDeletes.
	MaxDeletes int
}

func (l ResidueLimits) withDefaults() ResidueLimits {
	if l.PageSize <= 0 {
		l.PageSize = DefaultResiduePageSize
	}
	if l.MaxPages <= 0 {
		l.MaxPages = DefaultResidueMaxPages
	}
	if l.MaxDeletes <= 0 {
		l.MaxDeletes = DefaultResidueMaxDeletes
	}
	return l
}

// SendFunc sends one request and returns its exchange, or nil when it was
// not sent because ctx ended. Client.Do is one; load mode's adds its rate
// limit and tallies.
type SendFunc func(ctx context.Context, r scimclient.Request) *scimclient.Exchange

// ResidueScan is the outcome of one residue pass.
type ResidueScan struct {
	Prefix string
	// Found carry the prefix, as checked here; groups first (a user may
	// not be deletable while a group holds it), at most MaxDeletes.
	Found []Residue
	// Over counts resources carrying the prefix that are not in Found:
	// over MaxDeletes or PageSize, beyond MaxPages, or without an id.
	Over int
	// Ignored is the evidence, per collection, of a target that did not
	// apply the filter; nothing such a listing returned is in Found.
	Ignored []FilterIgnored
	// Unverified says, per collection, why it could not be searched.
	Unverified []Unverified
}

// Verified reports whether every collection was searched, with the filter
// applied.
func (s ResidueScan) Verified() bool { return len(s.Ignored) == 0 && len(s.Unverified) == 0 }

// Clean reports a verified pass that found nothing.
func (s ResidueScan) Clean() bool { return s.Verified() && len(s.Found) == 0 && s.Over == 0 }

// Left is how many resources carrying the prefix the pass saw.
func (s ResidueScan) Left() int { return len(s.Found) + s.Over }

// Problem is "could not verify: " and every reason, "" for a verified pass.
func (s ResidueScan) Problem() string {
	if s.Verified() {
		return ""
	}
	var reasons []string
	for _, ig := range s.Ignored {
		reasons = append(reasons, ig.String())
	}
	for _, u := range s.Unverified {
		reasons = append(reasons, u.Reason)
	}
	return "could not verify: " + strings.Join(reasons, "; ")
}

// OnlyFilterRefused reports an unverified pass whose only trouble is a
// target refusing the filter (400 or 501): a target without the sw
// operator, not a failing one.
func (s ResidueScan) OnlyFilterRefused() bool {
	if len(s.Ignored) > 0 || len(s.Unverified) == 0 {
		return false
	}
	for _, u := range s.Unverified {
		if !u.FilterRefused {
			return false
		}
	}
	return true
}

// FilterIgnored is evidence that a target did not apply the prefix filter.
type FilterIgnored struct {
	Collection string   // "/Users"
	Filter     string   // `userName sw "scimc-1a2b3c-"`
	Listed     int      // resources on the page that showed it
	Foreign    int      // of those, how many lack the prefix
	IDs        []string // the first few of their ids; never their names, which may be people's
}

// maxEvidenceIDs is how many ids of foreign resources evidence names.
const maxEvidenceIDs = 5

func (f FilterIgnored) String() string {
	ids := strings.Join(f.IDs, ", ")
	if f.Foreign > len(f.IDs) {
		ids += ", …"
	}
	return fmt.Sprintf("GET %s with filter %s returned %d resource(s), %d of them without the run prefix (ids %s): the target did not apply the filter, and none of them was deleted",
		f.Collection, f.Filter, f.Listed, f.Foreign, ids)
}

// Unverified is a collection a pass could not search.
type Unverified struct {
	Collection string
	Reason     string
	// FilterRefused: the target answered 400 or 501, it does not support
	// this filter.
	FilterRefused bool
}

// residueCollection is what a pass lists: groups first.
type residueCollection struct {
	kind, path, attr string
}

// name is the attribute that carries the run prefix in the collection,
// and whether the resource has it.
func (rc residueCollection) name(r *scimclient.Names) (string, bool) {
	if rc.kind == "Group" {
		return r.DisplayName, r.HasDisplayName
	}
	return r.UserName, r.HasUserName
}

// hasPrefixFold is strings.HasPrefix under Unicode case folding.
func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// FindResidue lists the groups whose displayName and the users whose
// userName start with prefix, page by page through send, and checks the
// prefix on every resource returned. It never deletes.
func FindResidue(ctx context.Context, send SendFunc, prefix string, lim ResidueLimits) ResidueScan {
	lim = lim.withDefaults()
	scan := ResidueScan{Prefix: prefix}
	for _, rc := range []residueCollection{{"Group", "/Groups", "displayName"}, {"User", "/Users", "userName"}} {
		l := residueListing{rc: rc, prefix: prefix, lim: lim, seen: map[string]bool{}}
		l.run(ctx, send)
		switch {
		case l.ignored != nil:
			scan.Ignored = append(scan.Ignored, *l.ignored)
		case l.unverified != nil:
			scan.Unverified = append(scan.Unverified, *l.unverified)
		default:
			scan.Found = append(scan.Found, l.found...)
			scan.Over += l.over
		}
	}
	if extra := len(scan.Found) - lim.MaxDeletes; extra > 0 {
		scan.Found, scan.Over = scan.Found[:lim.MaxDeletes], scan.Over+extra
	}
	return scan
}

// residueListing pages through one collection.
type residueListing struct {
	rc     residueCollection
	prefix string
	lim    ResidueLimits
	seen   map[string]bool

	found      []Residue
	over       int
	total      int // totalResults of the last page
	noID       int // resources with the prefix but no id
	ignored    *FilterIgnored
	unverified *Unverified
}

func (l *residueListing) filter() string { return l.rc.attr + " sw " + strconv.Quote(l.prefix) }

func (l *residueListing) run(ctx context.Context, send SendFunc) {
	start := 1
	for page := 0; page < l.lim.MaxPages; page++ {
		q := "filter=" + url.QueryEscape(l.filter()) + "&startIndex=" + strconv.Itoa(start) +
			"&count=" + strconv.Itoa(l.lim.PageSize) + "&attributes=" + l.rc.attr
		x := send(ctx, scimclient.Request{Method: http.MethodGet, Path: l.rc.path, RawQuery: q})
		lp, ok := l.read(ctx, x)
		if !ok || !l.take(lp) {
			return
		}
		start += len(lp.resources)
		if len(lp.resources) == 0 || start > lp.total {
			break
		}
	}
	// What the target says it holds, or what it showed, beyond what is
	// taken: over the page size, past the last page, or without an id.
	l.over = max(l.total, len(l.seen)+l.noID) - len(l.found)
}

// residuePage is the part of a ListResponse the check reads.
type residuePage struct {
	total     int
	resources []scimclient.Names
}

// read returns the page x holds, or records why the collection could not
// be searched.
func (l *residueListing) read(ctx context.Context, x *scimclient.Exchange) (residuePage, bool) {
	var lp residuePage
	what := "GET " + l.rc.path + " with filter " + l.filter()
	fail := func(refused bool, format string, args ...any) (residuePage, bool) {
		l.unverified = &Unverified{Collection: l.rc.path, Reason: what + ": " + fmt.Sprintf(format, args...), FilterRefused: refused}
		return lp, false
	}
	switch {
	case x == nil:
		return fail(false, "not sent: %v", context.Cause(ctx))
	case x.Err != nil:
		return fail(false, "%v", x.Err)
	case x.Status == http.StatusBadRequest || x.Status == http.StatusNotImplemented:
		return fail(true, "answered %s: the target does not support this filter, so leftovers cannot be searched by prefix", x.StatusLine())
	case x.Status != http.StatusOK:
		return fail(false, "answered %s, not 200", x.StatusLine())
	}
	total, present, err := scimclient.ReadList(x.RespBody, func(r *scimclient.Names) { lp.resources = append(lp.resources, *r) })
	switch {
	case err != nil:
		return fail(false, "the answer is not a ListResponse: %v", err)
	case !present:
		return fail(false, "the answer is not a ListResponse: it has no totalResults")
	}
	lp.total, l.total = total, total
	return lp, true
}

// take checks a page and keeps its residue; false once the listing must
// stop because the target did not apply the filter.
func (l *residueListing) take(lp residuePage) bool {
	var foreign []string
	n := 0
	for i := range lp.resources {
		r := &lp.resources[i]
		if name, present := l.rc.name(r); !present || !hasPrefixFold(name, l.prefix) {
			n++
			if len(foreign) < maxEvidenceIDs {
				foreign = append(foreign, strconv.Quote(r.ID))
			}
		}
	}
	if n > 0 {
		l.ignored = &FilterIgnored{Collection: l.rc.path, Filter: l.filter(), Listed: len(lp.resources), Foreign: n, IDs: foreign}
		l.found = nil
		return false
	}
	for i := range lp.resources {
		id := lp.resources[i].ID
		switch {
		case id == "":
			l.noID++
		case !l.seen[id]: // a target that ignores startIndex repeats its page
			l.seen[id] = true
			if i < l.lim.PageSize {
				l.found = append(l.found, Residue{Kind: l.rc.kind, ID: id, Path: l.rc.path + "/" + url.PathEscape(id)})
			}
		}
	}
	return true
}

// DeleteResidue deletes each residue through send; 2xx and 404 count as
// deleted. It returns how many were and an error for each that was not.
func DeleteResidue(ctx context.Context, send SendFunc, rs []Residue) (int, []error) {
	deleted := 0
	var errs []error
	for _, r := range rs {
		x := send(ctx, scimclient.Request{Method: http.MethodDelete, Path: r.Path})
		switch {
		case x == nil:
			errs = append(errs, fmt.Errorf("delete %s %s: not sent: %v", r.Kind, r.Path, context.Cause(ctx)))
		case x.Err != nil:
			errs = append(errs, fmt.Errorf("delete %s %s: %w", r.Kind, r.Path, x.Err))
		case x.Status/100 == 2 || x.Status == http.StatusNotFound:
			deleted++
		default:
			errs = append(errs, fmt.Errorf("delete %s %s: %s", r.Kind, r.Path, x.StatusLine()))
		}
	}
	return deleted, errs
}
