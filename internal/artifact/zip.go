package artifact

import (
	"archive/zip"
	"compress/flate"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"io/fs"
	"path"
	"sort"
)

// The deterministic zip writer of every deployable artifact (dependency
// layers now, function code next, SPEC.md §10): the bytes depend only on
// the entries' names, contents and modes — never on the order they were
// given in, the folder they came from, mtimes, the umask or the machine.

// ZipDeflateLevel is the one compression level of every zip: a fixed level
// (and Go's own deflate, linked into the binary) keeps the bytes equal for
// equal input. 6 is zlib's default trade-off of size and time.
const ZipDeflateLevel = 6

// dosDate, dosTime are 1980-01-01 00:00:00, the earliest MS-DOS date, as
// the two header fields hold it: date = (year-1980)<<9 | month<<5 | day.
const dosDate, dosTime = 1<<5 | 1, 0

// ZipEntry is one file of a zip. Folders are not given: every parent of a
// file gets its own 0755 entry.
type ZipEntry struct {
	Name string      // slash-separated, relative ("python/flask/__init__.py")
	Mode fs.FileMode // 0644 or 0755 (anything executable is 0755)
	// Open returns the content; Size is the content's length if known.
	Open func() (io.ReadCloser, error)
}

// ZipStats is what WriteZip reports about the zip it wrote.
type ZipStats struct {
	SHA256   string // of the zip's bytes, hex
	Size     int64  // of the zip
	Unzipped int64  // the files' bytes once extracted
}

// WriteZip writes entries as a zip: entries sorted by name, each parent
// folder as its own entry before its contents, every time 1980-01-01 00:00,
// modes 0755 for folders and executables and 0644 for other files, no
// extra fields, files deflated at ZipDeflateLevel, folders stored. Names
// must be relative and clean, and unique.
//
// archive/zip writes all of this from explicit FileHeader fields but one:
// given FileHeader.Modified it appends an extended-timestamp extra field
// (0x5455) that records the time again, so the time goes into the MS-DOS
// fields ModifiedDate/ModifiedTime directly, which archive/zip documents as
// deprecated in favour of Modified but still writes as they are.
func WriteZip(w io.Writer, entries []ZipEntry) (ZipStats, error) {
	type item struct {
		name string
		dir  bool
		e    ZipEntry
	}
	seen := map[string]bool{}
	var items []item
	for _, e := range entries {
		if err := checkName(e.Name); err != nil {
			return ZipStats{}, err
		}
		if seen[e.Name] {
			return ZipStats{}, errDup(e.Name)
		}
		seen[e.Name] = true
		items = append(items, item{name: e.Name, e: e})
		for d := path.Dir(e.Name); d != "."; d = path.Dir(d) {
			if !seen[d+"/"] {
				seen[d+"/"] = true
				items = append(items, item{name: d + "/", dir: true})
			}
		}
	}
	sort.Slice(items, func(i, j int) bool { return items[i].name < items[j].name })

	h := sha256.New()
	cw := &countWriter{w: io.MultiWriter(w, h)}
	zw := zip.NewWriter(cw)
	zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(out, ZipDeflateLevel)
	})
	var unzipped int64
	for _, it := range items {
		fh := &zip.FileHeader{Name: it.name, Method: zip.Deflate}
		mode := fs.FileMode(0o644)
		switch {
		case it.dir:
			fh.Method, mode = zip.Store, fs.ModeDir|0o755
		case it.e.Mode&0o111 != 0:
			mode = 0o755
		}
		//lint:ignore SA1019 the MS-DOS time without Modified's extra field (see above)
		fh.ModifiedDate, fh.ModifiedTime = dosDate, dosTime
		fh.SetMode(mode)
		fw, err := zw.CreateHeader(fh)
		if err != nil {
			return ZipStats{}, err
		}
		if it.dir {
			continue
		}
		r, err := it.e.Open()
		if err != nil {
			return ZipStats{}, err
		}
		n, err := io.Copy(fw, r)
		r.Close()
		if err != nil {
			return ZipStats{}, err
		}
		unzipped += n
	}
	if err := zw.Close(); err != nil {
		return ZipStats{}, err
	}
	return ZipStats{SHA256: hex.EncodeToString(h.Sum(nil)), Size: cw.n, Unzipped: unzipped}, nil
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
