package search

import (
	"bytes"
	"encoding/binary"
	"math/bits"
)

// wordIDs maps the words a counter has seen to their term ids: the lookup
// that every word of a guide goes through. It is a hash table with open
// addressing, where a slot holds a word's first eight bytes, so that most
// English words are compared as one integer, without following a pointer
// as a map[string] does; the bytes of longer words past the eighth wait in
// one arena. A build of 10,000 roles looks up some 14 million words, and a
// Go map took three times as long.
type wordIDs struct {
	slots []wordSlot
	rest  []byte // bytes past the eighth of words longer than eight
	n     int    // words held
}

type wordSlot struct {
	head uint64 // the first eight bytes, little-endian, zero-padded
	id   int32  // the term id, or -1 for a word not indexed
	meta uint32 // the word's length in the low byte (0: empty slot), where its rest starts in the arena above
}

// maxTableWord is the longest word the table holds; longer words, rare and
// never indexed (see maxWord), are looked up the slow way every time.
const maxTableWord = 255

// wordIDsCap bounds a table's words and arena, past which it starts again
// empty: a guide of very many distinct words (hashes, codes) must not grow
// a counter without bound.
const (
	wordIDsCap   = 1 << 17
	wordIDsArena = 1 << 24
)

// get returns the id held for w, if any. head and h are w's wordHead and
// hashWord.
func (t *wordIDs) get(w []byte, head, h uint64) (int32, bool) {
	if len(t.slots) == 0 || len(w) > maxTableWord {
		return 0, false
	}
	mask := uint64(len(t.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		s := &t.slots[i]
		if s.meta&0xff == 0 {
			return 0, false
		}
		if t.holds(s, w, head) {
			return s.id, true
		}
	}
}

// holds reports whether slot s, of this table, holds word w, whose
// wordHead is head. An empty slot holds no word.
func (t *wordIDs) holds(s *wordSlot, w []byte, head uint64) bool {
	n := int(s.meta & 0xff)
	return s.head == head && n == len(w) && n > 0 && (n <= 8 || bytes.Equal(t.rest[s.meta>>8:int(s.meta>>8)+n-8], w[8:]))
}

// put holds id for w, which get did not find; head and h are as for get.
// It reports false when the table is full (see wordIDsCap) and must be
// started again.
func (t *wordIDs) put(w []byte, head, h uint64, id int32) bool {
	if len(w) > maxTableWord {
		return true // not held: see maxTableWord
	}
	if t.n >= wordIDsCap || len(t.rest)+len(w) > wordIDsArena {
		return false
	}
	// Up to three slots in four are filled: the words of a large guide
	// then take 2 MB rather than 4, which a build's other work, on the
	// other core, pushes out of the cache less often.
	if 4*(t.n+1) > 3*len(t.slots) {
		t.grow()
	}
	meta := uint32(len(w))
	if len(w) > 8 {
		meta |= uint32(len(t.rest)) << 8
		t.rest = append(t.rest, w[8:]...)
	}
	t.insert(wordSlot{head: head, id: id, meta: meta}, h)
	t.n++
	return true
}

func (t *wordIDs) insert(s wordSlot, h uint64) {
	mask := uint64(len(t.slots) - 1)
	i := h & mask
	for t.slots[i].meta&0xff != 0 {
		i = (i + 1) & mask
	}
	t.slots[i] = s
}

func (t *wordIDs) grow() {
	old := t.slots
	t.slots = make([]wordSlot, max(1024, 2*len(old)))
	for _, s := range old {
		if n := int(s.meta & 0xff); n > 0 {
			w := binary.LittleEndian.AppendUint64(nil, s.head)[:min(n, 8)]
			if n > 8 {
				w = append(w, t.rest[s.meta>>8:int(s.meta>>8)+n-8]...)
			}
			t.insert(s, hashWord(w, s.head))
		}
	}
}

// wordHead returns w's first eight bytes as a number, little-endian and
// zero-padded. Words hold no zero bytes, so the padding cannot make two
// words equal.
func wordHead(w []byte) uint64 {
	if len(w) >= 8 {
		return binary.LittleEndian.Uint64(w)
	}
	var head uint64
	for i := len(w) - 1; i >= 0; i-- {
		head = head<<8 | uint64(w[i])
	}
	return head
}

// hashWord returns a hash of w, whose wordHead is head.
func hashWord(w []byte, head uint64) uint64 {
	const k = 0x9e3779b97f4a7c15
	h := (head ^ uint64(len(w))) * k
	for w = w[min(len(w), 8):]; len(w) >= 8; w = w[8:] {
		h = (bits.RotateLeft64(h, 29) ^ binary.LittleEndian.Uint64(w)) * k
	}
	if len(w) > 0 {
		h = (bits.RotateLeft64(h, 29) ^ wordHead(w)) * k // the last bytes, zero-padded as a head is
	}
	return h ^ h>>32
}
