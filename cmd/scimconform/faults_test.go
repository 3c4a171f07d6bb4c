package main

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/scimconform/scimconform/refserver"
)

func TestServeFaultList(t *testing.T) {
	t.Parallel()
	var out, errOut bytes.Buffer
	if code := runServe(context.Background(), []string{"-fault", "list"}, &out, &errOut); code != exitOK {
		t.Fatalf("serve -fault list: exit %d, stderr %q", code, errOut.String())
	}
	for _, f := range refserver.FaultCatalog() {
		block := f.Name + "  [" + f.Area + "]\n    does:   " + f.Does + "\n    breaks: " + f.Breaks + "\n"
		if !strings.Contains(out.String(), block) {
			t.Errorf("serve -fault list lacks\n%s", block)
		}
	}
}

func TestServeRejectsUnknownFault(t *testing.T) {
	t.Parallel()
	var out, errOut bytes.Buffer
	code := runServe(context.Background(), []string{"-addr", "127.0.0.1:0", "-token", "t", "-fault", "create-200,no-such-fault"}, &out, &errOut)
	if code != exitUsage {
		t.Errorf("exit %d, want %d", code, exitUsage)
	}
	if msg := errOut.String(); !strings.Contains(msg, `unknown fault "no-such-fault"`) || !strings.Contains(msg, "create-200") {
		t.Errorf("stderr %q does not name the unknown fault and the valid ones", msg)
	}
}

func TestServeWithFault(t *testing.T) {
	t.Parallel()
	base, _, stop := startServe(t, "-addr", "127.0.0.1:0", "-token", "t", "-fault", "no-auth, auth-403")
	if r := get(t, base+"/Users", ""); r.StatusCode != http.StatusOK {
		t.Errorf("GET /Users without a token under no-auth: %d, want 200", r.StatusCode)
	}
	if c := stop(); c != exitOK {
		t.Errorf("exit code after cancel = %d, want %d", c, exitOK)
	}
}
