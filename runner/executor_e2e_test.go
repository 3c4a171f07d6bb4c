package runner

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/scimconform/scimconform/refserver"
)

const e2eToken = "e2e-secret-token-5f1c9a"

// newRefTarget starts the reference server and returns a client for it.
func newRefTarget(t *testing.T) *Client {
	t.Helper()
	srv, err := refserver.New(refserver.Options{Token: e2eToken})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	c, err := New(Config{Target: ts.URL, Token: e2eToken, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestShippedSequencesPassAgainstReferenceServer(t *testing.T) {
	t.Parallel()
	seqs, err := LoadSequences("entra")
	if err != nil {
		t.Fatal(err)
	}
	for _, appName := range AppNames() {
		app, err := LoadApp(appName)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range Dialects() {
			for _, s := range seqs {
				t.Run(appName+"/"+string(d)+"/"+s.Name, func(t *testing.T) {
					t.Parallel()
					c := newRefTarget(t)
					tr := NewTracker(c)
					run := &Run{Client: c, App: app, Dialect: d, Tracker: tr}
					ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
					defer cancel()
					res := run.Execute(ctx, s)
					for _, st := range res.Steps {
						if st.Verdict == Fail {
							t.Errorf("%s", st.Report())
						}
					}
					if errs := tr.Cleanup(ctx); len(errs) > 0 {
						t.Errorf("cleanup: %v", errs)
					}
				})
			}
		}
	}
}
