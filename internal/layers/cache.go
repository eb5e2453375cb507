package layers

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"github.com/deployless/deployless/internal/artifact"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// DefaultCacheDir is where layers are kept unless Options.CacheDir says
// otherwise: layers/ in the folder of the parse cache, which is
// $DEPLOYLESS_CACHE_DIR when set (tests point it at a temporary folder),
// else deployless/ in the user's cache folder (os.UserCacheDir:
// $XDG_CACHE_HOME or ~/.cache on Linux, ~/Library/Caches on macOS). Unlike
// the parse cache, layers cannot be switched off: DEPLOYLESS_CACHE_DIR=off
// falls back to the user's cache folder, since a layer must live somewhere.
func DefaultCacheDir() (string, error) {
	if d := os.Getenv("DEPLOYLESS_CACHE_DIR"); d != "" && d != "off" {
		return filepath.Join(d, "layers"), nil
	}
	d, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(d, "deployless", "layers"), nil
}

func (o Options) cacheDir() (string, error) {
	dir := o.CacheDir
	if dir == "" {
		d, err := DefaultCacheDir()
		if err != nil {
			return "", err
		}
		dir = d
	}
	return dir, os.MkdirAll(dir, 0o755)
}

// manifest is <digest>.json beside <digest>.zip: what the layer is, so a
// later build can reuse it without uv. It is written after the zip, so a
// manifest whose zip has its SHA-256 marks a complete entry.
type manifest struct {
	Format       int      `json:"format"`
	Key          string   `json:"key"`
	Digest       string   `json:"digest"`
	Runtime      string   `json:"runtime"`
	Arch         string   `json:"arch"`
	Platform     string   `json:"platform"`
	UV           string   `json:"uv"`
	Requirements []string `json:"requirements"`
	Packages     []string `json:"packages"`
	Bytecode     bool     `json:"bytecode"`
	SHA256       string   `json:"sha256"`
	Size         int64    `json:"size"`
	Unzipped     int64    `json:"unzipped"`
}

func (m manifest) layer(dir string) Layer {
	return Layer{Digest: m.Digest, Key: m.Key, Runtime: m.Runtime, Arch: m.Arch, Platform: m.Platform, UV: m.UV,
		Zip: filepath.Join(dir, m.Digest+".zip"), SHA256: m.SHA256, Size: m.Size, Unzipped: m.Unzipped,
		Packages: m.Packages, Bytecode: m.Bytecode}
}

// lookup returns the cached layer of digest when its manifest and zip are
// there and the zip's bytes still have the recorded SHA-256 (a damaged or
// half-deleted entry is a miss, and the next build rewrites it).
func lookup(dir, digest string) (Layer, bool) {
	b, err := os.ReadFile(filepath.Join(dir, digest+".json"))
	if err != nil {
		return Layer{}, false
	}
	var m manifest
	if json.Unmarshal(b, &m) != nil || m.Format != formatVersion || m.Digest != digest {
		return Layer{}, false
	}
	l := m.layer(dir)
	if sum, n, err := fileSHA256(l.Zip); err != nil || sum != m.SHA256 || n != m.Size {
		return Layer{}, false
	}
	l.Cached = true
	return l, true
}

// lookupKey returns a cached layer for key built by any uv (with bytecode
// first, then the newest uv version), for builds where no usable uv is at
// hand; without bytecode only layers without it count.
func lookupKey(dir, key string, bytecode bool) (Layer, bool) {
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	var best Layer
	found := false
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		var m manifest
		if json.Unmarshal(b, &m) != nil || m.Key != key || m.Format != formatVersion || m.Bytecode && !bytecode {
			continue
		}
		// Bytecode first, then the newest uv.
		if found && (best.Bytecode && !m.Bytecode || best.Bytecode == m.Bytecode && !versionLess(best.UV, m.UV)) {
			continue
		}
		if l, ok := lookup(dir, m.Digest); ok {
			best, found = l, true
		}
	}
	return best, found
}

// writeAtomic is artifact.WriteAtomic.
func writeAtomic(path string, data []byte) error { return artifact.WriteAtomic(path, data) }

// store zips the tree root into dir/<m.Digest>.zip and writes its
// manifest, both atomically. Two builds storing the same digest at once
// write the same bytes (the zip is reproducible), so whichever rename comes
// last leaves a complete entry.
func store(dir, root string, m manifest) (Layer, error) {
	f, err := os.CreateTemp(dir, ".tmp-"+m.Digest+"-*.zip")
	if err != nil {
		return Layer{}, err
	}
	st, err := writeZip(f, root)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	zipPath := filepath.Join(dir, m.Digest+".zip")
	if err == nil {
		err = os.Chmod(f.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(f.Name(), zipPath)
	}
	if err != nil {
		os.Remove(f.Name())
		return Layer{}, err
	}
	m.SHA256, m.Size, m.Unzipped = st.sha256, st.size, st.unzipped
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return Layer{}, err
	}
	if err := writeAtomic(filepath.Join(dir, m.Digest+".json"), append(b, '\n')); err != nil {
		return Layer{}, err
	}
	return m.layer(dir), nil
}

func fileSHA256(path string) (string, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return "", 0, err
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}

func hashOf(parts ...string) string {
	sum := sha256.Sum256([]byte(strings.Join(parts, "")))
	return hex.EncodeToString(sum[:])
}
