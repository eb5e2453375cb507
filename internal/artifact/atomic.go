package artifact

import (
	"os"
	"path/filepath"
)

// WriteAtomic writes data to path through a temporary file in the same
// folder and a rename, mode 0644 whatever the umask, so a reader (a
// concurrent build using a cache entry) sees the old file or the whole new
// one, never part of it. The folder must exist.
func WriteAtomic(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".tmp-"+filepath.Base(path)+"-")
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Chmod(0o644)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return err
}
