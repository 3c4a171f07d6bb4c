package runner

import (
	"sort"
	"strconv"
	"strings"
)

// Generators make the test values of mapped attributes. Every value that a
// target must keep unique (userName, externalId, emails, displayName)
// carries the run prefix, so a run never collides with real accounts or
// another run and its leftovers are recognisable. Names deliberately
// include non-ASCII letters and apostrophes: Entra sends them as they are.

// genInput is what a generator may use. It is passed by value and holds
// no closures, so generating a value allocates only the value.
type genInput struct {
	r       *renderer
	persona string // which user the value is for ("main", "manager")
	prev    string // current value; a new value must differ from it
}

// prefix is the run prefix, "scimc-1a2b3c-".
func (in genInput) prefix() string { return in.r.prefix }

// hex returns n random hex digits.
func (in genInput) hex(n int) string { return in.r.hex(n) }

// index returns a random index below n.
func (in genInput) index(n int) int { return in.r.index(n) }

// current returns another attribute's current value for the persona.
func (in genInput) current(t TargetPath) string {
	m := in.r.app.Attribute(t)
	if m == nil {
		return ""
	}
	v, _ := in.r.get(userKey(in.persona, m))
	return v
}

type generator struct {
	boolean bool // the value is a JSON boolean, not a string
	gen     func(in genInput) string
}

const genReference = "reference" // the manager: set by its own PATCH, never generated

var (
	givenNames  = []string{"Zoë", "Łukasz", "Amélie", "Søren", "Nadia", "Kenji", "Aoife", "José"}
	familyNames = []string{"O'Connor", "Müller", "Van der Berg", "Ashby", "Nakamura", "Ó Briain", "García-Núñez", "Smith"}
	titles      = []string{"Engineer", "Product Manager", "Data Analyst", "Support Lead", "Designer"}
	departments = []string{"Retail", "Tech Infrastructure", "Research & Development", "Finance", "Sales"}
	localities  = []string{"Redmond", "Zürich", "Dublin", "São Paulo", "Kyoto"}
	regions     = []string{"WA", "ZH", "Leinster", "SP", "Kyoto"}
	countries   = []string{"US", "CH", "IE", "BR", "JP"}
	languages   = []string{"en-US", "de-CH", "fr-FR", "ja-JP", "pt-BR"}
)

var generators = map[string]generator{
	"userName": {gen: func(in genInput) string {
		return in.prefix() + in.persona + "-" + in.hex(4) + "@example.com"
	}},
	"email": {gen: func(in genInput) string {
		return in.prefix() + in.persona + "." + in.hex(4) + "@mail.example.com"
	}},
	"externalId": {gen: func(in genInput) string {
		return in.prefix() + in.persona + "-" + in.hex(4)
	}},
	"displayName": {gen: func(in genInput) string {
		return in.prefix() + strings.ToUpper(in.persona[:1]) + in.persona[1:] + " " + in.hex(4)
	}},
	"givenName":      {gen: pickFrom(givenNames)},
	"familyName":     {gen: pickFrom(familyNames)},
	"title":          {gen: pickFrom(titles)},
	"department":     {gen: pickFrom(departments)},
	"locality":       {gen: pickFrom(localities)},
	"region":         {gen: pickFrom(regions)},
	"country":        {gen: pickFrom(countries)},
	"language":       {gen: pickFrom(languages)},
	"formatted":      {gen: formattedName},
	"employeeNumber": {gen: digits("", 11)},
	"phone":          {gen: digits("+1 425 555 ", 4)},
	"postalCode":     {gen: digits("", 5)},
	"streetAddress": {gen: func(in genInput) string {
		return strconv.Itoa(1+in.index(9999)) + " Main Street"
	}},
	"office": {gen: func(in genInput) string {
		return "Building " + strconv.Itoa(1+in.index(99)) + "/" + strconv.Itoa(1000+in.index(9000))
	}},
	"guid":       {gen: func(in genInput) string { return guidFromHex(in.hex(32)) }},
	"active":     {boolean: true, gen: func(genInput) string { return "true" }},
	genReference: {gen: func(genInput) string { return "" }},
}

func generatorNames() []string {
	names := make([]string, 0, len(generators))
	for n := range generators {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// defaultGenerator is the generator for a target a sequence adds as its
// matching attribute.
func defaultGenerator(t TargetPath) (string, bool) {
	switch {
	case t.URN != "":
		return "", false
	case strings.EqualFold(t.Attr, "userName"):
		return "userName", true
	case strings.EqualFold(t.Attr, "externalId"):
		return "externalId", true
	case strings.EqualFold(t.Attr, "emails"):
		return "email", true
	case strings.EqualFold(t.Attr, "displayName"):
		return "displayName", true
	}
	return "", false
}

// pickFrom chooses a list entry other than the current value.
func pickFrom(list []string) func(genInput) string {
	return func(in genInput) string {
		i := in.index(len(list))
		if list[i] == in.prev {
			i = (i + 1) % len(list)
		}
		return list[i]
	}
}

func digits(prefix string, n int) func(genInput) string {
	return func(in genInput) string {
		b := []byte(prefix)
		for range n {
			b = append(b, byte('0'+in.index(10)))
		}
		if string(b) == in.prev {
			last := len(b) - 1
			b[last] = '0' + (b[last]-'0'+1)%10
		}
		return string(b)
	}
}

// nameParts are the attributes name.formatted joins.
var nameParts = []TargetPath{{Attr: "name", Sub: "givenName"}, {Attr: "name", Sub: "familyName"}}

// formattedName is Entra's Join(" ", [givenName], [surname]).
func formattedName(in genInput) string {
	var parts []string
	for _, t := range nameParts {
		if v := in.current(t); v != "" {
			parts = append(parts, v)
		}
	}
	if len(parts) == 0 {
		return in.persona
	}
	return strings.Join(parts, " ")
}

// guidFromHex formats 32 hex digits as a version-4 GUID.
func guidFromHex(h string) string {
	b := []byte(h)
	b[12] = '4'
	b[16] = "89ab"[strings.IndexByte("0123456789abcdef", b[16])%4]
	return string(b[0:8]) + "-" + string(b[8:12]) + "-" + string(b[12:16]) + "-" + string(b[16:20]) + "-" + string(b[20:32])
}
