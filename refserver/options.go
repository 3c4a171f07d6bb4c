package refserver

import (
	"errors"
	"log/slog"
	"strings"
	"time"
)

// Defaults applied by New to zero-valued Options fields.
const (
	DefaultMaxBodyBytes = 1 << 20 // 1 MiB
	DefaultMaxResults   = 200
)

// Options configures a Server. The zero value is not usable on its own: a
// Token is required unless NoAuth is set explicitly.
type Options struct {
	// Token is the bearer token every request must carry
	// ("Authorization: Bearer <Token>"). It is compared in constant time.
	Token string
	// NoAuth disables authentication. It must be set explicitly; an empty
	// Token never means "no authentication".
	NoAuth bool
	// BasePath is the path prefix of every endpoint, e.g. "/scim/v2".
	// Default "" (endpoints at the root).
	BasePath string
	// MaxBodyBytes bounds request bodies; larger bodies get 413.
	// Default DefaultMaxBodyBytes.
	MaxBodyBytes int64
	// MaxResults is the default and maximum page size of list and search
	// responses, advertised as filter.maxResults. Default DefaultMaxResults.
	MaxResults int
	// Logger receives one debug line per request (method, path, status,
	// duration) and panics at error level. Default: discard.
	Logger *slog.Logger
	// Now returns the current time, for meta.created / meta.lastModified.
	// Default time.Now.
	Now func() time.Time
	// Faults names deliberate defects to switch on (see faults.go and
	// FaultCatalog); they exist for proving that conformance checks fail.
	// An unknown name is an error from New. Default: none.
	Faults []string
	// Variants names behaviours RFC 7643 and RFC 7644 allow that differ
	// from the server's default (see variants.go and VariantCatalog); they
	// exist for proving that conformance checks pass every compliant
	// server. An unknown name is an error from New. Default: none.
	Variants []string
}

// withDefaults validates o and fills in defaults.
func (o Options) withDefaults() (Options, error) {
	if o.Token == "" && !o.NoAuth {
		return o, errors.New("refserver: Options.Token is empty; set a token or NoAuth explicitly")
	}
	if o.Token != "" && o.NoAuth {
		return o, errors.New("refserver: Options.Token and Options.NoAuth are both set; choose one")
	}
	if o.BasePath != "" {
		if !strings.HasPrefix(o.BasePath, "/") {
			o.BasePath = "/" + o.BasePath
		}
		o.BasePath = strings.TrimRight(o.BasePath, "/")
		if strings.ContainsAny(o.BasePath, "{}?#") {
			return o, errors.New("refserver: Options.BasePath must be a plain path such as /scim/v2")
		}
	}
	if o.MaxBodyBytes < 0 || o.MaxResults < 0 {
		return o, errors.New("refserver: Options.MaxBodyBytes and Options.MaxResults must not be negative")
	}
	if o.MaxBodyBytes == 0 {
		o.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if o.MaxResults == 0 {
		o.MaxResults = DefaultMaxResults
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o, nil
}
