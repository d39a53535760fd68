//go:build !unix

package build

import "time"

// cpuTime returns 0: the CPU time used is not measured here.
func cpuTime() time.Duration { return 0 }
