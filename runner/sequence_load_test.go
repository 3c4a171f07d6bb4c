package runner

import (
	"strings"
	"testing"
)

func TestShippedSequencesLoad(t *testing.T) {
	t.Parallel()
	seqs, err := LoadSequences("entra")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, s := range seqs {
		names = append(names, s.Name)
	}
	want := "group-lifecycle test-connection user-lifecycle user-match-externalid"
	if got := strings.Join(names, " "); got != want {
		t.Errorf("shipped sequences = %q, want %q", got, want)
	}
}
