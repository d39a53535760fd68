package site

// What the external tests (package site_test) see of the package's
// insides.

var (
	PackRefs   = packRefs
	ErrCorrupt = errCorrupt
)

// InMemory reports whether r's block is held in memory.
func (r Refs) InMemory() bool { return r.data != nil }

// Offset is where r's block is in its store.
func (r Refs) Offset() int64 { return r.off }
