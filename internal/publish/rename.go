package publish

import "os"

// swapByRename moves dest aside and tmp into its place. Between the two
// renames dest is briefly missing, but never half-written.
func swapByRename(tmp, dest string) (string, error) {
	old := tmp + ".old"
	if err := os.Rename(dest, old); err != nil {
		return "", err
	}
	if err := os.Rename(tmp, dest); err != nil {
		os.Rename(old, dest)
		return "", err
	}
	return old, nil
}
