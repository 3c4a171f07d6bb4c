package runner

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/scimconform/scimconform/runner/scimclient"
	"github.com/scimconform/scimconform/runner/sequence"
)

// RecordFailures keeps the redacted exchange of failing steps only; every
// step still reports its duration, and what is kept never holds the token.
func TestRecordPolicy(t *testing.T) {
	t.Parallel()
	// The lookup passes; the create is refused with a body and a header
	// that echo the credential.
	c := stubClient(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			w.Header().Set("X-Echo", r.Header.Get("Authorization"))
			scimJSON(w, http.StatusConflict, `{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"409","detail":"`+r.Header.Get("Authorization")+`"}`)
			return
		}
		scimJSON(w, http.StatusOK, `{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"totalResults":0,"Resources":[]}`)
	}, scimclient.Config{})
	seq := mustSequence(t, benchCycle)
	cases := []struct {
		policy      RecordPolicy
		wantRecords []int // per step
	}{
		{RecordAll, []int{1, 1}},
		{RecordFailures, []int{0, 1}},
	}
	for _, tc := range cases {
		run := &Run{Client: c, App: insite(t), Records: tc.policy}
		vars := sequence.Vars{}
		for i, wantVerdict := range []Verdict{Pass, Fail} {
			res := run.Step(context.Background(), seq, i, vars)
			if res.Verdict != wantVerdict {
				t.Fatalf("policy %d step %d: verdict %s, want %s: %s", tc.policy, i, res.Verdict, wantVerdict, res.Report())
			}
			if len(res.Records) != tc.wantRecords[i] {
				t.Errorf("policy %d step %d: %d records, want %d", tc.policy, i, len(res.Records), tc.wantRecords[i])
			}
			if res.Duration <= 0 {
				t.Errorf("policy %d step %d: duration %v, want the request's", tc.policy, i, res.Duration)
			}
			out, err := json.Marshal(res)
			if err != nil {
				t.Fatal(err)
			}
			if text := string(out) + res.Report(); strings.Contains(text, execToken) {
				t.Errorf("policy %d step %d: the result holds the token:\n%s", tc.policy, i, text)
			}
			if i == 1 && (len(res.Records) == 0 || res.Records[0].Status != http.StatusConflict ||
				!strings.Contains(res.Records[0].RespBody, scimclient.Redacted)) {
				t.Errorf("policy %d: the failing step should keep its redacted 409: %+v", tc.policy, res.Records)
			}
		}
	}
}
