package filter

import (
	"testing"

	"github.com/scimconform/scimconform/refserver/schema"
)

// benchFilters are the filters a provisioning client sends most, plus one
// that exercises every part of the matcher.
var benchFilters = []struct{ name, filter string }{
	{"userName eq", `userName eq "BJENSEN@example.com"`},
	{"externalId eq", `externalId eq "jyoung"`},
	{"emails value path", `emails[type eq "work"].value eq "bjensen@example.com"`},
	{"mixed", `(userName sw "bj" or title pr) and not (active eq false) and meta.lastModified gt "2011-01-01T00:00:00Z" and emails co "JENSEN"`},
}

func BenchmarkCompileAndMatch(b *testing.B) {
	doc := sampleUser()
	for _, bf := range benchFilters {
		b.Run(bf.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				e, err := Parse(bf.filter)
				if err != nil {
					b.Fatal(err)
				}
				m, err := Compile(schema.UserType, e)
				if err != nil {
					b.Fatal(err)
				}
				if !m(doc) {
					b.Fatal("no match")
				}
			}
		})
	}
}

func BenchmarkMatch(b *testing.B) {
	doc := sampleUser()
	for _, bf := range benchFilters {
		b.Run(bf.name, func(b *testing.B) {
			e, err := Parse(bf.filter)
			if err != nil {
				b.Fatal(err)
			}
			m, err := Compile(schema.UserType, e)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if !m(doc) {
					b.Fatal("no match")
				}
			}
		})
	}
}

// TestMatchDoesNotAllocate guards the property the benchmarks show: matching
// a compiled filter costs no allocations.
func TestMatchDoesNotAllocate(t *testing.T) {
	doc := sampleUser()
	for _, bf := range benchFilters {
		e, err := Parse(bf.filter)
		if err != nil {
			t.Fatal(err)
		}
		m, err := Compile(schema.UserType, e)
		if err != nil {
			t.Fatal(err)
		}
		if n := testing.AllocsPerRun(100, func() { m(doc) }); n != 0 {
			t.Errorf("%s: %v allocations per match, want 0", bf.name, n)
		}
	}
}
