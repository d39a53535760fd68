package site

// What the external tests (package site_test) see of the package's
// insides.

var (
	PackRefs   = packRefs
	ErrCorrupt = errCorrupt
)

// Offset is where k is in its store.
func (k Block) Offset() int64 { return k.off }
