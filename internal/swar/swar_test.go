package swar

import (
	"encoding/binary"
	"testing"
)

// TestMasksMatchBytes holds each test to the same test on single bytes:
// every ASCII byte in every place, beside bytes of every kind, for the
// bounds the build uses and their neighbours.
func TestMasksMatchBytes(t *testing.T) {
	fill := []byte{0, 1, ' ', '"', 'a', 'Z', 0x7e, 0x7f}
	bounds := []byte{0, 1, 0x1f, 0x20, 0x21, '0', '9', 'a', 'z', 0x7e, 0x7f}
	mask := func(b [8]byte, test func(byte) bool) (m uint64) {
		for i, c := range b {
			if test(c) {
				m |= 0x80 << (8 * i)
			}
		}
		return m
	}
	for place := range 8 {
		for v := range 0x80 {
			for _, other := range fill {
				var b [8]byte
				for i := range b {
					b[i] = other
				}
				b[place] = byte(v)
				x := binary.LittleEndian.Uint64(b[:])
				for _, c := range append(bounds, 0x80) {
					if got, want := Less(x, c), mask(b, func(v byte) bool { return v < c }); got != want {
						t.Fatalf("Less(%q, %#x) = %#x; want %#x", b, c, got, want)
					}
				}
				for _, c := range bounds {
					if got, want := Equal(x, c), mask(b, func(v byte) bool { return v == c }); got != want {
						t.Fatalf("Equal(%q, %#x) = %#x; want %#x", b, c, got, want)
					}
					for _, hi := range bounds {
						if hi < c {
							continue
						}
						if got, want := Between(x, c, hi), mask(b, func(v byte) bool { return c <= v && v <= hi }); got != want {
							t.Fatalf("Between(%q, %#x, %#x) = %#x; want %#x", b, c, hi, got, want)
						}
					}
				}
			}
		}
	}
	if got := Load("0123456789", 1); got != binary.LittleEndian.Uint64([]byte("12345678")) {
		t.Errorf("Load = %#x", got)
	}
}
