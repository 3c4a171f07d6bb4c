package load

import (
	"bytes"
	"context"
	"testing"
)

func TestRunCleanAgainstReferenceServer(t *testing.T) {
	t.Parallel()
	target := refTarget(t, nil)
	var progress bytes.Buffer
	s, err := Run(context.Background(), Config{Client: testClient(t, target), App: testApp(t),
		Users: 300, Groups: 7, MembersPerGroup: 23, Concurrency: 8, Progress: &progress})
	if err != nil {
		t.Fatal(err)
	}
	var table bytes.Buffer
	if err := s.WriteTable(&table); err != nil {
		t.Fatal(err)
	}
	t.Log(table.String())
	if !s.OK() {
		t.Fatalf("run not clean:\n%s", table.String())
	}
	if u, g := countPrefix(t, target, s.RunPrefix); u != 0 || g != 0 {
		t.Errorf("left on the target: %d users, %d groups", u, g)
	}
}
