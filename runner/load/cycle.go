package load

import (
	_ "embed"
	"fmt"
	"strings"

	"github.com/scimconform/scimconform/runner/idp/entra"
	"github.com/scimconform/scimconform/runner/sequence"
)

// The requests of a cycle are the steps of two sequences run through
// runner.Run.Step, one user or group at a time, so every body is derived
// from the app profile and the dialect by the same code as in replay.

//go:embed cycle_users.yaml
var userCycleYAML []byte

// userSteps are the step indexes of the user sequence, in file order.
type userSteps struct {
	query, create, find, patch, disable, get, delete int
}

// cycle is the two sequences, resolved for the run's dialect.
type cycle struct {
	users    *sequence.Sequence
	userStep userSteps
	groups   *sequence.Sequence
	batch    int // most members per PATCH
}

// Step indexes of the group sequence: the lookup, the create, then one
// membership step per batch size 1..batch.
const (
	groupStepQuery  = 0
	groupStepCreate = 1
)

func groupStepBatch(n int) int { return 1 + n }

func newCycle(d sequence.Dialect, batch int) (*cycle, error) {
	users, err := sequence.Parse("load/cycle_users.yaml", userCycleYAML, entra.Funcs())
	if err != nil {
		return nil, fmt.Errorf("load cycle: %w", err)
	}
	c := &cycle{users: users.For(d), batch: batch}
	c.userStep = userSteps{query: 0, create: 1, find: 2, patch: 3, disable: 4, get: 5, delete: 6}
	if n := len(c.users.Steps); n != 7 {
		return nil, fmt.Errorf("load cycle: the user sequence has %d steps, want 7", n)
	}
	groups, err := sequence.Parse("load/group-cycle.yaml", groupCycleYAML(batch), entra.Funcs())
	if err != nil {
		return nil, fmt.Errorf("load cycle: %w", err)
	}
	c.groups = groups.For(d)
	return c, nil
}

// memberVar names the variable holding the i-th member id of a batch.
func memberVar(i int) string { return fmt.Sprintf("m%d", i) }

// groupCycleYAML writes the group sequence. Entra adds members with
// several ids in one operation's value array (entra-protocol G5). The
// argument list of ${app.addMembers} is fixed in the text, so there is one
// step per batch size up to batch: the last batch of a group, or one that
// skips users whose create failed, may be shorter.
func groupCycleYAML(batch int) []byte {
	var b strings.Builder
	b.WriteString(`name: load-group-cycle
description: >-
  One group's initial cycle at scale: lookup by displayName without members (none),
  create, then add members in batches.
labels: [entra, groups, load]
steps:
  - name: initial cycle finds no group by displayName
    rule: >-
      entra-protocol G1: groups are matched with excludedAttributes=members and a
      displayName filter; zero results answer 200 with an empty ListResponse
    method: GET
    path: /Groups
    query: excludedAttributes=members&filter=${app.groupFilter:team}
    expect:
      status: [200]
      body: {totalResults: 0}

  - name: initial cycle creates the group without members
    rule: >-
      entra-protocol G2: POST /Groups with no members answers 201 with the group's id
    method: POST
    path: /Groups
    body: ${app.createGroup:team}
    expect:
      status: [201]
      capture: {groupId: /id}
`)
	for n := 1; n <= batch; n++ {
		vars := make([]string, n)
		for i := range vars {
			vars[i] = memberVar(i)
		}
		fmt.Fprintf(&b, `
  - name: initial cycle adds %d member(s) in one operation
    rule: >-
      entra-protocol G5: members arrive by PATCH, several target ids in one
      operation's value array, answered 204 (or 200)
    method: PATCH
    path: /Groups/${groupId}
    body: ${app.addMembers:%s}
    expect:
      status: [204, 200]
`, n, strings.Join(vars, ","))
	}
	return []byte(b.String())
}
