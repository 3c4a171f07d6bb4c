package rfc

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"io"
	"strings"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/gomega"

	"github.com/scimconform/scimconform/runner/scimclient"
	"github.com/scimconform/scimconform/suites/framework"
)

// wrongClient is a client for the same target holding a random bearer
// token the target cannot know. It never carries the run's credential.
func wrongClient(f *framework.F) *scimclient.Client {
	ginkgo.GinkgoHelper()
	b := make([]byte, 16)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	c, err := scimclient.New(scimclient.Config{
		Target: f.Target, Token: "scimconform-wrong-" + hex.EncodeToString(b),
		Timeout: f.Config.Timeout, Insecure: f.Config.Insecure, Warn: io.Discard,
	})
	if err != nil {
		ginkgo.Fail("build a client with a wrong token: " + err.Error())
	}
	return c
}

// doWrong sends r with the wrong client, bounded by the run's timeout, and
// records the redacted exchange.
func doWrong(ctx context.Context, f *framework.F, c *scimclient.Client, r scimclient.Request) *scimclient.Exchange {
	timeout := f.Config.Timeout
	if timeout <= 0 {
		timeout = framework.DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, 2*timeout)
	defer cancel()
	x := c.Do(ctx, r)
	framework.RecordWith(c, x)
	return x
}

// unauthenticated sends r without any credential.
func unauthenticated(ctx context.Context, f *framework.F, r scimclient.Request) *scimclient.Exchange {
	r.NoAuth = true
	return f.Do(ctx, r)
}

// leaks lists where a response shows a secret the redactor knows: the
// redactor changes nothing that holds no secret. It cannot see a secret
// shorter than scimclient.MinSecretLen: the spec skips when there is one.
func leaks(red *scimclient.Redactor, x *scimclient.Exchange) []string {
	var out []string
	if body := string(x.RespBody); red.String(body) != body {
		out = append(out, "the response body of "+x.Method+" "+red.String(x.URL))
	}
	for name, vs := range x.RespHeader {
		for _, v := range vs {
			if red.String(v) != v {
				out = append(out, "the response header "+name+" of "+x.Method+" "+red.String(x.URL))
			}
		}
	}
	return out
}

var _ = framework.Describe("Authentication", labels(framework.LabelSecurity, framework.LabelRFC7644),
	func(f *framework.F) {
		listOne := func(name string) scimclient.Request {
			return scimclient.Request{Method: "GET", Path: "/Users", RawQuery: filterQuery("userName eq " + quote(name)).Encode()}
		}

		ginkgo.Context("GET /Users without credentials", func() {
			framework.It("returns 401", must,
				framework.Rule("RFC 7644 §2 and §3.12: a request without valid authorization is answered 401 Unauthorized"),
				func(ctx context.Context) {
					gomega.Expect(unauthenticated(ctx, f, listOne(f.Name("nobody")))).To(framework.HaveStatus(401))
				})
		})

		ginkgo.Context("GET /Users/{id} without credentials", func() {
			framework.It("returns 401 without the user", must,
				framework.Rule("RFC 7644 §2 and §7.4: resources are disclosed to authenticated clients only"),
				func(ctx context.Context) {
					body := f.UserBody(nil)
					id, _ := f.MakeUser(ctx, body)
					x := unauthenticated(ctx, f, scimclient.Request{Method: "GET", Path: userPath(id)})
					gomega.Expect(x).To(framework.HaveStatus(401))
					gomega.Expect(strings.Contains(string(x.RespBody), body["userName"].(string))).To(gomega.BeFalse(), "the 401 answer shows the user")
				})
		})

		ginkgo.Context("POST /Users without credentials", func() {
			framework.It("returns 401 and creates nothing", must,
				framework.Rule("RFC 7644 §2 and §3.12: an unauthorized request is refused before it has any effect"),
				func(ctx context.Context) {
					body := f.UserBody(nil)
					x := unauthenticated(ctx, f, scimclient.Request{Method: "POST", Path: "/Users", Body: framework.MustJSON(body)})
					trackIfCreated(f, "User", "/Users", x)
					gomega.Expect(x).To(framework.HaveStatus(401))
					// Had the refused POST created the user, this one would collide (409).
					again := send(ctx, f, "POST", "/Users", body)
					trackIfCreated(f, "User", "/Users", again)
					if again.Status == 409 {
						trackByUserName(ctx, f, body["userName"].(string))
					}
					gomega.Expect(again).To(framework.HaveStatus(200, 201), "the refused POST created the user")
				})
		})

		ginkgo.Context("GET /Users with a wrong bearer token", func() {
			framework.It("returns 401", must,
				framework.Rule("RFC 7644 §3.12: 401 Unauthorized — the authorization header is invalid or missing"),
				func(ctx context.Context) {
					gomega.Expect(doWrong(ctx, f, wrongClient(f), listOne(f.Name("nobody")))).To(framework.HaveStatus(401))
				})
		})

		ginkgo.Context("DELETE /Users/{id} with a wrong bearer token", func() {
			framework.It("returns 401 and keeps the user", must,
				framework.Rule("RFC 7644 §2 and §3.12: an unauthorized request is refused before it has any effect"),
				func(ctx context.Context) {
					id, _ := f.MakeUser(ctx, f.UserBody(nil))
					gomega.Expect(doWrong(ctx, f, wrongClient(f), scimclient.Request{Method: "DELETE", Path: userPath(id)})).To(framework.HaveStatus(401))
					gomega.Expect(settledGet(ctx, f, userPath(id), nil)).To(framework.HaveStatus(200), "the refused DELETE deleted the user")
				})
		})

		ginkgo.Context("a 401 answer", func() {
			framework.It("carries a WWW-Authenticate challenge", must,
				framework.Rule("RFC 7644 §2 defers to HTTP authentication: a 401 response MUST send WWW-Authenticate (RFC 9110 §15.5.2, RFC 6750 §3)"),
				func(ctx context.Context) {
					x := unauthenticated(ctx, f, listOne(f.Name("nobody")))
					gomega.Expect(x).To(framework.HaveStatus(401))
					gomega.Expect(x.RespHeader.Get("WWW-Authenticate")).NotTo(gomega.BeEmpty(), "no WWW-Authenticate header")
				})
		})

		ginkgo.Context("responses to authenticated and refused requests", func() {
			framework.It("never contain the token", must,
				framework.Rule("RFC 7644 §7.4 and RFC 6750 §5.3: bearer tokens are not disclosed; a service provider never echoes the credential"),
				func(ctx context.Context) {
					if unhidden := f.Client.Redactor().Unhidden(); len(unhidden) > 0 {
						ginkgo.Skip(strings.Join(unhidden, "; "))
					}
					body := f.UserBody(nil)
					id, created := f.MakeUser(ctx, body)
					own := []*scimclient.Exchange{
						created,
						get(ctx, f, userPath(id), nil),
						get(ctx, f, userPath(f.Name("no-such-user")), nil),
						raw(ctx, f, "POST", "/Users", malformedJSON, nil),
						get(ctx, f, "/"+f.Name("NoSuchEndpoint"), nil),
					}
					var found []string
					for _, x := range own {
						found = append(found, leaks(f.Client.Redactor(), x)...)
					}
					wrong := wrongClient(f)
					refused := doWrong(ctx, f, wrong, scimclient.Request{Method: "GET", Path: userPath(id)})
					found = append(found, leaks(wrong.Redactor(), refused)...)
					gomega.Expect(found).To(gomega.BeEmpty(), "the credential appears in these responses")
				})
		})
	})

// trackByUserName finds a user the target created although it should not
// have (so the spec could not learn its id) and registers it for cleanup.
func trackByUserName(ctx context.Context, f *framework.F, userName string) {
	if !f.Supports(framework.FeatureFilter) {
		return
	}
	x := get(ctx, f, "/Users", filterQuery("userName eq "+quote(userName)))
	if x.Status != 200 {
		return
	}
	for _, id := range values(x, "/id") {
		if id != "" {
			f.Track("User", userPath(id))
		}
	}
}
