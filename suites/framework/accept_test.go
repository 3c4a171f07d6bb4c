package framework

import (
	"strings"
	"testing"
	"time"
)

func TestParseBaseline(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		yaml    string
		entries int
		want    []string // substrings of the error; none = valid
	}{
		{"spec and label entries", "accept:\n  - spec: A b c\n    reason: known\n    expires: 2026-01-31\n  - label: etag\n    reason: planned\n", 2, nil},
		{"no entries yet", "accept:\n", 0, nil},
		{"an empty list", "accept: []\n", 0, nil},
		{"empty file", "", 0, []string{"the file is empty"}},
		{"comments only", "# nothing\n", 0, []string{"the file is empty"}},
		{"not YAML", "accept: [\n", 0, []string{"not valid YAML"}},
		{"a bare list", "- spec: x\n  reason: y\n", 0, []string{`line 1: the file must be a mapping with the key "accept"`}},
		{"unknown top-level key", "accepted:\n  - spec: x\n    reason: y\n", 0, []string{`line 1: unknown key "accepted"`}},
		{"accept is not a list", "accept: everything\n", 0, []string{`line 1: "accept" must be a list`}},
		{"an entry that is not a mapping", "accept:\n  - just a name\n", 0, []string{"line 2: an entry must be a mapping"}},
		{"a list as a value", "accept:\n  - spec: [a, b]\n    reason: r\n", 0, []string{"line 2: spec must be a single value", "line 2: the entry names no spec"}},
		{"a label expression", "accept:\n  - label: etag || sort\n    reason: r\n", 0, []string{`label "etag || sort" is not a label`}},
		{"a date with a time", "accept:\n  - label: etag\n    reason: r\n    expires: 2026-01-31T10:00:00Z\n", 0, []string{"is not a date: write it as YYYY-MM-DD"}},
		{"the same spec twice", "accept:\n  - spec: A\n    reason: r\n  - spec: A\n    reason: again\n", 0, []string{`line 4: spec "A" is already accepted at line 2`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b, err := ParseBaseline([]byte(tc.yaml))
			if len(tc.want) == 0 {
				if err != nil {
					t.Fatalf("ParseBaseline: %v", err)
				}
				if len(b.Entries) != tc.entries {
					t.Errorf("%d entries, want %d: %+v", len(b.Entries), tc.entries, b.Entries)
				}
				return
			}
			if err == nil {
				t.Fatalf("ParseBaseline accepted:\n%s", tc.yaml)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

func TestLoadBaselineReadsEntries(t *testing.T) {
	t.Parallel()
	b, err := LoadBaseline("testdata/accept-valid.yaml")
	if err != nil {
		t.Fatal(err)
	}
	want := []AcceptEntry{
		{Spec: "Users POST /Users with a valid user returns 201 with the user, its id and meta", Reason: "we answer 200; fix tracked in APP-123",
			Expires: time.Date(2026, 9, 30, 0, 0, 0, 0, time.UTC), Line: 3},
		{Label: "etag", Reason: "ETag support is planned for Q4", Line: 6},
	}
	if b.File != "testdata/accept-valid.yaml" || len(b.Entries) != len(want) {
		t.Fatalf("got %+v", b)
	}
	for i, w := range want {
		if b.Entries[i] != w {
			t.Errorf("entry %d = %+v, want %+v", i, b.Entries[i], w)
		}
	}
}

func TestAcceptEntry(t *testing.T) {
	t.Parallel()
	last := time.Date(2026, 9, 30, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name    string
		entry   AcceptEntry
		spec    string
		labels  []string
		now     time.Time
		matches bool
		expired bool
		expiry  string
	}{
		{"spec by its full name", AcceptEntry{Spec: "A b"}, "A b", nil, last, true, false, ""},
		{"spec by a part of its name", AcceptEntry{Spec: "A"}, "A b", nil, last, false, false, ""},
		{"label", AcceptEntry{Label: "etag"}, "A b", []string{"etag", "must"}, last, true, false, ""},
		{"label missing", AcceptEntry{Label: "etag"}, "A b", []string{"sort"}, last, false, false, ""},
		{"last day, late evening", AcceptEntry{Label: "x", Expires: last}, "", []string{"x"}, last.Add(23*time.Hour + 59*time.Minute), true, false, "expires 2026-09-30"},
		{"the next day", AcceptEntry{Label: "x", Expires: last}, "", []string{"x"}, last.AddDate(0, 0, 1), true, true, "expired 2026-09-30"},
		{"the next day elsewhere on earth", AcceptEntry{Label: "x", Expires: last}, "", []string{"x"}, last.AddDate(0, 0, 1).In(time.FixedZone("UTC-10", -10*3600)), true, true, "expired 2026-09-30"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := tc.entry.Matches(tc.spec, tc.labels); got != tc.matches {
				t.Errorf("Matches = %v, want %v", got, tc.matches)
			}
			if got := tc.entry.ExpiredAt(tc.now); got != tc.expired {
				t.Errorf("ExpiredAt(%v) = %v, want %v", tc.now, got, tc.expired)
			}
			if got := tc.entry.ExpiryText(tc.now); got != tc.expiry {
				t.Errorf("ExpiryText = %q, want %q", got, tc.expiry)
			}
		})
	}
}
