package site

// What the external tests (package site_test) see of the package's
// insides.

var (
	PackRefs   = packRefs
	ErrCorrupt = errCorrupt
)

// Offset is where k is in its store.
func (k Block) Offset() int64 { return k.off }

// How much of a store a Window reads at once, and how far before the
// block it reads for.
const (
	WindowSize = windowSize
	ReadGap    = readGap
	WindowBack = windowBack
)
