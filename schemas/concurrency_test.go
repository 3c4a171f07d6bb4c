package schemas

import (
	"reflect"
	"sync"
	"testing"
)

// Validate is called from parallel specs; it must give the same answers
// concurrently as serially (run with -race).
func TestValidateConcurrently(t *testing.T) {
	t.Parallel()
	type job struct {
		kind Kind
		body []byte
	}
	jobs := []job{
		{User, readTestdata(t, "rfc7643-8.2-full-user.json")},
		{User, applyEdits(t, readTestdata(t, "rfc7643-8.2-full-user.json"), set("/active", "true"), del("/id"))},
		{EnterpriseUser, readTestdata(t, "rfc7643-8.3-enterprise-user.json")},
		{Group, readTestdata(t, "rfc7643-8.4-group.json")},
		{ListResponse, readTestdata(t, "entra-u4-list-one-user.json")},
		{Error, []byte(`{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":409,"scimType":"conflict"}`)},
		{PatchOp, readTestdata(t, "entra-u7b-patch-pathless.json")},
		{ServiceProviderConfig, readTestdata(t, "rfc7643-8.5-service-provider-config.json")},
	}
	want := make([][]Violation, len(jobs))
	for i, j := range jobs {
		vs, err := Validate(j.kind, j.body)
		if err != nil {
			t.Fatalf("serial %s: %v", j.kind, err)
		}
		want[i] = vs
	}
	const workers, rounds = 8, 25
	var wg sync.WaitGroup
	errs := make(chan string, workers*rounds*len(jobs))
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for r := 0; r < rounds; r++ {
				i := (w + r) % len(jobs)
				got, err := Validate(jobs[i].kind, jobs[i].body)
				if err != nil || !reflect.DeepEqual(got, want[i]) {
					errs <- string(jobs[i].kind)
				}
			}
		}(w)
	}
	wg.Wait()
	close(errs)
	for k := range errs {
		t.Errorf("concurrent Validate(%s) differed from the serial answer", k)
	}
}

func BenchmarkValidateUser(b *testing.B) {
	body := readTestdata(b, "rfc7643-8.3-enterprise-user.json")
	if _, err := Validate(User, body); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Validate(User, body); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkValidateUserInvalid(b *testing.B) {
	body := applyEdits(b, readTestdata(b, "rfc7643-8.2-full-user.json"),
		set("/active", "true"), set("/emails/0/primary", "yes"), del("/id"))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Validate(User, body); err != nil {
			b.Fatal(err)
		}
	}
}
