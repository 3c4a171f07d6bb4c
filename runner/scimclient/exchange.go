package scimclient

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"
	"unicode/utf8"
)

// Exchange is one request and its response exactly as sent and received.
// It is NOT redacted: checks read it; transcripts hold Redactor.Exchange copies.
type Exchange struct {
	Method    string
	URL       string
	ReqHeader http.Header
	ReqBody   []byte

	Status     int // 0 when no response arrived
	RespHeader http.Header
	RespBody   []byte

	// Duration is the wall time of the whole Do call, retry waits included.
	Duration time.Duration
	// Waited is the part of Duration spent waiting between attempts.
	Waited time.Duration
	// Attempts counts the requests sent, the first included.
	Attempts int
	// Err is set when no complete response arrived after the last attempt:
	// a timeout, a reset connection, a body over the size limit (Status and
	// the truncated body are then kept), or an invalid request.
	Err error
}

// JSON decodes the response body as a JSON object. The error says why the
// body is not one, quoting its start, so a failure message needs nothing else.
func (x *Exchange) JSON() (map[string]any, error) {
	if x.Err != nil && x.Status == 0 {
		return nil, fmt.Errorf("no response to decode: %w", x.Err)
	}
	body := bytes.TrimSpace(x.RespBody)
	if len(body) == 0 {
		return nil, fmt.Errorf("response body is empty (HTTP %d), expected a JSON object", x.Status)
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return nil, fmt.Errorf("response body is not JSON (HTTP %d, Content-Type %q, body starts %s): %w",
			x.Status, x.RespHeader.Get("Content-Type"), quoteStart(body, 80), err)
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("response body is a JSON %s, expected a JSON object (HTTP %d)", jsonKind(v), x.Status)
	}
	return obj, nil
}

// StatusLine renders "HTTP 404 Not Found", or "no response" with the error.
func (x *Exchange) StatusLine() string {
	return statusLine(x.Status, x.Err)
}

func statusLine(status int, err error) string {
	if status == 0 {
		if err != nil {
			return "no response: " + err.Error()
		}
		return "no response"
	}
	line := "HTTP " + strconv.Itoa(status)
	if text := http.StatusText(status); text != "" {
		line += " " + text
	}
	return line
}

func jsonKind(v any) string {
	switch v.(type) {
	case []any:
		return "array"
	case string:
		return "string"
	case float64:
		return "number"
	case bool:
		return "boolean"
	case nil:
		return "null"
	default:
		return fmt.Sprintf("%T", v)
	}
}

// quoteStart quotes at most n bytes of b (cut on a rune boundary).
func quoteStart(b []byte, n int) string {
	if len(b) <= n {
		return strconv.Quote(string(b))
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(b[cut]) {
		cut--
	}
	return strconv.Quote(string(b[:cut])) + "…"
}

// errBodyTooLarge reports a response body over Config.MaxResponse.
type errBodyTooLarge struct{ limit int64 }

func (e errBodyTooLarge) Error() string {
	return "response body exceeds " + formatBytes(e.limit) + " limit (raise -max-response to read more)"
}

// ErrBodyTooLarge matches, with errors.Is, an Exchange.Err for a response
// body over Config.MaxResponse.
var ErrBodyTooLarge = errors.New("response body exceeds limit")

func (e errBodyTooLarge) Is(target error) bool { return target == ErrBodyTooLarge }

// formatBytes renders n as "16 MiB", "4.9 MiB", "512 KiB", "1.5 KiB" or
// "100 bytes".
func formatBytes(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return strconv.FormatInt(n>>20, 10) + " MiB"
	case n >= 1<<20:
		return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + " MiB"
	case n >= 1<<10 && n%(1<<10) == 0:
		return strconv.FormatInt(n>>10, 10) + " KiB"
	case n >= 1<<10:
		return strconv.FormatFloat(float64(n)/(1<<10), 'f', 1, 64) + " KiB"
	case n == 1:
		return "1 byte"
	default:
		return strconv.FormatInt(n, 10) + " bytes"
	}
}
