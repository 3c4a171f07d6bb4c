package scimclient

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// How the guard reads a request: which collection and id its path names,
// resolved as the client sends it, and which method a target may act on.

// collection is a resource collection the guard watches.
type collection byte

const (
	noCollection collection = iota
	usersCollection
	groupsCollection
)

// collectionOf names the collection a path segment is, case-insensitively
// as servers route it.
func collectionOf(seg string) collection {
	switch {
	case strings.EqualFold(seg, "Users"):
		return usersCollection
	case strings.EqualFold(seg, "Groups"):
		return groupsCollection
	}
	return noCollection
}

// targetPath is a request URL's path below the target's base path.
type targetPath struct {
	split bool     // the path was read (the zero value: not yet)
	shown string   // as sent, for messages: "/Users/abc"
	segs  []string // its non-empty segments, percent-decoded
	// dotted: a "." or ".." segment, which the target may resolve to
	// another resource than the one named.
	dotted bool
}

// splitTargetPath reads the path of u, an URL the client built (so its
// scheme and host are the target's), below basePath when it starts with
// it; otherwise the whole path is read, which the guard treats no less
// strictly.
func splitTargetPath(u, basePath string) (targetPath, error) {
	p := u
	if i := strings.Index(p, "://"); i >= 0 {
		p = p[i+3:]
		if j := strings.IndexByte(p, '/'); j >= 0 {
			p = p[j:]
		} else {
			p = ""
		}
	}
	p, _, _ = strings.Cut(p, "?")
	if basePath != "" && strings.HasPrefix(p, basePath) && (len(p) == len(basePath) || p[len(basePath)] == '/') {
		p = p[len(basePath):]
	}
	// Room for /Users/{id}/x without growing: one allocation per request.
	tp := targetPath{split: true, shown: p, segs: make([]string, 0, 3)}
	if tp.shown == "" {
		tp.shown = "/"
	}
	for rest := p; rest != ""; {
		var seg string
		seg, rest, _ = strings.Cut(rest, "/")
		if seg == "" {
			continue // servers commonly merge repeated slashes
		}
		if strings.IndexByte(seg, '%') >= 0 {
			dec, err := url.PathUnescape(seg)
			if err != nil {
				return tp, fmt.Errorf("path segment %q is not valid percent-encoding: %w", seg, err)
			}
			seg = dec
		}
		tp.dotted = tp.dotted || seg == "." || seg == ".."
		tp.segs = append(tp.segs, seg)
	}
	return tp, nil
}

// effectiveMethod is the method a target may act on: the request's, or the
// one a method-override header asks for.
func effectiveMethod(method string, h http.Header) string {
	for _, name := range [...]string{"X-Http-Method-Override", "X-Http-Method", "X-Method-Override"} {
		if v := h.Get(name); v != "" {
			return strings.TrimSpace(v)
		}
	}
	return method
}

// readOnly reports whether a method only reads.
func readOnly(method string) bool {
	return strings.EqualFold(method, http.MethodGet) || strings.EqualFold(method, http.MethodHead) ||
		strings.EqualFold(method, http.MethodOptions)
}

func isPost(method string) bool { return strings.EqualFold(method, http.MethodPost) }
