package scimclient

import (
	"fmt"
	"regexp"
	"unicode/utf8"
)

// MaxListed is how many items of a list derived from a response (a step's
// violations, a matcher's problems) are shown; the rest are counted in one
// last item, so a 5 MB ListResponse of broken resources cannot flood the
// console and reports.
const MaxListed = 20

// More is the last item of a list cut at MaxListed: "… and 12 more violations".
func More(n int, what string) string {
	return fmt.Sprintf("… and %d more %s", n, what)
}

// elisionMarker stands for the left-out middle of a body.
func elisionMarker(elided, size int64) string {
	return "\n… " + formatBytes(elided) + " elided of " + formatBytes(size) + " …\n"
}

// elision matches the marker Body puts in place of a body's middle.
var elision = regexp.MustCompile(`\n… \S+ \S+ elided of \S+ \S+ …\n`)

// Excerpt shortens a redacted body text to about limit bytes for display:
// its head and tail around a marker stating how much of the body is left
// out. size is the whole body's size (Record.RespBodySize) or 0 when text
// is the whole body. A text that is already an excerpt (a Record body cut
// by Body) is cut again around its own marker, so that its head and tail
// remain those of the body.
func Excerpt(text string, size int64, limit int) string {
	if len(text) <= limit {
		return text
	}
	head, tail := text, text
	if loc := elision.FindStringIndex(text); loc != nil {
		head, tail = text[:loc[0]], text[loc[1]:]
	}
	tailLen := min(limit/4, len(tail))
	headLen := min(limit-tailLen, len(head))
	for headLen > 0 && headLen < len(head) && !utf8.RuneStart(head[headLen]) {
		headLen--
	}
	head = head[:headLen]
	cut := len(tail) - tailLen
	for cut < len(tail) && !utf8.RuneStart(tail[cut]) {
		cut++
	}
	tail = tail[cut:]
	size = max(size, int64(len(text)))
	return head + elisionMarker(max(0, size-int64(len(head)+len(tail))), size) + tail
}
