package scimclient

import (
	"errors"
	"net/http"
	"strings"
	"testing"
)

func TestExchangeJSON(t *testing.T) {
	t.Parallel()
	html := http.Header{"Content-Type": {"text/html"}}
	tests := []struct {
		name   string
		x      Exchange
		errHas []string // nil = success
		key    string   // a key the decoded object must hold
	}{
		{"object", Exchange{Status: 200, RespBody: []byte(` {"id":"1","n":2} `)}, nil, "id"},
		{"empty", Exchange{Status: 204}, []string{"empty", "HTTP 204"}, ""},
		{"whitespace only", Exchange{Status: 200, RespBody: []byte(" \n")}, []string{"empty"}, ""},
		{"array", Exchange{Status: 200, RespBody: []byte(`[1]`)}, []string{"JSON array", "expected a JSON object"}, ""},
		{"string", Exchange{Status: 200, RespBody: []byte(`"x"`)}, []string{"JSON string"}, ""},
		{"null", Exchange{Status: 200, RespBody: []byte(`null`)}, []string{"JSON null"}, ""},
		{"html", Exchange{Status: 500, RespHeader: html, RespBody: []byte("<html>" + strings.Repeat("x", 200))},
			[]string{"not JSON", "HTTP 500", `"text/html"`, `"<html>xx`, "…"}, ""},
		{"trailing garbage", Exchange{Status: 200, RespBody: []byte(`{"a":1} {"b":2}`)}, []string{"not JSON"}, ""},
		{"transport error", Exchange{Err: errors.New("connection reset")}, []string{"no response to decode", "connection reset"}, ""},
		{"too large but truncated body kept", Exchange{Status: 200, RespBody: []byte(`{"a":`), Err: errBodyTooLarge{limit: 5}},
			[]string{"not JSON"}, ""},
	}
	for _, tt := range tests {
		obj, err := tt.x.JSON()
		if tt.errHas == nil {
			if err != nil {
				t.Errorf("%s: JSON() error %v", tt.name, err)
			} else if _, ok := obj[tt.key]; !ok {
				t.Errorf("%s: decoded %v lacks %q", tt.name, obj, tt.key)
			}
			continue
		}
		if err == nil {
			t.Errorf("%s: JSON() = %v, want an error", tt.name, obj)
			continue
		}
		for _, want := range tt.errHas {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("%s: error %q lacks %q", tt.name, err, want)
			}
		}
	}
}

func TestStatusLine(t *testing.T) {
	t.Parallel()
	tests := []struct {
		x    Exchange
		want string
	}{
		{Exchange{Status: 404}, "HTTP 404 Not Found"},
		{Exchange{Status: 299}, "HTTP 299"},
		{Exchange{}, "no response"},
		{Exchange{Err: errors.New("boom")}, "no response: boom"},
	}
	for _, tt := range tests {
		if got := tt.x.StatusLine(); got != tt.want {
			t.Errorf("StatusLine() = %q, want %q", got, tt.want)
		}
	}
}

func TestFormatBytes(t *testing.T) {
	t.Parallel()
	tests := map[int64]string{
		0: "0 bytes", 1: "1 byte", 100: "100 bytes", 1024: "1 KiB", 65536: "64 KiB", 1 << 20: "1 MiB",
		16 << 20: "16 MiB", 1<<20 + 1: "1.0 MiB", 3<<20 + 1<<19 + 3: "3.5 MiB", 1500: "1.5 KiB", 1023: "1023 bytes", 5<<20 - 64<<10: "4.9 MiB",
	}
	for n, want := range tests {
		if got := formatBytes(n); got != want {
			t.Errorf("formatBytes(%d) = %q, want %q", n, got, want)
		}
	}
	if got := (errBodyTooLarge{limit: DefaultMaxResponse}).Error(); !strings.HasPrefix(got, "response body exceeds 16 MiB limit") {
		t.Errorf("default limit error = %q", got)
	}
}
