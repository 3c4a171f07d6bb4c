package framework

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/scimconform/scimconform/runner/scimclient"
)

// maxBodyInMessage is how much of each body a failure message shows; the
// full redacted transcript is in the reports.
const maxBodyInMessage = 2048

// describeExchange renders an exchange for a failure message, redacted:
// method, URL, status, content type, then the request and response bodies,
// long ones cut to their head and tail with their full size stated.
func describeExchange(x *scimclient.Exchange) string {
	rec := redactor().Exchange(x)
	return DescribeRecord(rec)
}

// DescribeRecord renders a redacted record for a failure message.
func DescribeRecord(rec scimclient.Record) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s\n", rec.Method, rec.URL)
	if rec.Status == 0 {
		fmt.Fprintf(&b, "status: no response (%s)\n", rec.Error)
	} else {
		ct := http.Header(rec.RespHeader).Get("Content-Type")
		fmt.Fprintf(&b, "status: %d %s, Content-Type: %q\n", rec.Status, http.StatusText(rec.Status), ct)
	}
	if rec.ReqBody != "" {
		b.WriteString("request body:\n" + indent(scimclient.Excerpt(rec.ReqBody, rec.ReqBodySize, maxBodyInMessage)) + "\n")
	}
	if rec.RespBody != "" {
		b.WriteString("response body:\n" + indent(scimclient.Excerpt(rec.RespBody, rec.RespBodySize, maxBodyInMessage)) + "\n")
	} else if rec.Status != 0 {
		b.WriteString("response body: (empty)\n")
	}
	return b.String()
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8Start(s[cut]) {
		cut--
	}
	return fmt.Sprintf("%s… (%d more bytes)", s[:cut], len(s)-cut)
}

func utf8Start(b byte) bool { return b&0xC0 != 0x80 }

func indent(s string) string {
	return "  " + strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n  ")
}
