package main

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/scimconform/scimconform/refserver"
)

func TestServeVariantList(t *testing.T) {
	t.Parallel()
	var out, errOut bytes.Buffer
	if code := runServe(context.Background(), []string{"-variant", "list"}, &out, &errOut); code != exitOK {
		t.Fatalf("serve -variant list: exit %d, stderr %q", code, errOut.String())
	}
	for _, v := range refserver.VariantCatalog() {
		block := "\n" + v.Name + "\n    does:    " + v.Does + "\n    allowed: " + v.Allows + "\n"
		if !strings.Contains(out.String(), block) {
			t.Errorf("serve -variant list lacks\n%s", block)
		}
	}
}

func TestServeRejectsUnknownVariant(t *testing.T) {
	t.Parallel()
	var out, errOut bytes.Buffer
	code := runServe(context.Background(), []string{"-addr", "127.0.0.1:0", "-token", "t", "-variant", "patch-204,no-such-variant"}, &out, &errOut)
	if code != exitUsage {
		t.Errorf("exit %d, want %d", code, exitUsage)
	}
	if msg := errOut.String(); !strings.Contains(msg, `unknown variant "no-such-variant"`) || !strings.Contains(msg, "patch-204") {
		t.Errorf("stderr %q does not name the unknown variant and the valid ones", msg)
	}
}

func TestServeWithVariant(t *testing.T) {
	t.Parallel()
	base, _, stop := startServe(t, "-addr", "127.0.0.1:0", "-token", "t", "-variant", "spc-public, content-type-charset")
	for _, tc := range []struct {
		path string
		want int
	}{
		{"/ServiceProviderConfig", http.StatusOK}, // spc-public: no token needed
		{"/Users", http.StatusUnauthorized},
	} {
		r := get(t, base+tc.path, "")
		if r.StatusCode != tc.want {
			t.Errorf("GET %s without a token: %d, want %d", tc.path, r.StatusCode, tc.want)
		}
		if ct := r.Header.Get("Content-Type"); ct != "application/scim+json; charset=utf-8" {
			t.Errorf("GET %s: Content-Type %q, want application/scim+json; charset=utf-8", tc.path, ct)
		}
	}
	if c := stop(); c != exitOK {
		t.Errorf("exit code after cancel = %d, want %d", c, exitOK)
	}
}
