package site

import (
	"encoding/binary"
	"fmt"
)

// QuestionRef is a question as a category page lists it: as plain text, since
// it sits inside a link.
type QuestionRef struct {
	ID   string // anchor on the role page, "q-..."
	Text string
}

// Refs is a role's questions as the category pages list them, by category,
// packed into one Block. Category pages are rendered after every
// role, so a build keeps the Refs of every role until the end: packed, they
// cost a third of what strings in slices would, and a build can move them
// out of memory altogether (see Move).
//
// The block holds, for each category in turn, each of its questions as a
// uvarint length and the bytes of the ID, then the same for the text.
type Refs struct {
	counts []uint32 // questions in each category
	Block
}

// packRefs packs a role's questions, by category.
func packRefs(byCat [][]*Question) Refs {
	r := Refs{counts: make([]uint32, len(byCat))}
	size := 0
	for _, qs := range byCat {
		for _, q := range qs {
			size += len(q.ID) + len(q.Text) + 2*binary.MaxVarintLen64
		}
	}
	data := make([]byte, 0, size)
	for i, qs := range byCat {
		r.counts[i] = uint32(len(qs))
		for _, q := range qs {
			data = binary.AppendUvarint(data, uint64(len(q.ID)))
			data = append(data, q.ID...)
			data = binary.AppendUvarint(data, uint64(len(q.Text)))
			data = append(data, q.Text...)
		}
	}
	r.Block = Block{data: data[:len(data):len(data)], size: len(data)}
	return r
}

// NewRefs returns the Refs whose Counts are counts and whose block is b, as
// an earlier build's Refs gave them.
func NewRefs(counts []uint32, b Block) Refs {
	return Refs{counts: counts, Block: b}
}

// Counts returns how many questions each category has.
func (r Refs) Counts() []uint32 { return r.counts }

// Count returns how many questions of category cat the role has.
func (r Refs) Count(cat int) int {
	if cat < 0 || cat >= len(r.counts) {
		return 0
	}
	return int(r.counts[cat])
}

// In returns the role's questions of category cat, in page order. It fails
// only when the store they were moved to cannot give them back.
func (r Refs) In(cat int) ([]QuestionRef, error) {
	n := r.Count(cat)
	if n == 0 {
		return nil, nil
	}
	data, err := r.Bytes(nil)
	if err != nil {
		return nil, fmt.Errorf("reading back a role's questions: %w", err)
	}
	skip := 0
	for _, c := range r.counts[:cat] {
		skip += int(c)
	}
	out := make([]QuestionRef, 0, n)
	for i := 0; i < skip+n; i++ {
		id, rest, ok := field(data)
		if !ok {
			return nil, errCorrupt
		}
		text, rest, ok := field(rest)
		if !ok {
			return nil, errCorrupt
		}
		data = rest
		if i >= skip {
			out = append(out, QuestionRef{ID: string(id), Text: string(text)})
		}
	}
	return out, nil
}

var errCorrupt = fmt.Errorf("%w: a role's questions came back damaged", ErrStore)

// field cuts one length-prefixed field off b.
func field(b []byte) (f, rest []byte, ok bool) {
	n, k := binary.Uvarint(b)
	if k <= 0 || n > uint64(len(b)-k) {
		return nil, nil, false
	}
	return b[k : k+int(n)], b[k+int(n):], true
}

// Move hands the packed block to s and returns Refs that read it from there,
// leaving only the counts in memory. Refs already moved or empty, or that s
// fails to keep, are returned as they are.
func (r Refs) Move(s Store) Refs {
	r.Block = r.Block.move(s)
	return r
}
