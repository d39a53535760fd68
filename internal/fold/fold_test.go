package fold

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestRuneFoldsLatinLetters(t *testing.T) {
	tests := []struct {
		r    rune
		want string
	}{
		{'a', "a"},
		{'z', "z"},
		{'A', "a"},
		{'Z', "z"},
		{'0', "0"},
		{'9', "9"},
		{'À', "a"},
		{'é', "e"},
		{'É', "e"},
		{'ç', "c"},
		{'ñ', "n"},
		{'ö', "o"},
		{'ø', "o"},
		{'Ø', "o"},
		{'ß', "ss"},
		{'æ', "ae"},
		{'Æ', "ae"},
		{'œ', "oe"},
		{'Œ', "oe"},
		{'þ', "th"},
		{'Þ', "th"},
		{'ð', "d"},
		{'ÿ', "y"},
		{'Ÿ', "y"},
		{'ı', "i"},
		{'İ', "i"},
		{'Ĳ', "ij"},
		{'ł', "l"},
		{'Ł', "l"},
		{'ſ', "s"},
		{'ž', "z"},
	}
	for _, tt := range tests {
		got, ok := Rune(nil, tt.r)
		if !ok || string(got) != tt.want {
			t.Errorf("Rune(%q) = %q, %v; want %q, true", tt.r, got, ok, tt.want)
		}
	}
}

func TestRuneKeepsOtherLettersLowerCased(t *testing.T) {
	tests := []struct {
		r    rune
		want string
	}{
		{'Ω', "ω"},
		{'ω', "ω"},
		{'Σ', "σ"},
		{'Ж', "ж"},
		{'日', "日"},
		{'ǅ', "ǆ"}, // a title-case digraph, just past Latin Extended-A
		{'٣', "٣"}, // ARABIC-INDIC DIGIT THREE
		{'K', "k"}, // KELVIN SIGN lower-cases to ASCII k
	}
	for _, tt := range tests {
		got, ok := Rune(nil, tt.r)
		if !ok || string(got) != tt.want {
			t.Errorf("Rune(%q) = %q, %v; want %q, true", tt.r, got, ok, tt.want)
		}
	}
}

func TestRuneReportsSeparators(t *testing.T) {
	for _, r := range []rune{' ', '-', '_', '.', '?', '\'', '&', '\t', '\n', 0, '×', '÷', '€', '—', '\u00a0', utf8.RuneError, '🙂'} {
		got, ok := Rune([]byte("x"), r)
		if ok || string(got) != "x" {
			t.Errorf("Rune(%q) = %q, %v; want %q, false", r, got, ok, "x")
		}
	}
}

func TestRuneDropsCombiningMarks(t *testing.T) {
	for _, r := range []rune{'\u0301', '\u0300', '\u0308', '\u0327', '\u030c'} {
		got, ok := Rune([]byte("e"), r)
		if !ok || string(got) != "e" {
			t.Errorf("Rune(%U) = %q, %v; want %q, true", r, got, ok, "e")
		}
	}
}

func TestRuneAppendsToDst(t *testing.T) {
	got, _ := Rune([]byte("ab"), 'ß')
	if string(got) != "abss" {
		t.Errorf("Rune(\"ab\", 'ß') = %q; want %q", got, "abss")
	}
}

// TestLatinTableCoversItsRange guards the table's length: one entry per code
// point from U+00C0 to U+017F.
func TestLatinTableCoversItsRange(t *testing.T) {
	if got, want := len(latin), 0x17F-0xC0+1; got != want {
		t.Errorf("len(latin) = %d; want %d", got, want)
	}
	for r := rune(0xC0); r <= 0x17F; r++ {
		got, ok := Rune(nil, r)
		if r == '×' || r == '÷' {
			if ok {
				t.Errorf("Rune(%q) = %q, true; want a separator", r, got)
			}
			continue
		}
		if !ok || len(got) == 0 {
			t.Errorf("Rune(%q) = %q, %v; want a folded letter", r, got, ok)
			continue
		}
		for _, b := range got {
			if b < 'a' || b > 'z' {
				t.Errorf("Rune(%q) = %q; want only a-z", r, got)
				break
			}
		}
	}
}

func TestSlugFoldsDiacritics(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Café Résumé", "cafe-resume"},
		{"cafe resume", "cafe-resume"},
		{"Crème Brûlée", "creme-brulee"},
		{"Ångström", "angstrom"},
		{"Łódź", "lodz"},
		{"Straße", "strasse"},
		{"Æsir", "aesir"},
		{"Œuvre", "oeuvre"},
		{"Søren Kierkegaard", "soren-kierkegaard"},
		{"Þórr", "thorr"},
		{"İstanbul", "istanbul"},
		{"IJssel", "ijssel"},
		{"Ĳssel", "ijssel"},
	}
	for _, tt := range tests {
		if got := Slug(tt.in, 0); got != tt.want {
			t.Errorf("Slug(%q, 0) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

func TestSlugFoldsCombiningMarks(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Cafe\u0301", "cafe"},
		{"Re\u0301sume\u0301", "resume"},
		{"e\u0301te\u0301 fini", "ete-fini"},
		{"\u0301leading", "leading"},
		{"a \u0301 b", "a-b"},
		{"n\u0303o\u0308", "no"},
	}
	for _, tt := range tests {
		if got := Slug(tt.in, 0); got != tt.want {
			t.Errorf("Slug(%q, 0) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

func TestSlugDropsApostrophes(t *testing.T) {
	tests := []struct{ in, want string }{
		{"don't", "dont"},
		{"Don’t panic", "dont-panic"},
		{"What's new in Go 1.22?", "whats-new-in-go-1-22"},
		{"rock 'n' roll", "rock-n-roll"},
		{"'quoted'", "quoted"},
		{"''", ""},
	}
	for _, tt := range tests {
		if got := Slug(tt.in, 0); got != tt.want {
			t.Errorf("Slug(%q, 0) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

func TestSlugCollapsesSeparators(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Product & Design", "product-design"},
		{"a  b", "a-b"},
		{"a -- b", "a-b"},
		{"a_b.c/d", "a-b-c-d"},
		{"  leading and trailing  ", "leading-and-trailing"},
		{"--a--", "a"},
		{"?!a?!", "a"},
		{"C++ / C#", "c-c"},
		{"tab\tand\nnewline", "tab-and-newline"},
		{"a×b÷c", "a-b-c"},
		{"emoji 🙂 here", "emoji-here"},
		{"", ""},
		{"   ", ""},
		{"!!!", ""},
		{"Go 1.22", "go-1-22"},
		{"ALLCAPS", "allcaps"},
	}
	for _, tt := range tests {
		if got := Slug(tt.in, 0); got != tt.want {
			t.Errorf("Slug(%q, 0) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

func TestSlugKeepsNonLatinLettersLowerCased(t *testing.T) {
	tests := []struct{ in, want string }{
		{"日本語", "日本語"},
		{"日本語 ガイド", "日本語-ガイド"},
		{"Ωmega Σ", "ωmega-σ"},
		{"Привет Мир", "привет-мир"},
		{"Café Ωmega", "cafe-ωmega"},
	}
	for _, tt := range tests {
		if got := Slug(tt.in, 0); got != tt.want {
			t.Errorf("Slug(%q, 0) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

func TestSlugCutsAtWordBoundary(t *testing.T) {
	tests := []struct {
		in     string
		maxLen int
		want   string
	}{
		{"hello world", 0, "hello-world"},
		{"hello world", -1, "hello-world"},
		{"hello world", 11, "hello-world"},
		{"hello world", 100, "hello-world"},
		{"hello world", 10, "hello"},
		{"hello world", 7, "hello"},
		{"hello world", 6, "hello"},
		{"hello world", 5, "hello"},
		{"one two three", 9, "one-two"},
		{"one two three", 8, "one-two"},
		{"one two three", 7, "one-two"},
		{"one two three", 6, "one"},
		{"élan vital", 4, "elan"},
		// With no boundary to cut at, the first word itself is cut.
		{"hello world", 3, "hel"},
		{"abcdef", 4, "abcd"},
		{"a-b", 1, "a"},
	}
	for _, tt := range tests {
		got := Slug(tt.in, tt.maxLen)
		if got != tt.want {
			t.Errorf("Slug(%q, %d) = %q; want %q", tt.in, tt.maxLen, got, tt.want)
		}
		if tt.maxLen > 0 && len(got) > tt.maxLen {
			t.Errorf("Slug(%q, %d) is %d bytes long; want at most %d", tt.in, tt.maxLen, len(got), tt.maxLen)
		}
	}
}

func TestSlugCutKeepsValidUTF8(t *testing.T) {
	tests := []struct {
		in     string
		maxLen int
		want   string
	}{
		{"日本語", 4, "日"},
		{"日本語", 5, "日"},
		{"日本語", 6, "日本"},
		{"ωωωω", 3, "ω"},
	}
	for _, tt := range tests {
		got := Slug(tt.in, tt.maxLen)
		if got != tt.want || !utf8.ValidString(got) {
			t.Errorf("Slug(%q, %d) = %q; want %q", tt.in, tt.maxLen, got, tt.want)
		}
	}
}

func TestSlugFoldsLettersThatLowerCaseIntoLatin1(t *testing.T) {
	tests := []struct{ in, want string }{
		{"\u212B", "a"},  // ANGSTROM SIGN, lower-cases to å
		{"\u1E9E", "ss"}, // LATIN CAPITAL LETTER SHARP S, lower-cases to ß
		{"\u212Bngstr", "angstr"},
	}
	for _, tt := range tests {
		if got := Slug(tt.in, 0); got != tt.want {
			t.Errorf("Slug(%q, 0) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

func TestSlugFoldsOrdinalIndicators(t *testing.T) {
	tests := []struct{ in, want string }{
		{"1ª edición", "1a-edicion"},
		{"Nº 5", "no-5"},
	}
	for _, tt := range tests {
		if got := Slug(tt.in, 0); got != tt.want {
			t.Errorf("Slug(%q, 0) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

func TestSlugIsIdempotent(t *testing.T) {
	for _, in := range []string{
		"Café Résumé", "don't stop", "What's new in Go 1.22?", "日本語 ガイド", "Ωmega Σ",
		"e\u0301te\u0301", "--a--b--", "Straße", "", "a b c d e f g", "K",
	} {
		once := Slug(in, 0)
		if twice := Slug(once, 0); twice != once {
			t.Errorf("Slug(Slug(%q, 0), 0) = %q; want %q", in, twice, once)
		}
	}
}

// isLatin reports whether every rune of s is ASCII or in the range
// U+00C0..U+017F (the letters of Latin-1 and Latin Extended-A) that Rune
// folds to ASCII. The Latin-1 letters before U+00C0 (ª, µ, º) are left out:
// see TestSlugFoldsOrdinalIndicators.
func isLatin(s string) bool {
	for _, r := range s {
		if r >= 0x80 && r < 0xC0 || r > 0x17F {
			return false
		}
	}
	return true
}

// lowersIntoTable reports whether s holds a rune outside the folding table
// whose lower case falls inside it; such runes are the subject of
// TestSlugFoldsLettersThatLowerCaseIntoLatin1.
func lowersIntoTable(s string) bool {
	for _, r := range s {
		if r > 0x17F {
			if l := unicode.ToLower(r); l >= 0xC0 && l <= 0x17F {
				return true
			}
		}
	}
	return false
}

func FuzzSlug(f *testing.F) {
	for _, s := range []string{
		"Café Résumé", "don't", "What's new in Go 1.22?", "Straße", "Æon", "e\u0301", "日本語",
		"Ωmega Σ", "--a--", "a×b", "\xff\xfe", "", " ", "Product & Design", "Site Reliability Engineer",
		"हिन्दी", "\u0301", "a\u0301-\u0301b",
	} {
		f.Add(s, 0)
		f.Add(s, 5)
	}
	f.Fuzz(func(t *testing.T, s string, maxLen int) {
		got := Slug(s, maxLen)
		if strings.HasPrefix(got, "-") || strings.HasSuffix(got, "-") {
			t.Errorf("Slug(%q, %d) = %q; want no leading or trailing dash", s, maxLen, got)
		}
		if strings.Contains(got, "--") {
			t.Errorf("Slug(%q, %d) = %q; want no double dash", s, maxLen, got)
		}
		if maxLen > 0 && len(got) > maxLen {
			t.Errorf("Slug(%q, %d) = %q (%d bytes); want at most %d bytes", s, maxLen, got, len(got), maxLen)
		}
		if isLatin(s) {
			for i := 0; i < len(got); i++ {
				if c := got[i]; !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-') {
					t.Fatalf("Slug(%q, %d) = %q; want only a-z, 0-9 and dashes for Latin input", s, maxLen, got)
				}
			}
		}
		// Beyond Latin, the properties below hold only for a whole slug (a
		// cut may split a rune, see TestSlugCutKeepsValidUTF8) and for text
		// with no rune that lower-cases into the folding table (see
		// TestSlugFoldsLettersThatLowerCaseIntoLatin1).
		if maxLen > 0 && !isLatin(s) || lowersIntoTable(s) {
			return
		}
		if !utf8.ValidString(got) {
			t.Errorf("Slug(%q, %d) = %q; want valid UTF-8", s, maxLen, got)
		}
		for _, r := range got {
			if r != '-' && !unicode.IsLetter(r) && !unicode.IsDigit(r) {
				t.Errorf("Slug(%q, %d) = %q; want only letters, digits and dashes, got %q", s, maxLen, got, r)
			}
			if unicode.ToLower(r) != r {
				t.Errorf("Slug(%q, %d) = %q; want every letter lower-cased, got %q", s, maxLen, got, r)
			}
		}
		if again := Slug(got, maxLen); again != got {
			t.Errorf("Slug(Slug(%q, %d), %d) = %q; want %q", s, maxLen, maxLen, again, got)
		}
	})
}
