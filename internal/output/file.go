package output

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"sync"

	"github.com/deployless/deployless/internal/artifact"
)

// writeFile creates p (which must not exist) with a's bytes and mode; with
// chmod, the mode is set whatever the umask. A Source artifact whose file
// has the artifact's mode is hard-linked where the file system allows (see
// artifact.Artifact.Source: its owner never edits it in place), else copied.
func writeFile(p string, a artifact.Artifact, chmod bool) error {
	var body io.Reader = bytes.NewReader(a.Data)
	if a.Source != "" {
		// Lstat: a link to a symbolic link would be one too.
		if info, err := os.Lstat(a.Source); err == nil && info.Mode() == a.Mode && os.Link(a.Source, p) == nil {
			return nil
		}
		src, err := os.Open(a.Source)
		if err != nil {
			return err
		}
		defer src.Close()
		body = src
	}
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, a.Mode)
	if err != nil {
		return err
	}
	_, err = io.Copy(f, body)
	if err == nil && chmod {
		err = f.Chmod(a.Mode)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(p)
	}
	return err
}

// sameFile reports whether p, whose Lstat is info, holds exactly a's bytes
// and mode.
func sameFile(p string, info fs.FileInfo, a artifact.Artifact) bool {
	if info.Mode() != a.Mode { // also false for anything but a regular file
		return false
	}
	if a.Source == "" {
		if info.Size() != int64(len(a.Data)) {
			return false
		}
		b, err := os.ReadFile(p)
		return err == nil && bytes.Equal(b, a.Data)
	}
	src, err := os.Stat(a.Source)
	switch {
	case err != nil || src.Size() != info.Size():
		return false
	case os.SameFile(src, info): // linked by an earlier build
		return true
	}
	return sameBytes(p, a.Source)
}

// sameBytes compares two files' contents without reading either whole.
func sameBytes(p, q string) bool {
	f, err := os.Open(p)
	if err != nil {
		return false
	}
	defer f.Close()
	g, err := os.Open(q)
	if err != nil {
		return false
	}
	defer g.Close()
	bf, bg := make([]byte, 64<<10), make([]byte, 64<<10)
	for {
		n, errF := io.ReadFull(f, bf)
		m, errG := io.ReadFull(g, bg)
		if n != m || !bytes.Equal(bf[:n], bg[:m]) {
			return false
		}
		eofF := errors.Is(errF, io.EOF) || errors.Is(errF, io.ErrUnexpectedEOF)
		eofG := errors.Is(errG, io.EOF) || errors.Is(errG, io.ErrUnexpectedEOF)
		switch {
		case eofF && eofG:
			return true
		case errF != nil || errG != nil:
			return false
		}
	}
}

// backup keeps dst's current file at bak (a hard link, else a copy) so that
// a failed build can rename it back; it reports false when there is no dst.
func backup(dst, bak string) (bool, error) {
	info, err := os.Lstat(dst)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	} else if err != nil {
		return false, err
	}
	if os.Link(dst, bak) == nil {
		return true, nil
	}
	if !info.Mode().IsRegular() {
		return false, &fs.PathError{Op: "replace", Path: dst, Err: errors.New("not a regular file")}
	}
	return true, writeFile(bak, artifact.Artifact{Source: dst, Mode: info.Mode().Perm()}, true)
}

// parallel runs fn(0..n-1) on up to workers goroutines; the first error wins.
func parallel(n int, fn func(int) error) error {
	var (
		wg    sync.WaitGroup
		once  sync.Once
		first error
	)
	next := make(chan int)
	for w := 0; w < min(workers, n); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if err := fn(i); err != nil {
					once.Do(func() { first = err })
				}
			}
		}()
	}
	for i := 0; i < n; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
	return first
}
