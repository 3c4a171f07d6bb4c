package framework

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"

	"github.com/scimconform/scimconform/runner"
)

// Residue is a resource still on the target that carries the run prefix
// after the run: something cleanup missed.
type Residue struct {
	Kind string // "User" or "Group"
	Path string // "/Users/<id>"
	Name string // its userName or displayName
}

func (r Residue) String() string { return fmt.Sprintf("%s (%s)", r.Path, r.Name) }

// residueLimit bounds how many resources the residue check lists.
const residueLimit = 1000

// FindResidue lists the users whose userName and the groups whose
// displayName start with prefix.
func FindResidue(ctx context.Context, c *runner.Client, prefix string) ([]Residue, error) {
	users, err := listPrefixed(ctx, c, "User", "/Users", "userName", prefix)
	if err != nil {
		return nil, err
	}
	groups, err := listPrefixed(ctx, c, "Group", "/Groups", "displayName", prefix)
	if err != nil {
		return nil, err
	}
	return append(users, groups...), nil
}

type listPage struct {
	TotalResults int              `json:"totalResults"`
	Resources    []map[string]any `json:"Resources"`
}

func listPrefixed(ctx context.Context, c *runner.Client, kind, path, attr, prefix string) ([]Residue, error) {
	filter := fmt.Sprintf("%s sw %s", attr, strconv.Quote(prefix))
	var out []Residue
	for start := 1; len(out) < residueLimit; {
		q := url.Values{"filter": {filter}, "startIndex": {strconv.Itoa(start)}, "count": {"100"}}
		x := c.Do(ctx, runner.Request{Method: "GET", Path: path, RawQuery: q.Encode()})
		if x.Err != nil {
			return nil, fmt.Errorf("list %s with filter %s: %w", path, filter, x.Err)
		}
		if x.Status != 200 {
			return nil, fmt.Errorf("list %s with filter %s: HTTP %d, expected 200", path, filter, x.Status)
		}
		var page listPage
		if err := json.Unmarshal(x.RespBody, &page); err != nil {
			return nil, fmt.Errorf("list %s with filter %s: %w", path, filter, err)
		}
		for _, r := range page.Resources {
			id, _ := r["id"].(string)
			name, _ := r[attr].(string)
			if id != "" {
				out = append(out, Residue{Kind: kind, Path: path + "/" + id, Name: name})
			}
		}
		start += len(page.Resources)
		if len(page.Resources) == 0 || start > page.TotalResults {
			break
		}
	}
	return out, nil
}

// DeleteResidue deletes each residue; 404 counts as deleted. It returns
// every failure.
func DeleteResidue(ctx context.Context, c *runner.Client, rs []Residue) []error {
	var errs []error
	for _, r := range rs {
		x := c.Do(ctx, runner.Request{Method: "DELETE", Path: r.Path})
		switch {
		case x.Err != nil:
			errs = append(errs, fmt.Errorf("delete %s: %w", r, x.Err))
		case x.Status != 204 && x.Status != 200 && x.Status != 404:
			errs = append(errs, fmt.Errorf("delete %s: HTTP %d", r, x.Status))
		}
	}
	return errs
}
