package search

import (
	"encoding/json"
	"slices"
	"strconv"
	"unicode/utf8"

	"github.com/guide-build/guide/internal/swar"
)

// The role files and term shards are most of the search files a build
// writes (two for every role), and encoding/json spent more time finding
// its way through their types by reflection than writing them. They are
// written here by hand instead, byte for byte as encoding/json would (a
// test holds the two together), which takes a third of the time.

// appendString appends s as a JSON string, as encoding/json writes it: <, >
// and & escaped for HTML, U+2028 and U+2029 escaped, invalid UTF-8
// replaced. Text without anything to escape, almost all of it, is copied
// as it is; the rest goes through encoding/json. Text is looked at eight
// bytes at a time while they are plain ASCII (see plain8).
func appendString(b []byte, s string) []byte {
	for i := 0; i < len(s); {
		if i+8 <= len(s) && plain8(swar.Load(s, i)) {
			i += 8
			continue
		}
		c := s[i]
		if plainJSON[c] {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			return appendMarshalled(b, s)
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || r == '\u2028' || r == '\u2029' {
			return appendMarshalled(b, s)
		}
		i += size
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// plainJSON holds the ASCII bytes that encoding/json writes as they are;
// bytes of multi-byte characters are not in it.
var plainJSON = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\' && c != '<' && c != '>' && c != '&'
	}
	return t
}()

// plain8 reports whether the eight bytes of x are all in plainJSON: ASCII,
// none below a space, and none of " \ < > &. Or-ing 0x02 into a byte
// makes both < (0x3c) and > (0x3e) 0x3e, and nothing else; or-ing 0x04
// makes both " (0x22) and & (0x26) 0x26.
func plain8(x uint64) bool {
	if x&swar.High != 0 {
		return false
	}
	return swar.Less(x, ' ')|swar.Equal(x|0x02*swar.Ones, '>')|swar.Equal(x|0x04*swar.Ones, '&')|swar.Equal(x, '\\') == 0
}

func appendMarshalled(b []byte, s string) []byte {
	m, _ := json.Marshal(s) // a string always marshals
	return append(b, m...)
}

func appendStrings(b []byte, ss []string) []byte { return appendList(b, ss, appendString) }

func appendInts(b []byte, ns []int) []byte {
	return appendList(b, ns, func(b []byte, n int) []byte { return strconv.AppendInt(b, int64(n), 10) })
}

// appendList appends xs as a JSON array, each element as one appends it.
func appendList[T any](b []byte, xs []T, one func([]byte, T) []byte) []byte {
	b = append(b, '[')
	for i, x := range xs {
		if i > 0 {
			b = append(b, ',')
		}
		b = one(b, x)
	}
	return append(b, ']')
}

// appendJSON appends the role file's payload: {"t":title,"u":slug,"d":dept,
// "k":{kind:[[anchor,text,note],...],...}}, with the kinds that have
// documents, in the order encoding/json gives a map's keys (as strings).
func (f *roleFile) appendJSON(b []byte) []byte {
	b = append(b, `{"t":`...)
	b = appendString(b, f.Title)
	b = append(b, `,"u":`...)
	b = appendString(b, f.Slug)
	b = append(b, `,"d":`...)
	b = strconv.AppendInt(b, int64(f.Dept), 10)
	b = append(b, `,"k":{`...)
	var kinds []string
	for k, docs := range f.Kinds {
		if len(docs) > 0 {
			kinds = append(kinds, strconv.Itoa(k))
		}
	}
	slices.Sort(kinds)
	for i, key := range kinds {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '"')
		b = append(b, key...)
		b = append(b, `":`...)
		k, _ := strconv.Atoi(key)
		b = appendList(b, f.Kinds[k], appendStrings)
	}
	return append(b, "}}"...)
}

// appendJSON appends the shard's payload, as encoding/json writes the
// shard type.
func (sh *shard) appendJSON(b []byte) []byte {
	b = append(b, `{"t":`...)
	b = appendStrings(b, sh.Terms)
	b = append(b, `,"f":`...)
	b = appendInts(b, sh.DF)
	b = append(b, `,"x":`...)
	b = appendList(b, sh.Max, appendInts)
	b = append(b, `,"p":`...)
	b = appendStrings(b, sh.First)
	return append(b, '}')
}
