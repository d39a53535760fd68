// Package cachefile is the layout of the files a build keeps for the next
// one (the roles cache, the saved search index): a line naming the kind of
// file, its format as a uvarint, the length of its head as a uvarint, the
// head, blocks of bytes that the head gives the lengths of, and a CRC-32C
// of everything before it, four bytes little-endian. Read checks the
// whole file before anything of it is trusted.
//
// Enc and Dec write and read the fields of a head.
package cachefile

import (
	"bufio"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"io"
	"math"
)

// ErrDamaged is returned for a file that is not as Write wrote it.
var ErrDamaged = errors.New("the cache file is damaged")

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// Write writes a file of the kind magic names, in format, with head, to
// w, then hands blocks a function that writes each block after it.
func Write(w io.Writer, magic string, format uint64, head []byte, blocks func(write func([]byte) error) error) error {
	crc := crc32.New(castagnoli)
	bw := bufio.NewWriterSize(io.MultiWriter(w, crc), 1<<20)
	bw.WriteString(magic)
	bw.Write(binary.AppendUvarint(nil, format))
	bw.Write(binary.AppendUvarint(nil, uint64(len(head))))
	bw.Write(head)
	if err := blocks(func(b []byte) error { _, err := bw.Write(b); return err }); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	_, err := w.Write(binary.LittleEndian.AppendUint32(nil, crc.Sum32()))
	return err
}

// Read checks the file of size bytes in r, of the kind magic names and in
// format, and returns its head and where its blocks start. The blocks end
// at size-4.
func Read(r io.ReaderAt, size int64, magic string, format uint64) (head []byte, blocks int64, err error) {
	if size < int64(len(magic))+4 {
		return nil, 0, ErrDamaged
	}
	crc := crc32.New(castagnoli)
	// In reads of a megabyte: a cache of 100 MB read 32 KB at a time took
	// 3,000 calls to the system.
	if _, err := io.CopyBuffer(crc, io.NewSectionReader(r, 0, size-4), make([]byte, min(size, 1<<20))); err != nil {
		return nil, 0, err
	}
	var tail [4]byte
	if _, err := r.ReadAt(tail[:], size-4); err != nil {
		return nil, 0, err
	}
	if binary.LittleEndian.Uint32(tail[:]) != crc.Sum32() {
		return nil, 0, ErrDamaged
	}
	br := bufio.NewReader(io.NewSectionReader(r, 0, size-4))
	m := make([]byte, len(magic))
	if _, err := io.ReadFull(br, m); err != nil || string(m) != magic {
		return nil, 0, ErrDamaged
	}
	if f, err := binary.ReadUvarint(br); err != nil || f != format {
		return nil, 0, ErrDamaged
	}
	n, err := binary.ReadUvarint(br)
	if err != nil || n > uint64(size) {
		return nil, 0, ErrDamaged
	}
	head = make([]byte, n)
	if _, err := io.ReadFull(br, head); err != nil {
		return nil, 0, ErrDamaged
	}
	blocks = int64(len(magic)) + int64(len(binary.AppendUvarint(nil, format))) + int64(len(binary.AppendUvarint(nil, n))) + int64(n)
	return head, blocks, nil
}

// Enc appends the fields of a head to B.
type Enc struct{ B []byte }

func (e *Enc) Uint(n uint64)   { e.B = binary.AppendUvarint(e.B, n) }
func (e *Enc) Int(n int64)     { e.B = binary.AppendVarint(e.B, n) }
func (e *Enc) Raw(b []byte)    { e.B = append(e.B, b...) }
func (e *Enc) Str(s string)    { e.Uint(uint64(len(s))); e.B = append(e.B, s...) }
func (e *Enc) Float(v float64) { e.B = binary.LittleEndian.AppendUint64(e.B, math.Float64bits(v)) }
func (e *Enc) Bool(v bool) {
	if v {
		e.Uint(1)
	} else {
		e.Uint(0)
	}
}

// Dec reads what Enc wrote. The first failure sticks: every later read
// gives zero values, and Err reports ErrDamaged.
type Dec struct {
	b   []byte
	err error
}

// NewDec returns a Dec of head.
func NewDec(head []byte) *Dec { return &Dec{b: head} }

// Err reports ErrDamaged once a read has failed.
func (d *Dec) Err() error { return d.err }

// Len is how many bytes of the head are left to read.
func (d *Dec) Len() int { return len(d.b) }

func (d *Dec) fail() { d.err, d.b = ErrDamaged, nil }

func (d *Dec) Uint() uint64 {
	n, k := binary.Uvarint(d.b)
	if k <= 0 {
		d.fail()
		return 0
	}
	d.b = d.b[k:]
	return n
}

func (d *Dec) Int() int64 {
	n, k := binary.Varint(d.b)
	if k <= 0 {
		d.fail()
		return 0
	}
	d.b = d.b[k:]
	return n
}

func (d *Dec) Float() float64 {
	return math.Float64frombits(binary.LittleEndian.Uint64(d.Raw(8)))
}

// Raw reads n bytes.
func (d *Dec) Raw(n int) []byte {
	if n < 0 || n > len(d.b) {
		d.fail()
		return make([]byte, max(n, 0))
	}
	b := d.b[:n]
	d.b = d.b[n:]
	return b
}

// Size reads a length of at most limit.
func (d *Dec) Size(limit int64) int {
	n := d.Uint()
	if n > uint64(max(limit, 0)) {
		d.fail()
		return 0
	}
	return int(n)
}

// Count reads a number of items, each at least min bytes of the head long.
func (d *Dec) Count(min int) int { return d.Size(int64(len(d.b) / min)) }

func (d *Dec) Str() string { return string(d.Raw(d.Count(1))) }

func (d *Dec) Bool() bool {
	switch d.Uint() {
	case 0:
		return false
	case 1:
		return true
	}
	d.fail()
	return false
}
