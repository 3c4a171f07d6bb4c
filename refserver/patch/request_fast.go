package patch

import (
	"bytes"
	"encoding/json"
	"strings"
	"unicode/utf8"
)

// parseFast parses a well-formed PatchOp body in one validation pass and
// a walk over the raw members, instead of decoding each level into maps
// of raw messages. It gives exactly what parseSlow gives; ok is false for
// anything that would be an error or needs its care (escaped member names,
// members repeated in another case), and parseSlow then decides and words
// the error.
func parseFast(body []byte) (_ []Operation, ok bool) {
	if !json.Valid(body) {
		return nil, false
	}
	top, ok := rawMembers(body)
	if !ok {
		return nil, false
	}
	schemas, found, ok := uniqueMember(top, "schemas")
	if !ok || !found || !hasPatchURN(schemas) {
		return nil, false
	}
	rawOps, found, ok := uniqueMember(top, "Operations")
	if !ok || !found {
		return nil, false
	}
	items, ok := rawElements(rawOps)
	if !ok {
		return nil, false
	}
	ops := make([]Operation, 0, len(items))
	for _, item := range items {
		op, ok := fastOperation(item)
		if !ok {
			return nil, false
		}
		ops = append(ops, op)
	}
	return ops, true
}

// fastOperation is parseOperation for an element that needs no error.
func fastOperation(item []byte) (Operation, bool) {
	var op Operation
	m, ok := rawMembers(item)
	if !ok {
		return op, false
	}
	rawOp, found, ok := uniqueMember(m, "op")
	if !ok || !found {
		return op, false
	}
	name, ok := rawString(rawOp)
	if !ok {
		return op, false
	}
	op.Op = strings.ToLower(name)
	if op.Op != opAdd && op.Op != opReplace && op.Op != opRemove {
		return op, false
	}
	rawPath, found, ok := uniqueMember(m, "path")
	if !ok {
		return op, false
	}
	if found && !isNull(rawPath) {
		if op.Path, ok = rawString(rawPath); !ok {
			return op, false
		}
	}
	rawValue, found, ok := uniqueMember(m, "value")
	if !ok {
		return op, false
	}
	if found && !isNull(rawValue) {
		op.Value = bytes.Clone(rawValue)
	}
	if (op.Op == opRemove && op.Path == "") || (op.Op != opRemove && op.Value == nil) {
		return op, false
	}
	return op, true
}

// hasPatchURN reports whether raw is an array of strings holding PatchOpURN.
func hasPatchURN(raw []byte) bool {
	urns, ok := rawElements(raw)
	if !ok {
		return false
	}
	has := false
	for _, u := range urns {
		s, ok := rawString(u)
		if !ok {
			return false
		}
		has = has || strings.EqualFold(s, PatchOpURN)
	}
	return has
}

// rawMember is one member of a JSON object, its value as raw bytes.
type rawMember struct {
	name string
	raw  []byte
}

// uniqueMember finds the member called name in any case; ok is false when
// more than one member matches.
func uniqueMember(ms []rawMember, name string) (raw []byte, found, ok bool) {
	for _, m := range ms {
		if strings.EqualFold(m.name, name) {
			if found {
				return nil, false, false
			}
			raw, found = m.raw, true
		}
	}
	return raw, found, true
}

// rawString decodes a JSON string value; encoding/json handles escapes and
// invalid UTF-8 (which it replaces).
func rawString(raw []byte) (string, bool) {
	if len(raw) < 2 || raw[0] != '"' {
		return "", false
	}
	if bytes.IndexByte(raw, '\\') < 0 && utf8.Valid(raw) {
		return string(raw[1 : len(raw)-1]), true
	}
	var s string
	return s, json.Unmarshal(raw, &s) == nil
}

// rawMembers splits valid JSON that is an object into its members; ok is
// false for other values and for names with escapes.
func rawMembers(b []byte) ([]rawMember, bool) {
	i := skipSpace(b, 0)
	if i >= len(b) || b[i] != '{' {
		return nil, false
	}
	var ms []rawMember
	i = skipSpace(b, i+1)
	if i < len(b) && b[i] == '}' {
		return ms, true
	}
	for i < len(b) {
		end := i + 1
		for end < len(b) && b[end] != '"' {
			if b[end] == '\\' {
				return nil, false
			}
			end++
		}
		if !utf8.Valid(b[i+1 : end]) {
			return nil, false // encoding/json would replace the bad bytes
		}
		name := string(b[i+1 : end])
		i = skipSpace(b, end+1)
		if i >= len(b) || b[i] != ':' {
			return nil, false
		}
		start := skipSpace(b, i+1)
		vend := skipRaw(b, start)
		ms = append(ms, rawMember{name, b[start:vend]})
		i = skipSpace(b, vend)
		if i >= len(b) {
			return nil, false
		}
		if b[i] == '}' {
			return ms, true
		}
		i = skipSpace(b, i+1) // ','
	}
	return nil, false
}

// rawElements splits valid JSON that is an array into its elements.
func rawElements(b []byte) ([][]byte, bool) {
	i := skipSpace(b, 0)
	if i >= len(b) || b[i] != '[' {
		return nil, false
	}
	var els [][]byte
	i = skipSpace(b, i+1)
	if i < len(b) && b[i] == ']' {
		return els, true
	}
	for i < len(b) {
		end := skipRaw(b, i)
		els = append(els, b[i:end])
		i = skipSpace(b, end)
		if i >= len(b) {
			return nil, false
		}
		if b[i] == ']' {
			return els, true
		}
		i = skipSpace(b, i+1) // ','
	}
	return nil, false
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// skipRaw returns the end of the valid JSON value starting at i.
func skipRaw(b []byte, i int) int {
	if i >= len(b) {
		return i
	}
	switch b[i] {
	case '"':
		return skipString(b, i)
	case '{', '[':
		depth := 0
		for i < len(b) {
			switch b[i] {
			case '"':
				i = skipString(b, i)
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1
				}
			}
			i++
		}
		return i
	}
	for i < len(b) && !strings.ContainsRune(",}] \t\r\n", rune(b[i])) {
		i++
	}
	return i
}

// skipString returns the end of the string starting at its quote at i.
func skipString(b []byte, i int) int {
	for i++; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return i
}
