// Package eintr calls the system again when a signal interrupts a call,
// as the os package does for its own: on a file system such as NFS or
// FUSE a call may fail with EINTR where it would succeed on a second try.
// The packages that make calls to the system themselves, to spare the
// calls an os.File costs (publish, sourcefs), go through Retry.
package eintr

import "syscall"

// Retry calls fn again for as long as it fails with EINTR.
func Retry[T any](fn func() (T, error)) (T, error) {
	for {
		v, err := fn()
		if err != syscall.EINTR {
			return v, err
		}
	}
}
