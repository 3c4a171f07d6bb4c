package framework

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/scimconform/scimconform/refserver"
	"github.com/scimconform/scimconform/runner"
)

func residueTarget(t *testing.T, h http.Handler) *runner.Client {
	t.Helper()
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	c, err := runner.New(runner.Config{Target: ts.URL, Token: "residue-token", Retry: runner.RetryPolicy{Disabled: true}})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestFindAndDeleteResidue(t *testing.T) {
	t.Parallel()
	srv, err := refserver.New(refserver.Options{Token: "residue-token", MaxResults: 2})
	if err != nil {
		t.Fatal(err)
	}
	c := residueTarget(t, srv)
	ctx := context.Background()
	post := func(path, body string) {
		t.Helper()
		x := c.Do(ctx, runner.Request{Method: "POST", Path: path, Body: []byte(body)})
		if x.Status != 201 {
			t.Fatalf("POST %s: %d %s", path, x.Status, x.RespBody)
		}
	}
	for i := range 3 { // more than one page of 2
		post("/Users", fmt.Sprintf(`{"schemas":[%q],"userName":"scimc-aaaaaa-user-%d@example.com"}`, UserSchema, i))
	}
	post("/Users", fmt.Sprintf(`{"schemas":[%q],"userName":"someone-else@example.com"}`, UserSchema))
	post("/Groups", fmt.Sprintf(`{"schemas":[%q],"displayName":"scimc-aaaaaa-group-1"}`, GroupSchema))
	post("/Groups", fmt.Sprintf(`{"schemas":[%q],"displayName":"scimc-bbbbbb-group-1"}`, GroupSchema))

	found, err := FindResidue(ctx, c, "scimc-aaaaaa")
	if err != nil {
		t.Fatalf("FindResidue: %v", err)
	}
	var names []string
	for _, r := range found {
		names = append(names, r.Kind+":"+r.Name)
		if !strings.HasPrefix(r.Path, "/"+r.Kind+"s/") {
			t.Errorf("residue %v has a path outside /%ss", r, r.Kind)
		}
	}
	slices.Sort(names)
	want := []string{"Group:scimc-aaaaaa-group-1", "User:scimc-aaaaaa-user-0@example.com", "User:scimc-aaaaaa-user-1@example.com", "User:scimc-aaaaaa-user-2@example.com"}
	if !slices.Equal(names, want) {
		t.Fatalf("FindResidue = %q, want %q", names, want)
	}
	if errs := DeleteResidue(ctx, c, append(found, Residue{Kind: "User", Path: "/Users/gone"})); len(errs) != 0 {
		t.Fatalf("DeleteResidue: %v (404 must count as deleted)", errs)
	}
	again, err := FindResidue(ctx, c, "scimc-aaaaaa")
	if err != nil || len(again) != 0 {
		t.Fatalf("after DeleteResidue: %v, %v", again, err)
	}
	others, err := FindResidue(ctx, c, "scimc-bbbbbb")
	if err != nil || len(others) != 1 {
		t.Errorf("another run's resources: %v, %v; want the one group untouched", others, err)
	}
}

func TestFindResidueReportsTargetErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		handler http.HandlerFunc
		want    string
	}{
		{"filter unsupported", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusBadRequest) }, "HTTP 400, expected 200"},
		{"not JSON", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "<html>") }, "list /Users"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := residueTarget(t, tc.handler)
			_, err := FindResidue(context.Background(), c, "scimc-cccccc")
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("FindResidue error = %v, want it to mention %q", err, tc.want)
			}
		})
	}
}

func TestDeleteResidueReportsEveryFailure(t *testing.T) {
	t.Parallel()
	c := residueTarget(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusForbidden) }))
	errs := DeleteResidue(context.Background(), c, []Residue{{Kind: "User", Path: "/Users/1", Name: "a"}, {Kind: "Group", Path: "/Groups/2", Name: "b"}})
	if len(errs) != 2 || !strings.Contains(errs[0].Error(), "/Users/1 (a): HTTP 403") {
		t.Errorf("DeleteResidue errors = %v", errs)
	}
}
