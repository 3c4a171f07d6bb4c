// Package schemas holds JSON Schema (draft-07) documents for every SCIM 2.0
// message (RFC 7643, RFC 7644) and validates response and request bodies
// against them, reporting every violation with its JSON Pointer.
//
// The documents are strict where the RFCs say MUST (resource id, schemas and
// meta; ListResponse fields; Error status as a string; the type of every core
// attribute) and tolerant of extension attributes and unknown extension URNs.
package schemas
