//go:build !unix

package sourcefs

import "errors"

func mkfifo(string) error { return errors.New("no FIFOs here") }
