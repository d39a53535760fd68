package site

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/guide-build/guide/internal/swar"
)

// Clip shortens text to at most n bytes, at a word boundary where there is
// one in the second half, and marks the cut with an ellipsis. Runs of
// white space become one space. Meta descriptions, cards and search
// snippets use it.
func Clip(s string, n int) string {
	if spaced(s, n+1) {
		return cut(s, n)
	}
	// Only the first n+1 bytes of s with its spaces collapsed matter.
	var b strings.Builder
	for f := range strings.FieldsSeq(s) {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(f)
		if b.Len() > n {
			break
		}
	}
	return cut(b.String(), n)
}

// spaced reports whether the first n bytes of s have their white space
// collapsed already: single spaces between words, none at either end. Most
// text is, and is then cut as it stands.
func spaced(s string, n int) bool {
	if len(s) > 0 && s[0] == ' ' {
		return false
	}
	m := min(n, len(s))
	for i := 0; i < m; {
		// Eight bytes at a time while they are ASCII with no byte below
		// a space, so that a space is the only white space among them:
		// no two spaces in a row, and none last unless a word follows.
		if i+8 <= m && i+8 < len(s) {
			if x := swar.Load(s, i); x&swar.High == 0 && swar.Less(x, ' ') == 0 {
				sp := swar.Equal(x, ' ')
				if sp&(sp>>8) != 0 || sp>>56 != 0 && spaceAt(s, i+8) {
					return false
				}
				i += 8
				continue
			}
		}
		c := s[i]
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if unicode.IsSpace(r) {
				return false
			}
			i += size
			continue
		}
		// A space must have a word after it, even past the first n bytes:
		// "word \t" ends at "word".
		if c == ' ' && (i+1 == len(s) || spaceAt(s, i+1)) || c != ' ' && asciiSpace[c] {
			return false
		}
		i++
	}
	return true
}

// spaceAt reports whether s holds white space at i.
func spaceAt(s string, i int) bool {
	if s[i] < utf8.RuneSelf {
		return asciiSpace[s[i]]
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	return unicode.IsSpace(r)
}

// asciiSpace holds the ASCII bytes that strings.Fields splits at.
var asciiSpace = [utf8.RuneSelf]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}

// cut shortens s, whose white space is collapsed already, as Clip does.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	at := strings.LastIndexByte(s[:n], ' ')
	if at < n/2 {
		at = n
		for at > 0 && !utf8.RuneStart(s[at]) {
			at--
		}
	}
	return strings.TrimRight(s[:at], " ,.;:") + "…"
}
