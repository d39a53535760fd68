package site

import (
	"strings"
	"unicode/utf8"
)

// Clip shortens text to at most n bytes, at a word boundary where there is
// one in the second half, and marks the cut with an ellipsis. Runs of
// white space become one space. Meta descriptions, cards and search
// snippets use it.
func Clip(s string, n int) string {
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
