package scimclient

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
)

func TestRecordString(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		rec  Record
		want string
	}{
		{
			name: "full exchange",
			rec: Record{
				Method: "POST", URL: "https://h/scim/Users",
				ReqHeader: map[string][]string{"Content-Type": {"application/scim+json"}, "Authorization": {Redacted}},
				ReqBody:   `{"userName":"a"}`,
				Status:    201, RespHeader: map[string][]string{"Location": {"https://h/scim/Users/1"}},
				RespBody:   "{\"id\":\"1\"}\n",
				DurationMS: 12.34, Attempts: 1,
			},
			want: "> POST https://h/scim/Users\n" +
				"> Authorization: [REDACTED]\n" +
				"> Content-Type: application/scim+json\n" +
				"{\"userName\":\"a\"}\n" +
				"< HTTP 201 Created\n" +
				"< Location: https://h/scim/Users/1\n" +
				"{\"id\":\"1\"}\n" +
				"(12.3 ms)",
		},
		{
			name: "retried, then failed",
			rec:  Record{Method: "GET", URL: "https://h/x", Attempts: 3, DurationMS: 2000, WaitedMS: 1500, Error: "GET https://h/x: timed out"},
			want: "> GET https://h/x\n< no response\n(2000.0 ms, 3 attempts, 1500.0 ms waiting to retry)\nerror: GET https://h/x: timed out",
		},
	}
	for _, tt := range tests {
		if got := tt.rec.String(); got != tt.want {
			t.Errorf("%s:\n got %q\nwant %q", tt.name, got, tt.want)
		}
	}
}

func TestTranscriptConcurrentAppend(t *testing.T) {
	t.Parallel()
	var tr Transcript
	if tr.Len() != 0 || len(tr.Records()) != 0 || tr.String() != "" {
		t.Fatal("zero Transcript is not empty")
	}
	const writers, each = 8, 50
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				tr.Add(Record{Method: "GET", URL: fmt.Sprintf("/w%d/%d", w, i)})
				_ = tr.Len()
			}
		}()
	}
	wg.Wait()
	recs := tr.Records()
	if len(recs) != writers*each {
		t.Fatalf("len = %d, want %d", len(recs), writers*each)
	}
	// Records per writer keep their order.
	last := map[string]int{}
	for _, r := range recs {
		var w, i int
		if _, err := fmt.Sscanf(r.URL, "/w%d/%d", &w, &i); err != nil {
			t.Fatal(err)
		}
		key := fmt.Sprint(w)
		if prev, ok := last[key]; ok && i != prev+1 {
			t.Fatalf("writer %d: record %d after %d", w, i, prev)
		}
		last[key] = i
	}
	// The copy is the caller's.
	recs[0].URL = "changed"
	if tr.Records()[0].URL == "changed" {
		t.Error("Records returned the internal slice")
	}
	if got := strings.Count(tr.String(), "> GET"); got != writers*each {
		t.Errorf("String renders %d records", got)
	}
}

func TestRecordJSONRoundTrip(t *testing.T) {
	t.Parallel()
	in := Record{Method: "GET", URL: "u", ReqHeader: map[string][]string{"A": {"b"}}, Status: 200, RespBody: "x", DurationMS: 1.5, Attempts: 1, Truncated: true}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	var out Record
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	if out.String() != in.String() || !out.Truncated {
		t.Errorf("round trip changed the record: %s", b)
	}
	for _, key := range []string{`"method"`, `"url"`, `"requestHeaders"`, `"status"`, `"responseBody"`, `"durationMs"`, `"attempts"`, `"truncated"`} {
		if !strings.Contains(string(b), key) {
			t.Errorf("JSON %s lacks %s", b, key)
		}
	}
}
