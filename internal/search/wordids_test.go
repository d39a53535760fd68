package search

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// TestWordIDsAgreesWithMap puts random words of every length class (up to
// eight bytes, longer, past maxTableWord) into a table and a map, and
// requires the same answers for words held and not held, across growth.
func TestWordIDsAgreesWithMap(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	letters := "abcdefghijklmnopqrstuvwxyz0123456789éß"
	word := func() string {
		n := 1 + r.IntN(12)
		switch r.IntN(20) {
		case 0:
			n = 9 + r.IntN(40)
		case 1:
			n = maxTableWord - 2 + r.IntN(5)
		}
		var b strings.Builder
		for b.Len() < n {
			i := r.IntN(len(letters))
			b.WriteString(strings.ToValidUTF8(letters[i:i+1], "x"))
		}
		return b.String()
	}
	var tab wordIDs
	want := map[string]int32{}
	for i := range 20000 {
		w := word()
		got, ok := tab.getWord([]byte(w))
		id, held := want[w]
		if held && len(w) <= maxTableWord && (!ok || got != id) {
			t.Fatalf("get(%q) = %d, %v; want %d", w, got, ok, id)
		}
		if ok && (!held || got != id) {
			t.Fatalf("get(%q) = %d, true; the word was never put with it", w, got)
		}
		if !ok {
			id := int32(i%500) - 1 // some -1: words not indexed
			if !tab.putWord([]byte(w), id) {
				t.Fatalf("put(%q) refused with %d words held", w, tab.n)
			}
			want[w] = id
		}
	}
	if tab.n < 5000 || 4*tab.n > 3*len(tab.slots) {
		t.Errorf("%d words in %d slots: the table did not grow as meant", tab.n, len(tab.slots))
	}
	// Words that share their first eight bytes, and the prefixes of a
	// long word, are different words.
	var small wordIDs
	similar := []string{"abcdefgh", "abcdefghi", "abcdefghij", "abcdefgh1", "abc", "abcdefghijklmnopq", "abcdefghijklmnopr"}
	for i, w := range similar {
		small.putWord([]byte(w), int32(i))
	}
	for i, w := range similar {
		if id, ok := small.getWord([]byte(w)); !ok || id != int32(i) {
			t.Errorf("get(%q) = %d, %v; want %d, true", w, id, ok, i)
		}
	}
	if _, ok := small.getWord([]byte("abcdefghijk")); ok {
		t.Errorf("get(abcdefghijk) found a word never put")
	}
}

// TestWordIDsFull: a table refuses words past its bounds, so that the
// counter can start again rather than grow without end.
func TestWordIDsFull(t *testing.T) {
	var tab wordIDs
	tab.putWord([]byte("latency"), 1)
	tab.n = wordIDsCap
	if tab.putWord([]byte("cache"), 2) {
		t.Errorf("put accepted a word past wordIDsCap")
	}
	tab.n = 1
	tab.rest = make([]byte, wordIDsArena-4)
	if tab.putWord([]byte("replication"), 3) {
		t.Errorf("put accepted a word past the arena's bound")
	}
	if id, ok := tab.getWord([]byte("latency")); !ok || id != 1 {
		t.Errorf("get(latency) = %d, %v after refusals; want 1, true", id, ok)
	}
}

// getWord is get for a word whose head and hash are not at hand.
func (t *wordIDs) getWord(w []byte) (int32, bool) {
	head := wordHead(w)
	return t.get(w, head, hashWord(w, head))
}

// putWord is put for a word whose head and hash are not at hand.
func (t *wordIDs) putWord(w []byte, id int32) bool {
	head := wordHead(w)
	return t.put(w, head, hashWord(w, head), id)
}
