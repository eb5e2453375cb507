package compiler

import (
	"io/fs"
	"sync"
)

// memoFS remembers the files and folder listings read through it: the front
// end and the packager both walk the feature and shared folders, and with it
// each file and folder is read from disk once per build (a profile of real
// builds showed the packager's second walk costing about two thirds of what
// parsing does).
type memoFS struct {
	fs.FS
	mu    sync.Mutex
	files map[string][]byte
	dirs  map[string][]fs.DirEntry
}

func newMemoFS(fsys fs.FS) *memoFS {
	return &memoFS{FS: fsys, files: map[string][]byte{}, dirs: map[string][]fs.DirEntry{}}
}

// ReadFile returns the bytes read the first time; callers must not modify them.
func (m *memoFS) ReadFile(name string) ([]byte, error) {
	return memo(&m.mu, m.files, name, func() ([]byte, error) { return fs.ReadFile(m.FS, name) })
}

// ReadDir returns the listing read the first time.
func (m *memoFS) ReadDir(name string) ([]fs.DirEntry, error) {
	return memo(&m.mu, m.dirs, name, func() ([]fs.DirEntry, error) { return fs.ReadDir(m.FS, name) })
}

func (m *memoFS) Stat(name string) (fs.FileInfo, error) { return fs.Stat(m.FS, name) }

// memo returns cache[name], reading and remembering it on first use (errors
// are not remembered).
func memo[T any](mu *sync.Mutex, cache map[string]T, name string, read func() (T, error)) (T, error) {
	mu.Lock()
	v, ok := cache[name]
	mu.Unlock()
	if ok {
		return v, nil
	}
	v, err := read()
	if err != nil {
		return v, err
	}
	mu.Lock()
	cache[name] = v
	mu.Unlock()
	return v, nil
}
