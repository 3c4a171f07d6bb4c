package scimclient

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestPreflight(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		handler http.HandlerFunc
		cfg     Config
		says    []string // nil: the preflight passes
	}{
		{"JSON ServiceProviderConfig", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", ScimContentType)
			io.WriteString(w, `{"patch":{"supported":true}}`)
		}, Config{}, nil},
		{"no ServiceProviderConfig (404): Entra never asks for it", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusNotFound)
			io.WriteString(w, "<html>not found</html>")
		}, Config{}, nil},
		{"501 Not Implemented", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusNotImplemented)
		}, Config{}, nil},
		{"stall after the headers", stallAfterHeaders, Config{Timeout: 500 * time.Millisecond},
			[]string{"answered GET /ServiceProviderConfig with HTTP 200 OK but did not complete the response", "timed out", "-timeout (now 500ms)"}},
		{"drip past the timeout", drip, Config{Timeout: 500 * time.Millisecond},
			[]string{"did not complete the response", "no complete response within 500ms"}},
		{"connection reset", resetConnection, Config{},
			[]string{"cannot reach the target", "-target (SCIM_TARGET)"}},
		{"HTML 500", htmlError, Config{},
			[]string{"the target failed: GET /ServiceProviderConfig answered HTTP 500 Internal Server Error after 1 attempt(s)", `Content-Type "text/html"`, `"<html><body>`}},
		{"503 after every retry", unavailable, Config{},
			[]string{"answered HTTP 503 Service Unavailable after 4 attempt(s)"}},
		{"429 to everything", tooManyRequests, Config{},
			[]string{"rate-limiting", "HTTP 429 Too Many Requests after 4 attempt(s) (last Retry-After: 0)"}},
		{"credential refused", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusUnauthorized)
		}, Config{}, []string{"the target refused the credential (GET /ServiceProviderConfig answered HTTP 401)", "-token (SCIM_TOKEN)"}},
		{"a web page instead of SCIM", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			io.WriteString(w, "<!doctype html><title>Sign in</title>")
		}, Config{}, []string{"not JSON", "-target is likely not the SCIM base URL"}},
		{"answer over the size limit", func(w http.ResponseWriter, r *http.Request) {
			io.WriteString(w, `{"x":"`+strings.Repeat("a", 4096)+`"}`)
		}, Config{MaxResponse: 1024}, []string{"too large", "raise -max-response"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newTarget(t, tt.handler)
			cfg := tt.cfg
			cfg.Retry.MaxWait = 50 * time.Millisecond
			c := newTestClient(t, srv, cfg)
			ctx, cancel := context.WithTimeout(context.Background(), testBound)
			defer cancel()
			err := Preflight(ctx, c)
			if tt.says == nil {
				if err != nil {
					t.Fatalf("Preflight = %v, want it to pass", err)
				}
				return
			}
			if err == nil {
				t.Fatal("Preflight passed, want it to fail")
			}
			for _, want := range tt.says {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("Preflight error %q lacks %q", err, want)
				}
			}
		})
	}
}

func TestPreflightRedactsTheCredential(t *testing.T) {
	t.Parallel()
	srv := newTarget(t, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusInternalServerError)
		io.WriteString(w, "bad token "+r.Header.Get("Authorization"))
	})
	c := newTestClient(t, srv, Config{Token: "tk-preflight-9"})
	err := Preflight(context.Background(), c)
	if err == nil || strings.Contains(err.Error(), "tk-preflight-9") || !strings.Contains(err.Error(), Redacted) {
		t.Errorf("Preflight error %v: want it to quote the body with the token redacted", err)
	}
}
