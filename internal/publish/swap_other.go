//go:build !linux

package publish

func swap(tmp, dest string) (string, error) { return swapByRename(tmp, dest) }
