//go:build !linux

package output

import "errors"

// exchangeDirs is unavailable here: the swap falls back to two renames,
// which the journal completes if a kill falls between them.
func exchangeDirs(a, b string) error { return errors.ErrUnsupported }
