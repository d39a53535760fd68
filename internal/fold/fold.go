// Package fold maps text to the plain lower-case ASCII form used for slugs,
// anchors and search terms: "Café Résumé" and "cafe resume" fold alike.
//
// Letters with diacritics from Latin-1 and Latin Extended-A fold to their
// base letter (ß to "ss", æ to "ae", œ to "oe", ø to "o"); other letters and
// digits are kept, lower-cased; everything else is a separator.
package fold

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// latin holds the folding of U+00C0 to U+017F, one entry per code point;
// "" keeps the rune (lower-cased).
var latin = [...]string{
	// U+00C0
	"a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
	"d", "n", "o", "o", "o", "o", "o", "", "o", "u", "u", "u", "u", "y", "th", "ss",
	"a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
	"d", "n", "o", "o", "o", "o", "o", "", "o", "u", "u", "u", "u", "y", "th", "y",
	// U+0100
	"a", "a", "a", "a", "a", "a", "c", "c", "c", "c", "c", "c", "c", "c", "d", "d",
	"d", "d", "e", "e", "e", "e", "e", "e", "e", "e", "e", "e", "g", "g", "g", "g",
	"g", "g", "g", "g", "h", "h", "h", "h", "i", "i", "i", "i", "i", "i", "i", "i",
	"i", "i", "ij", "ij", "j", "j", "k", "k", "k", "l", "l", "l", "l", "l", "l", "l",
	"l", "l", "l", "n", "n", "n", "n", "n", "n", "n", "n", "n", "o", "o", "o", "o",
	"o", "o", "oe", "oe", "r", "r", "r", "r", "r", "r", "s", "s", "s", "s", "s", "s",
	"s", "s", "t", "t", "t", "t", "t", "t", "u", "u", "u", "u", "u", "u", "u", "u",
	"u", "u", "u", "u", "w", "w", "y", "y", "y", "z", "z", "z", "z", "z", "z", "s",
}

// Rune appends the folded form of r to dst. It reports false when r is not a
// letter or digit (a separator).
func Rune(dst []byte, r rune) ([]byte, bool) {
	switch {
	case r < utf8.RuneSelf:
		switch {
		case 'a' <= r && r <= 'z', '0' <= r && r <= '9':
			return append(dst, byte(r)), true
		case 'A' <= r && r <= 'Z':
			return append(dst, byte(r+'a'-'A')), true
		}
		return dst, false
	case r >= 0xC0 && r <= 0x17F:
		if f := latin[r-0xC0]; f != "" {
			return append(dst, f...), true
		}
		return dst, false // × and ÷
	case r == 'ª':
		return append(dst, 'a'), true
	case r == 'º':
		return append(dst, 'o'), true
	case unicode.IsLetter(r) || unicode.IsDigit(r):
		if lower := unicode.ToLower(r); lower != r && lower >= 0xC0 && lower <= 0x17F {
			return Rune(dst, lower) // such as the Ångström sign, which lower-cases to å
		}
		if r == 'ẞ' {
			return append(dst, "ss"...), true
		}
		return utf8.AppendRune(dst, unicode.ToLower(r)), true
	case unicode.Is(unicode.Mn, r):
		// A combining mark (decomposed input) folds away with its accent.
		return dst, true
	}
	return dst, false
}

// Slug folds s and joins its words with single dashes: "What's new in
// Go 1.22?" becomes "whats-new-in-go-1-22". maxLen, when positive, cuts the
// result at a word boundary at or before that many bytes.
func Slug(s string, maxLen int) string {
	b := make([]byte, 0, len(s))
	dash := false
	for _, r := range s {
		if r == '\'' || r == '’' {
			continue // "don't" is one word
		}
		n := len(b)
		var ok bool
		b, ok = Rune(b, r)
		switch {
		case !ok:
			dash = len(b) > 0
		case dash && len(b) > n:
			b = append(b[:n], append([]byte{'-'}, b[n:]...)...)
			dash = false
		}
	}
	out := string(b)
	if maxLen > 0 && len(out) > maxLen {
		cut := strings.LastIndexByte(out[:maxLen+1], '-')
		if cut <= 0 {
			cut = maxLen
			for cut > 0 && !utf8.RuneStart(out[cut]) {
				cut--
			}
		}
		out = strings.TrimRight(out[:cut], "-")
	}
	return out
}
