// Package swar reads text eight bytes at a time, as one 64-bit number, and
// tests all eight at once with a few arithmetic operations: SIMD within a
// register. The build's hottest loops (reading words to index, checking
// strings for JSON and for white space) look at every byte of a guide's
// text, where most bytes need nothing done; a branch for each byte cost
// them two to four nanoseconds a byte.
//
// A mask has 0x80 in each byte of the number for which a test holds and 0
// in the others; bits.TrailingZeros64(mask)/8 is then the place of the
// first such byte. The tests on single bytes hold only for ASCII (bytes
// below 0x80): callers check High first.
package swar

// Ones has 1 in every byte; High has the top bit of every byte.
const (
	Ones = 0x0101010101010101
	High = 0x8080808080808080
)

// Load returns s[i:i+8] as a little-endian number: s[i] in the low byte.
func Load(s string, i int) uint64 {
	s = s[i : i+8]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// Less returns the mask of the bytes of x below c, for x of ASCII bytes
// and c at most 0x80. v+(0x80-c) has its top bit set when v >= c, and
// carries into no other byte when v is below 0x80.
func Less(x uint64, c byte) uint64 {
	return ^(x + uint64(0x80-c)*Ones) & High
}

// Equal returns the mask of the bytes of x equal to c, for x of ASCII bytes
// and c below 0x80.
func Equal(x uint64, c byte) uint64 {
	return Less(x^uint64(c)*Ones, 1)
}

// Between returns the mask of the bytes of x from lo to hi, for x of ASCII
// bytes and lo <= hi below 0x80.
func Between(x uint64, lo, hi byte) uint64 {
	return (x + uint64(0x80-lo)*Ones) &^ (x + uint64(0x7f-hi)*Ones) & High
}
