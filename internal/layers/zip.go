package layers

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/deployless/deployless/internal/artifact"
)

// zipStats is what writeZip reports about the zip it wrote.
type zipStats struct {
	sha256         string
	size, unzipped int64
}

// writeZip writes the tree under root as a zip whose entries are root's
// base name and everything below it (python/…), with artifact.WriteZip's
// rules (sorted, fixed times and modes, no extra fields): the bytes depend
// only on the tree's paths, contents and executable bits. Symbolic links
// are refused (wheels hold none).
func writeZip(w io.Writer, root string) (zipStats, error) {
	base := filepath.Base(root)
	var entries []artifact.ZipEntry
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == root {
			return err
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		name := base + "/" + filepath.ToSlash(rel)
		info, err := d.Info()
		if err != nil {
			return err
		}
		switch {
		case d.IsDir():
		case info.Mode().IsRegular():
			entries = append(entries, artifact.ZipEntry{Name: name, Mode: info.Mode().Perm(),
				Open: func() (io.ReadCloser, error) { return os.Open(p) }})
		default:
			return fmt.Errorf("%s is not a regular file or folder (%s); a layer holds only files and folders", name, info.Mode().Type())
		}
		return nil
	})
	if err != nil {
		return zipStats{}, err
	}
	st, err := artifact.WriteZip(w, entries)
	return zipStats{sha256: st.SHA256, size: st.Size, unzipped: st.Unzipped}, err
}
