package refserver

import (
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/scimconform/scimconform/refserver/schema"
)

// Benchmarks of the reference server at 1k and 100k stored users, and 1M
// with REFSERVER_BENCH_1M=1 (loading 1M users takes a while and about 1 GB):
//
//	go test -run '^$' -bench . -benchmem ./refserver/
//	REFSERVER_BENCH_1M=1 go test -run '^$' -bench . -benchmem ./refserver/
//
// Each reports bytes/stored-user: heap growth (after GC) from loading the
// store, divided by the number of users. CreateUser, GetUserByID and the
// filter lookups also report cpu-ns/op, the process CPU time per request
// (GC included), which other load on a shared machine disturbs less than
// ns/op: compare runs of two builds taken in alternation, e.g.
//
//	go test -c -o new.test ./refserver/   # and old.test from the other build
//	for i in 1 2 3 4 5 6; do
//		./old.test -test.run '^$' -test.bench CreateUser -test.benchmem >>old.txt
//		./new.test -test.run '^$' -test.bench CreateUser -test.benchmem >>new.txt
//	done
//	benchstat old.txt new.txt

func benchSizes() []int {
	sizes := []int{1_000, 100_000}
	if os.Getenv("REFSERVER_BENCH_1M") != "" {
		sizes = append(sizes, 1_000_000)
	}
	return sizes
}

func sizeName(n int) string {
	switch {
	case n >= 1_000_000:
		return strconv.Itoa(n/1_000_000) + "M"
	case n >= 1_000:
		return strconv.Itoa(n/1_000) + "k"
	}
	return strconv.Itoa(n)
}

// entraUser is the body Microsoft Entra ID sends to create a user
// (entra-protocol.md U2) with the commonly mapped title, displayName,
// department and employeeNumber.
func entraUser(i int) []byte {
	return fmt.Appendf(nil, `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],`+
		`"externalId":"user%07d","userName":"first.last%07d@contoso.example","active":true,"displayName":"First Last %d",`+
		`"emails":[{"primary":true,"type":"work","value":"first.last%07d@contoso.example"}],"meta":{"resourceType":"User"},`+
		`"name":{"formatted":"First Last","familyName":"Last","givenName":"First"},"title":"Engineer","roles":[],`+
		`"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"Department %d","employeeNumber":"%07d"}}`,
		i, i, i, i, i%100, i)
}

func entraUserName(i int) string { return fmt.Sprintf("first.last%07d@contoso.example", i) }

// fixture is a server loaded with n Entra-shaped users.
type fixture struct {
	srv          *Server
	ids          []string
	bytesPerUser float64
}

var (
	fixturesMu sync.Mutex
	fixtures   = map[int]*fixture{}
)

// loadFixture builds (once per process and size) a server with n users,
// loaded through the same normalisation as POST, and measures its heap.
func loadFixture(b *testing.B, n int) *fixture {
	b.Helper()
	fixturesMu.Lock()
	defer fixturesMu.Unlock()
	if fx := fixtures[n]; fx != nil {
		return fx
	}
	b.StopTimer()
	defer b.StartTimer()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	srv, err := New(Options{Token: testToken})
	if err != nil {
		b.Fatal(err)
	}
	for i := range n {
		body, err := decodeObject(entraUser(i))
		if err != nil {
			b.Fatal(err)
		}
		doc, err := schema.Normalize(schema.UserType, body, schema.Create)
		if err != nil {
			b.Fatal(err)
		}
		if _, _, err := srv.store.create(kindUser, doc); err != nil {
			b.Fatal(err)
		}
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	fx := &fixture{srv: srv, bytesPerUser: float64(after.HeapAlloc-before.HeapAlloc) / float64(n)}
	for _, r := range srv.store.users.order {
		fx.ids = append(fx.ids, r.id)
	}
	fixtures[n] = fx
	return fx
}

// evictFixturesExcept drops the cached stores of every other size.
func evictFixturesExcept(keep int) {
	fixturesMu.Lock()
	for n := range fixtures {
		if n != keep {
			delete(fixtures, n)
		}
	}
	fixturesMu.Unlock()
	runtime.GC()
}

// call sends one request straight to the handler and checks its status.
func (fx *fixture) call(b *testing.B, method, target string, body []byte, want int) {
	r := httptest.NewRequest(method, target, bytes.NewReader(body))
	r.Header.Set("Authorization", "Bearer "+testToken)
	if body != nil {
		r.Header.Set("Content-Type", "application/scim+json")
	}
	w := httptest.NewRecorder()
	fx.srv.ServeHTTP(w, r)
	if w.Code != want {
		b.Fatalf("%s %s: %d %s", method, target, w.Code, w.Body)
	}
}

// cpuMeter measures the process CPU time (user + system, GC workers
// included) of a benchmark loop. Reported as cpu-ns/op, it varies much
// less than ns/op with the load of other processes on a shared machine.
type cpuMeter struct {
	start time.Duration
	ok    bool
}

func startCPU() cpuMeter {
	start, ok := processCPU()
	return cpuMeter{start, ok}
}

func (m cpuMeter) report(b *testing.B) {
	if end, ok := processCPU(); ok && m.ok && b.N > 0 {
		b.ReportMetric(float64((end-m.start).Nanoseconds())/float64(b.N), "cpu-ns/op")
	}
}

// eachSize runs fn as a sub-benchmark per store size.
func eachSize(b *testing.B, fn func(b *testing.B, fx *fixture, n int)) {
	for _, n := range benchSizes() {
		b.Run("users="+sizeName(n), func(b *testing.B) {
			fx := loadFixture(b, n)
			b.ReportAllocs()
			b.ResetTimer()
			fn(b, fx, n)
			b.StopTimer()
			b.ReportMetric(fx.bytesPerUser, "bytes/stored-user")
		})
	}
}

// loadCycleUser is a create body as load mode sends it for the
// entra-default app: more multi-valued attributes than entraUser, names
// beyond ASCII and an escape.
var loadCycleUser = []byte(`{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],` +
	`"externalId":"scimc-6e3fe9-u0-main-a06e","userName":"scimc-6e3fe9-u0-main-030b@example.com","active":true,` +
	`"addresses":[{"formatted":"Building 97/9033","type":"other"},{"postalCode":"12640","streetAddress":"4439 Main Street","type":"work"}],` +
	`"displayName":"scimc-6e3fe9-u0-Main 567e","emails":[{"primary":true,"type":"work","value":"scimc-6e3fe9-u0-main.4235@mail.example.com"}],` +
	`"meta":{"resourceType":"User"},"name":{"familyName":"Ó Briain","formatted":"Łukasz Ó Briain","givenName":"Łukasz"},` +
	`"phoneNumbers":[{"type":"fax","value":"+1 425 555 2212"},{"type":"mobile","value":"+1 425 555 1091"},{"type":"work","value":"+1 425 555 4352"}],` +
	`"roles":[],"title":"Designer","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"Research \u0026 Development","employeeNumber":"08774230336"}}`)

// BenchmarkDecodeNormalizeCreate is the part of POST /Users that reads
// the body: decoding it and normalising it, as readCreateBody does.
func BenchmarkDecodeNormalizeCreate(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		obj, err := decodeObject(loadCycleUser)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := schema.Normalize(schema.UserType, obj, schema.Create); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCreateUser(b *testing.B) {
	eachSize(b, func(b *testing.B, fx *fixture, n int) {
		base := 10_000_000 + n*10 // names never used by fixtures
		cpu := startCPU()
		for i := 0; b.Loop(); i++ {
			fx.call(b, "POST", "/Users", entraUser(base+i), http.StatusCreated)
		}
		cpu.report(b)
		b.StopTimer()
		// Leave the fixture as it was for the other benchmarks.
		fx.srv.store.mu.RLock()
		var created []string
		for _, r := range fx.srv.store.users.order[n:] {
			if !r.deleted {
				created = append(created, r.id)
			}
		}
		fx.srv.store.mu.RUnlock()
		for _, id := range created {
			if err := fx.srv.store.remove(kindUser, id, ""); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkGetUserByID(b *testing.B) {
	eachSize(b, func(b *testing.B, fx *fixture, n int) {
		rng := rand.New(rand.NewPCG(1, 2))
		cpu := startCPU()
		for b.Loop() {
			fx.call(b, "GET", "/Users/"+fx.ids[rng.IntN(n)], nil, http.StatusOK)
		}
		cpu.report(b)
	})
}

// BenchmarkFilterUserNameEq looks users up as Entra does. Sizes above 1k
// also report x-of-1k: the lookup time relative to a 1k store (target: at
// most 1.5 at 1M), measured in alternating rounds against both stores so
// that load from other processes affects both alike.
func BenchmarkFilterUserNameEq(b *testing.B) {
	eachSize(b, func(b *testing.B, fx *fixture, n int) {
		rng := rand.New(rand.NewPCG(3, 4))
		cpu := startCPU()
		for b.Loop() {
			fx.lookup(b, rng, n)
		}
		cpu.report(b)
		if n > 1_000 {
			b.ReportMetric(lookupRatio(b, loadFixture(b, 1_000), fx, n), "x-of-1k")
		}
	})
}

// BenchmarkFilterUserNameEqMiss looks up users that do not exist, as
// Microsoft Entra ID does before creating each one.
func BenchmarkFilterUserNameEqMiss(b *testing.B) {
	eachSize(b, func(b *testing.B, fx *fixture, n int) {
		cpu := startCPU()
		for i := 0; b.Loop(); i++ {
			f := url.QueryEscape(`userName eq "` + entraUserName(20_000_000+i) + `"`)
			fx.call(b, "GET", "/Users?filter="+f, nil, http.StatusOK)
		}
		cpu.report(b)
	})
}

// lookup runs one userName eq filter GET for a random stored user.
func (fx *fixture) lookup(b *testing.B, rng *rand.Rand, n int) {
	f := url.QueryEscape(`userName eq "` + entraUserName(rng.IntN(n)) + `"`)
	fx.call(b, "GET", "/Users?filter="+f, nil, http.StatusOK)
}

// lookupRatio times rounds of lookups against the small and the big store
// alternately and returns the ratio of the median round times.
func lookupRatio(b *testing.B, small, big *fixture, n int) float64 {
	const rounds, perRound = 15, 300
	rng := rand.New(rand.NewPCG(9, 10))
	var smallNs, bigNs []float64
	for range rounds {
		for _, side := range []struct {
			fx  *fixture
			n   int
			out *[]float64
		}{{small, 1_000, &smallNs}, {big, n, &bigNs}} {
			start := time.Now()
			for range perRound {
				side.fx.lookup(b, rng, side.n)
			}
			*side.out = append(*side.out, float64(time.Since(start).Nanoseconds()))
		}
	}
	return median(bigNs) / median(smallNs)
}

func BenchmarkPatchActive(b *testing.B) {
	eachSize(b, func(b *testing.B, fx *fixture, n int) {
		rng := rand.New(rand.NewPCG(5, 6))
		bodies := [2][]byte{
			[]byte(`{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Replace","path":"active","value":"False"}]}`),
			[]byte(`{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Replace","path":"active","value":"True"}]}`),
		}
		for i := 0; b.Loop(); i++ {
			fx.call(b, "PATCH", "/Users/"+fx.ids[rng.IntN(n)], bodies[i%2], http.StatusOK)
		}
	})
}

// BenchmarkPatchGroupMember adds and removes one member of a group that
// already has 10k members, in Entra's request shape.
func BenchmarkPatchGroupMember(b *testing.B) {
	fx := loadFixture(b, 100_000)
	const size = 10_000
	members := make([]any, size)
	for i := range size {
		members[i] = map[string]any{"value": fx.ids[i]}
	}
	name := fmt.Sprintf("Big group %d", time.Now().UnixNano())
	g, _, err := fx.srv.store.create(kindGroup, map[string]any{"displayName": name, "members": members})
	if err != nil {
		b.Fatal(err)
	}
	defer func() { _ = fx.srv.store.remove(kindGroup, g.id, "") }()
	extra := fx.ids[size]
	bodies := [2][]byte{
		[]byte(`{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Add","path":"members","value":[{"value":"` + extra + `"}]}]}`),
		[]byte(`{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Remove","path":"members","value":[{"value":"` + extra + `"}]}]}`),
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		fx.call(b, "PATCH", "/Groups/"+g.id, bodies[i%2], http.StatusNoContent)
	}
}

// BenchmarkLoopbackFilterGET compares filter-GET throughput of the server
// over loopback with a trivial net/http handler returning the same bytes
// (target: at least 60%). Both are served by httptest.NewServer and driven by
// keep-alive clients with parallel requests, in alternating rounds so that
// load from other processes affects both alike; the medians are reported.
// %-of-trivial is the ratio of requests per second of wall time, which on a
// busy machine also measures the scheduler; cpu-%-of-trivial is the ratio of
// process CPU time per request (client and server), the throughput ratio
// whenever the CPU is the limit. ns/op is the duration of the measurement.
func BenchmarkLoopbackFilterGET(b *testing.B) {
	// Stores loaded by earlier benchmarks would make garbage collection,
	// not request handling, dominate; the comparison uses a 1k store.
	evictFixturesExcept(1_000)
	fx := loadFixture(b, 1_000)
	target := "/Users?filter=" + url.QueryEscape(`userName eq "`+entraUserName(500)+`"`)
	rec := httptest.NewRecorder()
	r := httptest.NewRequest("GET", target, nil)
	r.Header.Set("Authorization", "Bearer "+testToken)
	fx.srv.ServeHTTP(rec, r)
	fixed := rec.Body.Bytes()
	trivial := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", ContentType)
		w.Header().Set("Content-Length", strconv.Itoa(len(fixed)))
		_, _ = w.Write(fixed)
	})
	trivialSrv, refSrv := httptest.NewServer(trivial), httptest.NewServer(fx.srv)
	defer trivialSrv.Close()
	defer refSrv.Close()
	var base, ref []loopbackRound
	for b.Loop() {
		for range 15 {
			base = append(base, loopbackRate(b, trivialSrv.URL+target, 100*time.Millisecond))
			ref = append(ref, loopbackRate(b, refSrv.URL+target, 100*time.Millisecond))
		}
	}
	rate := func(rs []loopbackRound) float64 {
		return median(collect(rs, func(r loopbackRound) float64 { return r.perSec }))
	}
	cpu := func(rs []loopbackRound) float64 {
		return median(collect(rs, func(r loopbackRound) float64 { return r.cpuPerReq }))
	}
	b.ReportMetric(rate(base), "trivial-req/s")
	b.ReportMetric(rate(ref), "refserver-req/s")
	b.ReportMetric(100*rate(ref)/rate(base), "%-of-trivial")
	if c := cpu(ref); c > 0 {
		b.ReportMetric(100*cpu(base)/c, "cpu-%-of-trivial")
	}
}

// loopbackRound is one timed round: requests per second of wall time and
// process CPU nanoseconds per request (client and server together; 0 when
// the platform does not report CPU time).
type loopbackRound struct{ perSec, cpuPerReq float64 }

func collect(rs []loopbackRound, f func(loopbackRound) float64) []float64 {
	out := make([]float64, len(rs))
	for i, r := range rs {
		out[i] = f(r)
	}
	return out
}

// loopbackRate sends parallel keep-alive GETs to url for d.
func loopbackRate(b *testing.B, url string, d time.Duration) loopbackRound {
	const workers = 32
	tr := &http.Transport{MaxIdleConns: workers, MaxIdleConnsPerHost: workers, IdleConnTimeout: 30 * time.Second}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 10 * time.Second}
	var wg sync.WaitGroup
	var mu sync.Mutex
	total := 0
	cpuStart, cpuOK := processCPU()
	start := time.Now()
	deadline := start.Add(d)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n := 0
			for time.Now().Before(deadline) {
				req, _ := http.NewRequest("GET", url, nil)
				req.Header.Set("Authorization", "Bearer "+testToken)
				resp, err := client.Do(req)
				if err != nil {
					b.Error(err)
					return
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				_ = resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					b.Errorf("status %d", resp.StatusCode)
					return
				}
				n++
			}
			mu.Lock()
			total += n
			mu.Unlock()
		}()
	}
	wg.Wait()
	round := loopbackRound{perSec: float64(total) / time.Since(start).Seconds()}
	if cpuEnd, ok := processCPU(); ok && cpuOK && total > 0 {
		round.cpuPerReq = float64((cpuEnd - cpuStart).Nanoseconds()) / float64(total)
	}
	return round
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}
