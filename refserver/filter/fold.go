package filter

import (
	"unicode"
	"unicode/utf8"
)

// Case-insensitive string operations that, unlike strings.ToLower, allocate
// nothing: filters run once per stored resource. Runes are compared under
// Unicode simple case folding, the rule strings.EqualFold uses.

// hasPrefixFold reports whether s begins with prefix, ignoring case.
func hasPrefixFold(s, prefix string) bool {
	for prefix != "" {
		if s == "" {
			return false
		}
		if c, p := s[0], prefix[0]; c < utf8.RuneSelf && p < utf8.RuneSelf {
			if lowerASCII(c) != lowerASCII(p) {
				return false
			}
			s, prefix = s[1:], prefix[1:]
			continue
		}
		r1, n1 := utf8.DecodeRuneInString(s)
		r2, n2 := utf8.DecodeRuneInString(prefix)
		if !equalFoldRune(r1, r2) {
			return false
		}
		s, prefix = s[n1:], prefix[n2:]
	}
	return true
}

// hasSuffixFold reports whether s ends with suffix, ignoring case.
func hasSuffixFold(s, suffix string) bool {
	for suffix != "" {
		if s == "" {
			return false
		}
		if c, p := s[len(s)-1], suffix[len(suffix)-1]; c < utf8.RuneSelf && p < utf8.RuneSelf {
			if lowerASCII(c) != lowerASCII(p) {
				return false
			}
			s, suffix = s[:len(s)-1], suffix[:len(suffix)-1]
			continue
		}
		r1, n1 := utf8.DecodeLastRuneInString(s)
		r2, n2 := utf8.DecodeLastRuneInString(suffix)
		if !equalFoldRune(r1, r2) {
			return false
		}
		s, suffix = s[:len(s)-n1], suffix[:len(suffix)-n2]
	}
	return true
}

// containsFold reports whether sub occurs in s, ignoring case.
func containsFold(s, sub string) bool {
	if sub == "" {
		return true
	}
	for i := 0; i < len(s); {
		if hasPrefixFold(s[i:], sub) {
			return true
		}
		_, n := utf8.DecodeRuneInString(s[i:])
		i += n
	}
	return false
}

// compareFold orders a and b rune by rune after lower-casing each rune.
func compareFold(a, b string) int {
	for a != "" && b != "" {
		r1, n1 := rune(a[0]), 1
		if r1 >= utf8.RuneSelf {
			r1, n1 = utf8.DecodeRuneInString(a)
		}
		r2, n2 := rune(b[0]), 1
		if r2 >= utf8.RuneSelf {
			r2, n2 = utf8.DecodeRuneInString(b)
		}
		if l1, l2 := lowerRune(r1), lowerRune(r2); l1 != l2 {
			if l1 < l2 {
				return -1
			}
			return 1
		}
		a, b = a[n1:], b[n2:]
	}
	switch {
	case a == "" && b == "":
		return 0
	case a == "":
		return -1
	}
	return 1
}

func lowerASCII(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

func lowerRune(r rune) rune {
	if r < utf8.RuneSelf {
		return rune(lowerASCII(byte(r)))
	}
	return unicode.ToLower(r)
}

// equalFoldRune reports whether r1 and r2 are in the same simple case-folding
// orbit (e.g. 'k', 'K' and the Kelvin sign).
func equalFoldRune(r1, r2 rune) bool {
	if r1 == r2 {
		return true
	}
	for f := unicode.SimpleFold(r1); f != r1; f = unicode.SimpleFold(f) {
		if f == r2 {
			return true
		}
	}
	return false
}
