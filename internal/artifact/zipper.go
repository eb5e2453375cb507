package artifact

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"fmt"
	"hash/crc32"
	"hash/maphash"
	"io/fs"
	"path"
	"sort"
	"strings"
	"sync"
)

// ZipFile is one file of an in-memory zip.
type ZipFile struct {
	Name string      // slash-separated, relative, clean
	Mode fs.FileMode // 0644 or 0755
	Data []byte
}

// Zipper writes in-memory zips with WriteZip's rules (sorted entries, each
// parent folder its own 0755 entry, 1980-01-01 times, fixed modes, no extra
// fields, deflate at ZipDeflateLevel), compressing each distinct file body
// once however many zips hold it: every function's zip repeats the app
// package, the runtime and the stand-ins, so a build compresses what is
// distinct, not what it writes. The compressed body goes in with
// zip.Writer.CreateRaw, whose header carries the CRC and sizes (no data
// descriptor). Safe for concurrent use.
type Zipper struct {
	mu     sync.Mutex
	seed   maphash.Seed
	bodies map[uint64][]*zipBody
}

type zipBody struct {
	data       []byte // the uncompressed bytes (shared with the caller's)
	compressed []byte
	crc        uint32
}

// NewZipper returns an empty Zipper.
func NewZipper() *Zipper {
	return &Zipper{seed: maphash.MakeSeed(), bodies: map[uint64][]*zipBody{}}
}

var flatePool = sync.Pool{New: func() any {
	w, _ := flate.NewWriter(nil, ZipDeflateLevel)
	return w
}}

func (z *Zipper) body(data []byte) *zipBody {
	h := maphash.Bytes(z.seed, data)
	z.mu.Lock()
	for _, b := range z.bodies[h] {
		if bytes.Equal(b.data, data) {
			z.mu.Unlock()
			return b
		}
	}
	z.mu.Unlock()
	var buf bytes.Buffer
	w := flatePool.Get().(*flate.Writer)
	w.Reset(&buf)
	w.Write(data) // a bytes.Buffer never fails
	w.Close()
	flatePool.Put(w)
	b := &zipBody{data: data, compressed: buf.Bytes(), crc: crc32.ChecksumIEEE(data)}
	z.mu.Lock()
	z.bodies[h] = append(z.bodies[h], b)
	z.mu.Unlock()
	return b
}

// Zip returns the zip of files and its stats. Names must be clean,
// relative and unique.
func (z *Zipper) Zip(files []ZipFile) ([]byte, ZipStats, error) {
	type item struct {
		name string
		dir  bool
		f    ZipFile
	}
	seen := make(map[string]bool, len(files)*2)
	items := make([]item, 0, len(files)*2)
	for _, f := range files {
		if err := checkName(f.Name); err != nil {
			return nil, ZipStats{}, err
		}
		if seen[f.Name] {
			return nil, ZipStats{}, errDup(f.Name)
		}
		seen[f.Name] = true
		items = append(items, item{name: f.Name, f: f})
		for d := path.Dir(f.Name); d != "."; d = path.Dir(d) {
			if seen[d+"/"] {
				break
			}
			seen[d+"/"] = true
			items = append(items, item{name: d + "/", dir: true})
		}
	}
	sort.Slice(items, func(i, j int) bool { return items[i].name < items[j].name })
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	var unzipped int64
	for _, it := range items {
		fh := &zip.FileHeader{Name: it.name, Method: zip.Store}
		//lint:ignore SA1019 the MS-DOS time without Modified's extra field (see WriteZip)
		fh.ModifiedDate, fh.ModifiedTime = dosDate, dosTime
		if it.dir {
			fh.SetMode(fs.ModeDir | 0o755)
			if _, err := zw.CreateRaw(fh); err != nil {
				return nil, ZipStats{}, err
			}
			continue
		}
		mode := fs.FileMode(0o644)
		if it.f.Mode&0o111 != 0 {
			mode = 0o755
		}
		fh.SetMode(mode)
		b := z.body(it.f.Data)
		fh.Method, fh.CRC32 = zip.Deflate, b.crc
		fh.CompressedSize64, fh.UncompressedSize64 = uint64(len(b.compressed)), uint64(len(b.data))
		w, err := zw.CreateRaw(fh)
		if err != nil {
			return nil, ZipStats{}, err
		}
		if _, err := w.Write(b.compressed); err != nil {
			return nil, ZipStats{}, err
		}
		unzipped += int64(len(b.data))
	}
	if err := zw.Close(); err != nil {
		return nil, ZipStats{}, err
	}
	return out.Bytes(), ZipStats{Size: int64(out.Len()), Unzipped: unzipped}, nil
}

func errName(n string) error { return fmt.Errorf("zip entry %q is not a clean relative path", n) }
func errDup(n string) error  { return fmt.Errorf("zip entry %q is given twice", n) }

func checkName(n string) error {
	if n == "" || path.Clean(n) != n || strings.HasPrefix(n, "/") || strings.HasPrefix(n, "../") || n == ".." {
		return errName(n)
	}
	return nil
}
