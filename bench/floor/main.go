// Command floor measures the physical floors a deployless build cannot go
// below on this machine, for bench/bench.py:
//
//	floor read  DIR  N   read and SHA-256 every project source file once
//	                     (skipping .dist, template.yaml, dot folders and
//	                     __pycache__), N times
//	floor write DIST N TRASH
//	                     write the same files and folders as DIST (an existing
//	                     .dist; files that share an inode there are hard-linked
//	                     here too, as ours writes them) N times, each time into a fresh folder under
//	                     TRASH (a folder on the same filesystem, created if
//	                     missing), with the disk synced before each run,
//	                     outside the timing. Nothing is deleted: the copies
//	                     are left in TRASH for the caller to remove once
//	                     nothing is timed (on ext4 without a journal, inodes
//	                     freed in the last 60 s slow down file creation)
//	floor exit           exit at once: timed from outside, the cost of
//	                     starting a small Go program on this machine
//	floor run LOG CMD…   run CMD in the current folder with its output
//	                     appended to LOG; print its wall time, peak RSS and
//	                     exit code as JSON. bench.py launches every timed
//	                     build through this small process: Linux counts the
//	                     memory of the process that spawns a child into the
//	                     child's peak RSS, so spawning from the harness's
//	                     large Python process would inflate it
//
// read and write print one JSON object: files, bytes, dirs and the median,
// min and max seconds of the N runs. The read floor runs against a warm page cache (a
// first untimed pass reads everything), as every build in the benchmark does.
package main

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"syscall"
	"time"
)

type result struct {
	Files  int     `json:"files"`
	Bytes  int64   `json:"bytes"`
	Dirs   int     `json:"dirs"`
	Median float64 `json:"median_s"`
	Min    float64 `json:"min_s"`
	Max    float64 `json:"max_s"`
	Runs   int     `json:"runs"`
}

func main() {
	if len(os.Args) == 2 && os.Args[1] == "exit" {
		return
	}
	if len(os.Args) >= 4 && os.Args[1] == "run" {
		os.Exit(run(os.Args[2], os.Args[3:]))
	}
	if !(len(os.Args) == 4 && os.Args[1] == "read" || len(os.Args) == 5 && os.Args[1] == "write") {
		fmt.Fprintln(os.Stderr, "usage: floor read DIR N, floor write DIST N TRASH, floor run LOG CMD…, or floor exit")
		os.Exit(2)
	}
	n, err := strconv.Atoi(os.Args[3])
	if err != nil || n < 1 {
		fmt.Fprintln(os.Stderr, "floor: N must be a positive integer")
		os.Exit(2)
	}
	var res result
	switch os.Args[1] {
	case "read":
		res, err = readFloor(os.Args[2], n)
	case "write":
		res, err = writeFloor(os.Args[2], n, os.Args[4])
	default:
		err = fmt.Errorf("unknown mode %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "floor:", err)
		os.Exit(1)
	}
	out, _ := json.Marshal(res)
	fmt.Println(string(out))
}

func run(logPath string, argv []string) int {
	logf, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		fmt.Fprintln(os.Stderr, "floor:", err)
		return 2
	}
	defer logf.Close()
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stdout, cmd.Stderr = logf, logf
	start := time.Now()
	err = cmd.Run()
	wall := time.Since(start).Seconds()
	if cmd.ProcessState == nil {
		fmt.Fprintln(os.Stderr, "floor:", err)
		return 2
	}
	var maxrss int64
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		maxrss = ru.Maxrss
	}
	out, _ := json.Marshal(map[string]any{"wall_s": wall, "maxrss_kib": maxrss, "exit": cmd.ProcessState.ExitCode()})
	fmt.Println(string(out))
	return 0
}

func summarize(res result, times []float64) result {
	slices.Sort(times)
	res.Runs = len(times)
	res.Min, res.Max = times[0], times[len(times)-1]
	mid := len(times) / 2
	if len(times)%2 == 1 {
		res.Median = times[mid]
	} else {
		res.Median = (times[mid-1] + times[mid]) / 2
	}
	return res
}

// readOnce walks the project's sources, reads and hashes each file.
func readOnce(root string) (result, error) {
	var res result
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if p != root && (name[0] == '.' || name == "__pycache__") {
				return filepath.SkipDir
			}
			res.Dirs++
			return nil
		}
		if p == filepath.Join(root, "template.yaml") {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		sha256.Sum256(data)
		res.Files++
		res.Bytes += int64(len(data))
		return nil
	})
	return res, err
}

func readFloor(root string, n int) (result, error) {
	res, err := readOnce(root) // warm the page cache, untimed
	if err != nil {
		return res, err
	}
	times := make([]float64, 0, n)
	for range n {
		start := time.Now()
		if _, err := readOnce(root); err != nil {
			return res, err
		}
		times = append(times, time.Since(start).Seconds())
	}
	return summarize(res, times), nil
}

type file struct {
	rel  string
	data []byte
	mode fs.FileMode
	link int // index of an earlier file with the same inode in .dist (a hard link), or -1
}

func writeFloor(dist string, n int, trash string) (result, error) {
	var res result
	var files []file
	inodes := map[uint64]int{} // ours hard-links repeated files: the floor does the same
	err := filepath.WalkDir(dist, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dist, p)
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		link := -1
		if st, ok := info.Sys().(*syscall.Stat_t); ok {
			if first, seen := inodes[st.Ino]; seen {
				link = first
			} else {
				inodes[st.Ino] = len(files)
			}
		}
		files = append(files, file{rel, data, info.Mode().Perm(), link})
		res.Files++
		res.Bytes += int64(len(data))
		return nil
	})
	if err != nil {
		return res, err
	}
	dirs := map[string]bool{}
	for _, f := range files {
		for d := filepath.Dir(f.rel); d != "." && !dirs[d]; d = filepath.Dir(d) {
			dirs[d] = true
		}
	}
	res.Dirs = len(dirs)
	if err := os.MkdirAll(trash, 0o755); err != nil {
		return res, err
	}
	times := make([]float64, 0, n)
	for range n {
		// A fresh, unique parent; dst itself is created inside the timing, as .dist is by a build.
		parent, err := os.MkdirTemp(trash, "floor-write-")
		if err != nil {
			return res, err
		}
		dst := filepath.Join(parent, "dist")
		syscall.Sync()
		start := time.Now()
		for _, f := range files {
			p := filepath.Join(dst, f.rel)
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				return res, err
			}
			if f.link >= 0 {
				if err := os.Link(filepath.Join(dst, files[f.link].rel), p); err != nil {
					return res, err
				}
			} else if err := os.WriteFile(p, f.data, f.mode); err != nil {
				return res, err
			}
		}
		times = append(times, time.Since(start).Seconds())
	}
	syscall.Sync()
	return summarize(res, times), nil
}
