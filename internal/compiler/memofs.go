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
	m.mu.Lock()
	b, ok := m.files[name]
	m.mu.Unlock()
	if ok {
		return b, nil
	}
	b, err := fs.ReadFile(m.FS, name)
	if err != nil {
		return nil, err
	}
	m.mu.Lock()
	m.files[name] = b
	m.mu.Unlock()
	return b, nil
}

// ReadDir returns the listing read the first time.
func (m *memoFS) ReadDir(name string) ([]fs.DirEntry, error) {
	m.mu.Lock()
	e, ok := m.dirs[name]
	m.mu.Unlock()
	if ok {
		return e, nil
	}
	e, err := fs.ReadDir(m.FS, name)
	if err != nil {
		return nil, err
	}
	m.mu.Lock()
	m.dirs[name] = e
	m.mu.Unlock()
	return e, nil
}

func (m *memoFS) Stat(name string) (fs.FileInfo, error) { return fs.Stat(m.FS, name) }
