package output

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// ErrLocked is returned by Lock without waiting when another build of the
// project holds the lock.
var ErrLocked = errors.New("another deployless build of this project is running")

// Lock serialises the builds of one project (an editor's build on save, a
// terminal, `deploy` and a watcher can all start one): it takes an
// exclusive advisory lock on the project folder itself, so no lock file is
// left in the project and a crashed build's lock goes with its process.
// With wait, it calls waiting once and blocks until the other build ends;
// without, it returns ErrLocked. The caller must call unlock.
func Lock(root string, wait bool, waiting func()) (unlock func(), err error) {
	dir, err := os.Open(root)
	if err != nil {
		return nil, err
	}
	fd := int(dir.Fd())
	err = flock(fd, syscall.LOCK_EX|syscall.LOCK_NB)
	if errors.Is(err, syscall.EWOULDBLOCK) {
		if !wait {
			dir.Close()
			return nil, ErrLocked
		}
		waiting()
		err = flock(fd, syscall.LOCK_EX)
	}
	if err != nil {
		dir.Close()
		return nil, fmt.Errorf("lock %s: %w", root, err)
	}
	return func() {
		_ = flock(fd, syscall.LOCK_UN)
		dir.Close()
	}, nil
}

// flock retries when a signal interrupts the call.
func flock(fd, how int) error {
	for {
		if err := syscall.Flock(fd, how); !errors.Is(err, syscall.EINTR) {
			return err
		}
	}
}
