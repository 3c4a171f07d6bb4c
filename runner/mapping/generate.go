package mapping

import (
	"strconv"
	"strings"
)

// Generators make the test values of mapped attributes. Every value that a
// target must keep unique (userName, externalId, emails, displayName)
// carries the run prefix, so a run never collides with real accounts or
// another run and its leftovers are recognisable. Names deliberately
// include non-ASCII letters and apostrophes: Entra sends them as they are.

// Source is what a generator draws on.
type Source interface {
	// Prefix is the run prefix, "scimc-1a2b3c-".
	Prefix() string
	// Hex returns n random hex digits.
	Hex(n int) string
	// Index returns a random index below n.
	Index(n int) int
	// Current returns another mapped attribute's current value for the
	// same persona, "" when it has none.
	Current(t TargetPath) string
}

// Reference is the generator of the manager: set by its own PATCH, never
// generated.
const Reference = "reference"

// GeneratorNames lists the generators, sorted.
func GeneratorNames() []string {
	return []string{"active", "country", "department", "displayName", "email", "employeeNumber", "externalId",
		"familyName", "formatted", "givenName", "guid", "language", "locality", "office", "phone", "postalCode",
		Reference, "region", "streetAddress", "title", "userName"}
}

// Boolean reports whether generator name makes a JSON boolean rather than
// a string.
func Boolean(name string) bool { return name == "active" }

// Generate makes a new value with generator name for persona ("main",
// "manager"), different from prev, its current value.
func Generate(name string, src Source, persona, prev string) string {
	switch name {
	case "userName":
		return src.Prefix() + persona + "-" + src.Hex(4) + "@example.com"
	case "email":
		return src.Prefix() + persona + "." + src.Hex(4) + "@mail.example.com"
	case "externalId":
		return src.Prefix() + persona + "-" + src.Hex(4)
	case "displayName":
		return src.Prefix() + strings.ToUpper(persona[:1]) + persona[1:] + " " + src.Hex(4)
	case "givenName":
		return pick(src, prev, "Zoë", "Łukasz", "Amélie", "Søren", "Nadia", "Kenji", "Aoife", "José")
	case "familyName":
		return pick(src, prev, "O'Connor", "Müller", "Van der Berg", "Ashby", "Nakamura", "Ó Briain", "García-Núñez", "Smith")
	case "title":
		return pick(src, prev, "Engineer", "Product Manager", "Data Analyst", "Support Lead", "Designer")
	case "department":
		return pick(src, prev, "Retail", "Tech Infrastructure", "Research & Development", "Finance", "Sales")
	case "locality":
		return pick(src, prev, "Redmond", "Zürich", "Dublin", "São Paulo", "Kyoto")
	case "region":
		return pick(src, prev, "WA", "ZH", "Leinster", "SP", "Kyoto")
	case "country":
		return pick(src, prev, "US", "CH", "IE", "BR", "JP")
	case "language":
		return pick(src, prev, "en-US", "de-CH", "fr-FR", "ja-JP", "pt-BR")
	case "formatted":
		return formattedName(src, persona)
	case "employeeNumber":
		return digits(src, prev, "", 11)
	case "phone":
		return digits(src, prev, "+1 425 555 ", 4)
	case "postalCode":
		return digits(src, prev, "", 5)
	case "streetAddress":
		return strconv.Itoa(1+src.Index(9999)) + " Main Street"
	case "office":
		return "Building " + strconv.Itoa(1+src.Index(99)) + "/" + strconv.Itoa(1000+src.Index(9000))
	case "guid":
		return GUIDFromHex(src.Hex(32))
	case "active":
		return "true"
	}
	return "" // Reference
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

// pick chooses a list entry other than the current value.
func pick(src Source, prev string, list ...string) string {
	i := src.Index(len(list))
	if list[i] == prev {
		i = (i + 1) % len(list)
	}
	return list[i]
}

func digits(src Source, prev, prefix string, n int) string {
	b := []byte(prefix)
	for range n {
		b = append(b, byte('0'+src.Index(10)))
	}
	if string(b) == prev {
		last := len(b) - 1
		b[last] = '0' + (b[last]-'0'+1)%10
	}
	return string(b)
}

// formattedName is Entra's Join(" ", [givenName], [surname]).
func formattedName(src Source, persona string) string {
	var parts []string
	for _, t := range []TargetPath{{Attr: "name", Sub: "givenName"}, {Attr: "name", Sub: "familyName"}} {
		if v := src.Current(t); v != "" {
			parts = append(parts, v)
		}
	}
	if len(parts) == 0 {
		return persona
	}
	return strings.Join(parts, " ")
}

// GUIDFromHex formats 32 hex digits as a version-4 GUID.
func GUIDFromHex(h string) string {
	b := []byte(h)
	b[12] = '4'
	b[16] = "89ab"[strings.IndexByte("0123456789abcdef", b[16])%4]
	return string(b[0:8]) + "-" + string(b[8:12]) + "-" + string(b[12:16]) + "-" + string(b[16:20]) + "-" + string(b[20:32])
}
