package eintr

import (
	"errors"
	"syscall"
	"testing"
)

// Retry calls again after EINTR, and stops at anything else: a result, or
// another error.
func TestRetry(t *testing.T) {
	calls := 0
	v, err := Retry(func() (int, error) {
		if calls++; calls < 3 {
			return 0, syscall.EINTR
		}
		return 7, nil
	})
	if v != 7 || err != nil || calls != 3 {
		t.Errorf("got %d, %v after %d calls; want 7, nil after 3", v, err, calls)
	}
	calls = 0
	_, err = Retry(func() (struct{}, error) { calls++; return struct{}{}, syscall.EIO })
	if !errors.Is(err, syscall.EIO) || calls != 1 {
		t.Errorf("got %v after %d calls; want EIO after 1", err, calls)
	}
}
