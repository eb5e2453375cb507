package output

import "golang.org/x/sys/unix"

// exchangeDirs swaps two paths in one atomic step (renameat2 with
// RENAME_EXCHANGE, Linux 3.15+): no moment exists where either is missing
// or holds a mix. It fails with EINVAL on file systems without it.
func exchangeDirs(a, b string) error {
	return unix.Renameat2(unix.AT_FDCWD, a, unix.AT_FDCWD, b, unix.RENAME_EXCHANGE)
}
