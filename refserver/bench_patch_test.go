package refserver

import (
	"bytes"
	"fmt"
	"net/http"
	"testing"
	"time"
)

// Benchmarks of the largest PATCH requests a client can send (bodies up to
// the 1 MiB default limit) against the largest multi-valued attributes:
//
//	go test -run '^$' -bench 'Patch(EmailStorm|RemoveManyMembers|ScanStorm)' -benchtime 5x -benchmem ./refserver/

// Sizes of the 20 000-email user and the 14 000-operation PATCH of
// BenchmarkPatchEmailStorm.
const (
	stormEmails  = 20_000
	stormRemoves = 5_000 // removed by value filter, then added back
	stormTypes   = 4_000 // type replaced by value filter
)

func stormEmail(i int) string { return fmt.Sprintf("u%05d@e.io", i) }

// stormUser is a create body with stormEmails emails.
func stormUser() []byte {
	var b bytes.Buffer
	b.WriteString(`{"schemas":["` + userURN + `"],"userName":"storm@example.com","emails":[`)
	for i := range stormEmails {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"value":%q}`, stormEmail(i))
	}
	b.WriteString(`]}`)
	return b.Bytes()
}

// stormPatch removes stormRemoves emails by value filter and adds each
// back, and sets the type of stormTypes others by value filter: 14 000
// value-path operations in just under 1 MiB. Applied again it succeeds
// again and leaves the same emails.
func stormPatch() []byte {
	var b bytes.Buffer
	b.WriteString(`{"schemas":["` + patchURN + `"],"Operations":[`)
	sep := ""
	for i := range stormRemoves {
		fmt.Fprintf(&b, `%s{"op":"remove","path":"emails[value eq \"%s\"]"}`, sep, stormEmail(i))
		sep = ","
		fmt.Fprintf(&b, `,{"op":"add","path":"emails","value":[{"value":"%s","type":"work"}]}`, stormEmail(i))
	}
	for i := range stormTypes {
		fmt.Fprintf(&b, `,{"op":"replace","path":"emails[value eq \"%s\"].type","value":"home"}`, stormEmail(stormRemoves+i))
	}
	b.WriteString(`]}`)
	return b.Bytes()
}

// BenchmarkPatchEmailStorm applies 14 000 value-path operations to a user
// with 20 000 emails in one request.
func BenchmarkPatchEmailStorm(b *testing.B) {
	srv, err := New(Options{Token: testToken})
	if err != nil {
		b.Fatal(err)
	}
	fx := &fixture{srv: srv}
	id := mustCreate(b, srv, "/Users", stormUser())
	body := stormPatch()
	if len(body) > DefaultMaxBodyBytes {
		b.Fatalf("PATCH body is %d bytes, over the %d limit", len(body), DefaultMaxBodyBytes)
	}
	b.ReportAllocs()
	cpu := startCPU()
	for b.Loop() {
		fx.call(b, "PATCH", "/Users/"+id, body, http.StatusOK)
	}
	cpu.report(b)
}

// BenchmarkPatchRemoveManyMembers removes 10 000 members of a group of
// 100 000 with one members[value eq "<id>"] operation each, in Entra's
// shape, and adds them back between rounds with the timer stopped;
// cpu-ns/op counts the removals only.
func BenchmarkPatchRemoveManyMembers(b *testing.B) {
	const size, removed = 100_000, 10_000
	fx := loadFixture(b, size)
	members := make([]any, size)
	for i := range size {
		members[i] = map[string]any{"value": fx.ids[i]}
	}
	name := "Removal group"
	g, _, err := fx.srv.store.create(kindGroup, map[string]any{"displayName": name, "members": members})
	if err != nil {
		b.Fatal(err)
	}
	defer func() { _ = fx.srv.store.remove(kindGroup, g.id, "") }()
	var ops, add bytes.Buffer
	for i := range removed {
		fmt.Fprintf(&ops, `,{"op":"remove","path":"members[value eq \"%s\"]"}`, fx.ids[i])
		if i > 0 {
			add.WriteByte(',')
		}
		fmt.Fprintf(&add, `{"value":"%s"}`, fx.ids[i])
	}
	patchOf := func(first string, rest []byte) []byte {
		return []byte(`{"schemas":["` + patchURN + `"],"Operations":[` + first + string(rest) + `]}`)
	}
	readd := patchOf(`{"op":"add","path":"members","value":[`+add.String()+`]}`, nil)
	for _, c := range []struct {
		name string
		body []byte
	}{
		{"shape=entra", patchOf("", ops.Bytes()[1:])},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			var cpu time.Duration
			for b.Loop() {
				start, _ := processCPU()
				fx.call(b, "PATCH", "/Groups/"+g.id, c.body, http.StatusNoContent)
				end, _ := processCPU()
				cpu += end - start
				b.StopTimer()
				fx.call(b, "PATCH", "/Groups/"+g.id, readd, http.StatusNoContent)
				b.StartTimer()
			}
			b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/op")
			if n := fx.srv.store.groups.byID[g.id].members.len(); n != size {
				b.Fatalf("group has %d members after the rounds, want %d", n, size)
			}
		})
	}
}

// BenchmarkPatchScanStorm sends the 20 000-email user requests of many
// operations that each must examine every email, which the element budget
// (patch.MaxElementVisits) refuses with 400 tooMany: ns/op is what such a
// request costs before it is refused.
func BenchmarkPatchScanStorm(b *testing.B) {
	srv, err := New(Options{Token: testToken})
	if err != nil {
		b.Fatal(err)
	}
	fx := &fixture{srv: srv}
	id := mustCreate(b, srv, "/Users", stormUser())
	for _, c := range []struct{ name, op string }{
		{"shape=filter-scan", `{"op":"replace","path":"emails[value co \"@\"].display","value":"d"}`},
		{"shape=sub-path", `{"op":"replace","path":"emails.display","value":"d"}`},
		{"shape=unkeyed-add", `{"op":"add","path":"emails","value":[{"display":"d","type":"other"}]}`},
	} {
		b.Run(c.name, func(b *testing.B) {
			ops := bytes.Repeat([]byte(","+c.op), 1_000)
			body := []byte(`{"schemas":["` + patchURN + `"],"Operations":[` + string(ops[1:]) + `]}`)
			b.ReportAllocs()
			cpu := startCPU()
			for b.Loop() {
				fx.call(b, "PATCH", "/Users/"+id, body, http.StatusBadRequest)
			}
			cpu.report(b)
		})
	}
}
