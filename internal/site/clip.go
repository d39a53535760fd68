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
	s = strings.Join(strings.Fields(s), " ")
	if len(s) <= n {
		return s
	}
	cut := strings.LastIndexByte(s[:n], ' ')
	if cut < n/2 {
		cut = n
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
	}
	return strings.TrimRight(s[:cut], " ,.;:") + "…"
}
