// Package parsecache keeps, across builds, the front end's parse results
// of a project's files, keyed by the SHA-256 of their content. Parsing is
// most of a compilation's CPU time (tree-sitter's Python grammar reads about
// 10 bytes per microsecond, about 3 ms of CPU for examples/ums-api), while
// decoding a cached module takes microseconds; a project's files rarely
// change between builds.
//
// A project's cache is one pack file in a folder (by default deployless/ in
// the user's cache folder, like Go's build cache), named after the grammar
// and the project's path. It is read once per build and rewritten, holding
// exactly the entries that build used, only when the build parsed something
// new. Values are opaque bytes: the front end encodes and decodes them, and
// treats any value it cannot decode as a miss. The cache is advisory: any
// error reading or writing it only means a slower build.
package parsecache

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"hash/crc32"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
)

// magic starts every pack file; bump it when the pack format changes.
const magic = "deployless-parse-cache 2\n"

// Each entry is key, uvarint length, value, then the CRC-32C of key and
// value: a damaged entry (a flipped bit, a torn write, a truncation) fails
// its check and is a miss, never a value handed to the decoder.
var crcTable = crc32.MakeTable(crc32.Castagnoli)

func entrySum(k Key, v []byte) uint32 {
	return crc32.Update(crc32.Checksum(k[:], crcTable), crcTable, v)
}

// Key is the SHA-256 of a file's content.
type Key = [32]byte

// Sum returns the key of content.
func Sum(content []byte) Key { return sha256.Sum256(content) }

// Cache is one project's pack. A nil *Cache is a disabled cache: Get
// misses, Put and Save do nothing. Get and Put may be called concurrently.
type Cache struct {
	path       string
	mu         sync.Mutex
	disk       map[Key][]byte
	used       map[Key][]byte
	dirty      bool
	hits, puts int
}

// Open reads the pack of the project at root (an absolute path) for the
// grammar id from dir. dir "" disables the cache (Open returns nil).
func Open(dir, id, root string) *Cache {
	if dir == "" {
		return nil
	}
	h := sha256.Sum256([]byte(root))
	name := "parse-" + sanitize(id) + "-" + hex.EncodeToString(h[:8]) + ".bin"
	c := &Cache{path: filepath.Join(dir, name), disk: map[Key][]byte{}, used: map[Key][]byte{}}
	b, err := os.ReadFile(c.path)
	if err != nil || !bytes.HasPrefix(b, []byte(magic)) {
		return c
	}
	b = b[len(magic):]
	for len(b) > 32 {
		var k Key
		copy(k[:], b)
		n, w := binary.Uvarint(b[32:])
		if w <= 0 || uint64(len(b)-32-w) < n+4 {
			break // truncated: keep what was read
		}
		start := 32 + w
		end := start + int(n)
		if len(b) < end+4 {
			break // truncated: keep what was read
		}
		v := b[start:end:end]
		if binary.LittleEndian.Uint32(b[end:]) == entrySum(k, v) {
			c.disk[k] = v
		}
		b = b[end+4:]
	}
	return c
}

// Get returns the value stored for k by an earlier build.
func (c *Cache) Get(k Key) ([]byte, bool) {
	if c == nil {
		return nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.disk[k]
	if ok {
		c.used[k] = v
		c.hits++
	}
	return v, ok
}

// Put records the value for k; Save writes it.
func (c *Cache) Put(k Key, v []byte) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.used[k] = v
	c.dirty = true
	c.puts++
}

// Stats reports how many Gets hit and how many values were Put.
func (c *Cache) Stats() (hits, puts int) {
	if c == nil {
		return 0, 0
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.hits, c.puts
}

// Save rewrites the pack with the entries this build used, when it put
// anything new (a temporary file renamed over the pack, so a concurrent
// build reads the old pack or the new one, never a partial one).
func (c *Cache) Save() error {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.dirty {
		return nil
	}
	keys := make([]Key, 0, len(c.used))
	size := len(magic)
	for k, v := range c.used {
		keys = append(keys, k)
		size += 32 + binary.MaxVarintLen64 + len(v) + 4
	}
	slices.SortFunc(keys, func(a, b Key) int { return bytes.Compare(a[:], b[:]) })
	buf := make([]byte, 0, size)
	buf = append(buf, magic...)
	for _, k := range keys {
		buf = append(buf, k[:]...)
		buf = binary.AppendUvarint(buf, uint64(len(c.used[k])))
		buf = append(buf, c.used[k]...)
		buf = binary.LittleEndian.AppendUint32(buf, entrySum(k, c.used[k]))
	}
	if err := os.MkdirAll(filepath.Dir(c.path), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(c.path), ".parse-*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(buf); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), c.path); err != nil {
		return err
	}
	c.dirty = false
	trim(filepath.Dir(c.path), time.Now())
	return nil
}

// Packs not rewritten for maxAge are deleted, checked at most once per
// trimEvery (a stamp file's modification time), so that the packs of
// deleted or moved projects do not pile up. A project whose files did not
// change for that long just parses once more.
const (
	maxAge    = 30 * 24 * time.Hour
	trimEvery = 24 * time.Hour
)

func trim(dir string, now time.Time) {
	stamp := filepath.Join(dir, "trimmed")
	if st, err := os.Stat(stamp); err == nil && now.Sub(st.ModTime()) < trimEvery {
		return
	}
	if err := os.WriteFile(stamp, nil, 0o644); err != nil {
		return
	}
	_ = os.Chtimes(stamp, now, now)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		name := e.Name()
		old := maxAge
		if strings.HasPrefix(name, ".parse-") && strings.HasSuffix(name, ".tmp") {
			old = trimEvery // left by a build that crashed mid-write
		} else if !strings.HasPrefix(name, "parse-") || !strings.HasSuffix(name, ".bin") {
			continue
		}
		if info, err := e.Info(); err == nil && now.Sub(info.ModTime()) > old {
			_ = os.Remove(filepath.Join(dir, name))
		}
	}
}

func sanitize(id string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '.' {
			return r
		}
		return '_'
	}, id)
}
