package patch

import (
	"errors"
	"net/http"
	"testing"

	"github.com/scimconform/scimconform/refserver/schema"
	"github.com/scimconform/scimconform/refserver/scimerr"
)

// TestApplyRejects checks the status and scimType of every kind of refusal.
func TestApplyRejects(t *testing.T) {
	t.Parallel()
	g := schema.GroupType
	userWithEmail := `{"schemas":["$U"],"id":"u1","userName":"bjensen","emails":[{"value":"a@example.com","type":"work"}]}`
	runCases(t, []applyCase{
		{name: "replace id", doc: user0, body: `[{"op":"replace","path":"id","value":"other"}]`,
			err: scimerr.Mutability, errMatch: `operation 1 (replace "id"): attribute id is readOnly`},
		{name: "path-less id", doc: user0, body: `[{"op":"replace","value":{"displayName":"x","id":"other"}}]`,
			err: scimerr.Mutability, errMatch: "attribute id is readOnly"},
		{name: "meta sub-attribute", doc: user0, body: `[{"op":"add","path":"meta.version","value":"W/\"9\""}]`,
			err: scimerr.Mutability, errMatch: "meta is readOnly"},
		{name: "remove meta", doc: user0, body: `[{"op":"remove","path":"meta"}]`,
			err: scimerr.Mutability, errMatch: "meta is readOnly"},
		{name: "derived groups", doc: user0, body: `[{"op":"add","path":"groups","value":[{"value":"g1"}]}]`,
			err: scimerr.Mutability, errMatch: "groups is readOnly"},
		{name: "path-less groups", doc: user0, body: `[{"op":"add","value":{"groups":[{"value":"g1"}]}}]`,
			err: scimerr.Mutability, errMatch: "groups is readOnly"},
		{name: "members display", rt: g, doc: groupAB, body: `[{"op":"replace","path":"members[value eq \"a\"].display","value":"A"}]`,
			err: scimerr.Mutability, errMatch: "members.display is readOnly"},
		{name: "path-less members.display", rt: g, doc: groupAB, body: `[{"op":"replace","value":{"members.display":"A"}}]`,
			err: scimerr.Mutability, errMatch: "members.display is readOnly"},
		{name: "manager displayName", doc: user0, body: `[{"op":"add","path":"$E:manager.displayName","value":"Boss"}]`,
			err: scimerr.Mutability, errMatch: "manager.displayName is readOnly"},
		{name: "change an immutable member value", rt: g, doc: groupAB, body: `[{"op":"replace","path":"members[value eq \"a\"].value","value":"z"}]`,
			err: scimerr.Mutability, errMatch: "value is immutable"},
		{name: "merge over an immutable member value", rt: g, doc: groupAB, body: `[{"op":"replace","path":"members[value eq \"a\"]","value":{"value":"z"}}]`,
			err: scimerr.Mutability, errMatch: "value is immutable"},
		{name: "remove immutable member values", rt: g, doc: groupAB, body: `[{"op":"remove","path":"members.value"}]`,
			err: scimerr.Mutability, errMatch: "value is immutable"},
		{name: "malformed path", doc: user0, body: `[{"op":"replace","path":"emails[type eq \"work\"","value":"x"}]`,
			err: scimerr.InvalidPath, errMatch: `expected "]"`},
		{name: "unknown attribute", doc: user0, body: `[{"op":"add","path":"favouriteColour","value":"blue"}]`,
			err: scimerr.InvalidPath, errMatch: `unknown attribute "favouriteColour"`},
		{name: "unknown sub-attribute", doc: user0, body: `[{"op":"replace","path":"name.nickName","value":"x"}]`,
			err: scimerr.InvalidPath, errMatch: `no sub-attribute "nickName"`},
		{name: "unknown extension", doc: user0, body: `[{"op":"add","path":"urn:example:ext:1.0:User:x","value":"blue"}]`,
			err: scimerr.InvalidPath, errMatch: "unknown schema"},
		{name: "remove with an unknown attribute", doc: user0, body: `[{"op":"remove","path":"nosuch"}]`,
			err: scimerr.InvalidPath, errMatch: "nosuch"},
		{name: "value filter on a single-valued attribute", doc: user0, body: `[{"op":"replace","path":"name[givenName eq \"x\"].familyName","value":"y"}]`,
			err: scimerr.InvalidPath, errMatch: "name is single-valued"},
		{name: "value filter naming an unknown sub-attribute", doc: userWithEmail, body: `[{"op":"remove","path":"emails[colour eq \"red\"]"}]`,
			err: scimerr.InvalidPath, errMatch: "colour"},
		{name: "remove the core schema", doc: user0, body: `[{"op":"remove","path":"$U"}]`,
			err: scimerr.InvalidPath, errMatch: "core schema"},
		{name: "remove an absent member", rt: g, doc: groupAB, body: `[{"op":"remove","path":"members[value eq \"zzz\"]"}]`,
			err: scimerr.NoTarget, errMatch: "no value of members matches"},
		{name: "remove from an absent attribute by filter", doc: user0, body: `[{"op":"remove","path":"emails[type eq \"work\"]"}]`,
			err: scimerr.NoTarget, errMatch: "no value of emails matches"},
		{name: "sub-attribute under a non-equality filter", doc: userWithEmail, body: `[{"op":"replace","path":"emails[value co \"zzz\"].display","value":"x"}]`,
			err: scimerr.NoTarget, errMatch: "no value of emails matches"},
		{name: "sub-attribute under an or filter", doc: user0, body: `[{"op":"add","path":"emails[type eq \"work\" or type eq \"home\"].value","value":"x@example.com"}]`,
			err: scimerr.NoTarget, errMatch: "no value of emails matches"},
		{name: "whole element with no match", doc: userWithEmail, body: `[{"op":"replace","path":"emails[type eq \"home\"]","value":{"value":"h@example.com"}}]`,
			err: scimerr.NoTarget, errMatch: "no value of emails matches"},
		{name: "boolean that is not one", doc: user0, body: `[{"op":"replace","path":"active","value":"maybe"}]`,
			err: scimerr.InvalidValue, errMatch: "active"},
		{name: "number for a string", doc: user0, body: `[{"op":"replace","path":"userName","value":5}]`,
			err: scimerr.InvalidValue, errMatch: "userName"},
		{name: "wrong sub-attribute type", doc: userWithEmail, body: `[{"op":"replace","path":"emails[type eq \"work\"].primary","value":"sometimes"}]`,
			err: scimerr.InvalidValue, errMatch: "primary"},
		{name: "two managers", doc: user0, body: `[{"op":"add","path":"manager","value":[{"value":"m1"},{"value":"m2"}]}]`,
			err: scimerr.InvalidValue, errMatch: "manager is single-valued but 2 values were given"},
		{name: "path-less value that is not an object", doc: user0, body: `[{"op":"add","value":"Babs"}]`,
			err: scimerr.InvalidValue, errMatch: "needs an object of attributes"},
		{name: "extension URN path with a non-object", doc: user0, body: `[{"op":"add","path":"$E","value":"x"}]`,
			err: scimerr.InvalidValue, errMatch: "must be an object"},
		{name: "the failing operation is named", doc: user0, body: `[{"op":"add","path":"title","value":"x"},{"op":"add","path":"nosuch","value":"x"}]`,
			err: scimerr.InvalidPath, errMatch: `operation 2 (add "nosuch")`},
	})
}

// TestApplyIsNotAtomicByItself documents the contract: Apply stops at the
// first failing operation and leaves earlier changes in doc, which the
// caller must discard (it patches a copy).
func TestApplyIsNotAtomicByItself(t *testing.T) {
	t.Parallel()
	doc := decodeDoc(t, `{"schemas":["$U"],"id":"u1","userName":"bjensen","displayName":"Babs"}`)
	ops, err := ParseRequest([]byte(expand(`{"schemas":["$P"],"Operations":[` +
		`{"op":"replace","path":"displayName","value":"Changed"},` +
		`{"op":"replace","path":"id","value":"stolen"},` +
		`{"op":"replace","path":"title","value":"Never applied"}]}`)))
	if err != nil {
		t.Fatalf("ParseRequest: %v", err)
	}
	err = Apply(schema.UserType, doc, ops)
	assertSCIMError(t, err, scimerr.Mutability, "operation 2")
	if doc["displayName"] != "Changed" {
		t.Errorf("displayName = %v: the first operation should have been applied before the failure", doc["displayName"])
	}
	if doc["id"] != "u1" {
		t.Errorf("id = %v, want it untouched", doc["id"])
	}
	if _, ok := doc["title"]; ok {
		t.Errorf("title was set: operations after the failing one must not run")
	}
}

// TestApplyChecksHandBuiltOperations covers operations that did not come
// from ParseRequest: Apply re-checks what it relies on.
func TestApplyChecksHandBuiltOperations(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		op       Operation
		scimType string
		detail   string
	}{
		{"unknown op", Operation{Op: "Add", Path: "title", Value: []byte(`"x"`)}, scimerr.InvalidSyntax, `unknown op "Add"`},
		{"add without value", Operation{Op: "add", Path: "title"}, scimerr.InvalidSyntax, "add requires a value"},
		{"replace with null", Operation{Op: "replace", Path: "title", Value: []byte(`null`)}, scimerr.InvalidSyntax, "replace requires a value"},
		{"remove without path", Operation{Op: "remove"}, scimerr.NoTarget, "remove requires a path"},
		{"value not JSON", Operation{Op: "add", Path: "title", Value: []byte(`{`)}, scimerr.InvalidSyntax, "value is not valid JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			doc := decodeDoc(t, user0)
			err := Apply(schema.UserType, doc, []Operation{tt.op})
			assertSCIMError(t, err, tt.scimType, tt.detail)
		})
	}
}

func TestApplyWithoutDocumentIsAnInternalError(t *testing.T) {
	t.Parallel()
	err := Apply(schema.UserType, nil, nil)
	var se *scimerr.Error
	if !errors.As(err, &se) || se.Status != http.StatusInternalServerError {
		t.Fatalf("Apply(nil doc) = %v, want a 500 *scimerr.Error", err)
	}
}
