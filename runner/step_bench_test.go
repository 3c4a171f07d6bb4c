package runner

import (
	"context"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/scimconform/scimconform/runner/idp/entra"
	"github.com/scimconform/scimconform/runner/mapping"
	"github.com/scimconform/scimconform/runner/scimclient"
	"github.com/scimconform/scimconform/runner/sequence"
)

// benchCycle is the initial provisioning cycle of one user as load mode
// sends it: the lookup by the matching attribute, then the create.
const benchCycle = `name: bench-cycle
description: one user's initial cycle
variables:
  match: ${app.match:main}
steps:
  - name: finds no user
    rule: bench
    method: GET
    path: /Users
    query: filter=${app.filterValue:match}
    expect:
      status: [200]
      body: {totalResults: 0}
  - name: creates the user
    rule: bench
    method: POST
    path: /Users
    body: ${app.createUser:main}
    expect:
      status: [201]
      capture: {userId: /id}
`

// fixedTarget answers the cycle with fixed bodies, doing no work, so the
// benchmarks measure the runner and loopback only.
func fixedTarget(b *testing.B) string {
	b.Helper()
	list := []byte(`{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"totalResults":0,"Resources":[],"startIndex":1,"itemsPerPage":0}`)
	user := []byte(`{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"8c601452cc934a9ebef9","userName":"fixed","active":true,"emails":[{"value":"a@example.com","type":"work","primary":true}],"meta":{"resourceType":"User","location":"/Users/8c601452cc934a9ebef9","version":"W/\"1\""}}`)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", scimclient.ScimContentType)
		if r.Method == http.MethodPost {
			w.WriteHeader(http.StatusCreated)
			_, _ = w.Write(user)
			return
		}
		_, _ = w.Write(list)
	}))
	b.Cleanup(srv.Close)
	return srv.URL
}

func benchRun(b *testing.B, target string) (*Run, *sequence.Sequence) {
	b.Helper()
	app, err := mapping.Load("entra-default")
	if err != nil {
		b.Fatal(err)
	}
	seq, err := sequence.Parse("bench.yaml", []byte(benchCycle), entra.Funcs())
	if err != nil {
		b.Fatal(err)
	}
	// As load mode runs it: exchanges kept for failing steps only.
	run := &Run{App: app, Random: rand.NewChaCha8([32]byte{7}), Records: RecordFailures}
	if target != "" {
		if run.Client, err = scimclient.New(scimclient.Config{Target: target, Token: "bench-token", Warn: io.Discard}); err != nil {
			b.Fatal(err)
		}
	}
	return run, seq.For(run.dialect())
}

// BenchmarkStepInitialCycle runs the lookup and the create of one user
// per iteration through Run.Step, as load mode does, over loopback.
func BenchmarkStepInitialCycle(b *testing.B) {
	run, seq := benchRun(b, fixedTarget(b))
	ctx := context.Background()
	vars := sequence.Vars{}
	i := 0
	for b.Loop() {
		i++
		run.RunID = "scimc-bench-u" + strconv.Itoa(i)
		clear(vars)
		for step := range 2 {
			if res := run.Step(ctx, seq, step, vars); res.Verdict != Pass {
				b.Fatalf("step %d: %s", step, res.Report())
			}
		}
	}
}

// BenchmarkStepBuild builds the two requests of one user's initial cycle
// without sending them: templates, derived bodies and JSON encoding.
func BenchmarkStepBuild(b *testing.B) {
	run, seq := benchRun(b, "")
	vars := sequence.Vars{}
	i := 0
	for b.Loop() {
		i++
		run.RunID = "scimc-bench-u" + strconv.Itoa(i)
		clear(vars)
		rd, err := run.renderer(seq, vars)
		if err != nil {
			b.Fatal(err)
		}
		for _, st := range seq.Steps {
			if _, _, err := rd.request(st); err != nil {
				b.Fatal(err)
			}
		}
		rd.Commit()
	}
}

// BenchmarkStepCheck judges a create's 201 response, a user as the
// reference server returns it, and captures its id.
func BenchmarkStepCheck(b *testing.B) {
	body := []byte(`{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],` +
		`"id":"0c8d1e5b7a2f4e3c9b1a6d4f","externalId":"scimc-1a2b3c-u1-main-6cff","userName":"scimc-1a2b3c-u1-main-6ae6@example.com","active":true,` +
		`"addresses":[{"formatted":"Building 7/4621","type":"other"},{"postalCode":"37286","streetAddress":"9975 Main Street","type":"work"}],` +
		`"displayName":"scimc-1a2b3c-u1-Main 783f","emails":[{"primary":true,"type":"work","value":"scimc-1a2b3c-u1-main.a48e@mail.example.com"}],` +
		`"meta":{"resourceType":"User","created":"2026-11-27T02:10:14.123Z","lastModified":"2026-11-27T02:10:14.123Z","location":"http://127.0.0.1:40000/Users/0c8d1e5b7a2f4e3c9b1a6d4f","version":"W/\"1\""},` +
		`"name":{"familyName":"Ó Briain","formatted":"Łukasz Ó Briain","givenName":"Łukasz"},` +
		`"phoneNumbers":[{"type":"fax","value":"+1 425 555 3390"},{"type":"mobile","value":"+1 425 555 5656"},{"type":"work","value":"+1 425 555 9045"}],` +
		`"title":"Product Manager","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"employeeNumber":"12345678901"}}`)
	x := &scimclient.Exchange{Method: http.MethodPost, URL: "http://127.0.0.1/Users", Status: http.StatusCreated,
		RespHeader: http.Header{"Content-Type": {scimclient.ScimContentType}}, RespBody: body}
	exp := &renderedExpect{Expect: sequence.Expect{Status: []int{201}, Capture: map[string]string{"userId": "/id"}}}
	for b.Loop() {
		if c := check(x, exp); len(c.violations) > 0 || c.captures["userId"] == "" {
			b.Fatalf("check: %+v", c)
		}
	}
}
