package refserver

import (
	"net/url"
	"os"
	"strings"
)

// params are the query parameters of a request, read as url.Values reads
// them. A query of a single parameter, which is what every filter lookup
// of Microsoft Entra ID sends, is read without building url.Values.
type params struct {
	values url.Values // nil for a query of at most one parameter
	one    bool       // key and value hold the one parameter
	key    string
	value  string
}

// paramsOf reads the query parameters of u.
func paramsOf(u *url.URL) params {
	raw := u.RawQuery
	if raw == "" {
		return params{}
	}
	if !singleParamFastPath || strings.ContainsAny(raw, "&;") {
		return params{values: u.Query()}
	}
	// As url.ParseQuery reads one pair; an invalid escape takes its path.
	k, v, _ := strings.Cut(raw, "=")
	key, err := url.QueryUnescape(k)
	if err != nil {
		return params{values: u.Query()}
	}
	value, err := url.QueryUnescape(v)
	if err != nil {
		return params{values: u.Query()}
	}
	return params{one: true, key: key, value: value}
}

// singleParamFastPath is off when GODEBUG sets urlmaxqueryparams, whose
// limit url.ParseQuery applies even to a single parameter.
var singleParamFastPath = !strings.Contains(os.Getenv("GODEBUG"), "urlmaxqueryparams")

// Get returns the first value of the parameter name, "" if none.
func (p params) Get(name string) string {
	if p.values != nil {
		return p.values.Get(name)
	}
	if p.one && p.key == name {
		return p.value
	}
	return ""
}

// Has reports whether the parameter name is given.
func (p params) Has(name string) bool {
	if p.values != nil {
		return p.values.Has(name)
	}
	return p.one && p.key == name
}
