package layers

import (
	"archive/zip"
	"compress/flate"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
)

// deflateLevel is the one compression level of every layer zip: a fixed
// level (and Go's own deflate, linked into the binary) keeps the bytes
// equal for equal trees. 6 is zlib's default trade-off of size and time.
const deflateLevel = 6

// dosEpoch is 1980-01-01 00:00:00, the earliest MS-DOS date, as the two
// header fields hold it: date = (year-1980)<<9 | month<<5 | day, time = 0.
const dosDate, dosTime = 1<<5 | 1, 0

// zipStats is what writeZip reports about the zip it wrote.
type zipStats struct {
	sha256         string
	size, unzipped int64
}

// writeZip writes the tree under root as a zip whose entries are root's
// base name and everything below it (python/…), and whose bytes depend only
// on the tree's paths, contents and executable bits: entries sorted by
// path, folders first as their own entries, every time 1980-01-01 00:00,
// modes 0755 for folders and executables and 0644 for other files, no extra
// fields, deflate at deflateLevel. Symbolic links are refused (wheels hold
// none).
//
// archive/zip writes all of this from explicit FileHeader fields but one:
// given FileHeader.Modified it appends an extended-timestamp extra field
// (0x5455) that records the time again, so the time goes into the MS-DOS
// fields ModifiedDate/ModifiedTime directly, which archive/zip documents as
// deprecated in favour of Modified but still writes as they are.
func writeZip(w io.Writer, root string) (zipStats, error) {
	type entry struct {
		name string
		path string
		mode fs.FileMode
		size int64
	}
	base := filepath.Base(root)
	entries := []entry{{name: base + "/", path: root, mode: fs.ModeDir | 0o755}}
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
			entries = append(entries, entry{name: name + "/", path: p, mode: fs.ModeDir | 0o755})
		case info.Mode().IsRegular():
			mode := fs.FileMode(0o644)
			if info.Mode()&0o111 != 0 {
				mode = 0o755
			}
			entries = append(entries, entry{name: name, path: p, mode: mode, size: info.Size()})
		default:
			return fmt.Errorf("%s is not a regular file or folder (%s); a layer holds only files and folders", name, info.Mode().Type())
		}
		return nil
	})
	if err != nil {
		return zipStats{}, err
	}
	// Sort for determinism: WalkDir's order is lexical per folder, which is
	// not the order of whole paths ("a-b/x" against "a/x").
	sort.Slice(entries, func(i, j int) bool { return entries[i].name < entries[j].name })

	h := sha256.New()
	cw := &countWriter{w: io.MultiWriter(w, h)}
	zw := zip.NewWriter(cw)
	zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(out, deflateLevel)
	})
	var unzipped int64
	for _, e := range entries {
		fh := &zip.FileHeader{Name: e.name, Method: zip.Deflate}
		if e.mode.IsDir() {
			fh.Method = zip.Store
		}
		//lint:ignore SA1019 the MS-DOS time without Modified's extra field (see above)
		fh.ModifiedDate, fh.ModifiedTime = dosDate, dosTime
		fh.SetMode(e.mode)
		fw, err := zw.CreateHeader(fh)
		if err != nil {
			return zipStats{}, err
		}
		if e.mode.IsDir() {
			continue
		}
		f, err := os.Open(e.path)
		if err != nil {
			return zipStats{}, err
		}
		n, err := io.Copy(fw, f)
		f.Close()
		if err != nil {
			return zipStats{}, err
		}
		unzipped += n
	}
	if err := zw.Close(); err != nil {
		return zipStats{}, err
	}
	return zipStats{sha256: hex.EncodeToString(h.Sum(nil)), size: cw.n, unzipped: unzipped}, nil
}

// countWriter counts the bytes written through it.
type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
