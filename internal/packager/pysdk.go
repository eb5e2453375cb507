package packager

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	_ "embed" // the runtime module
	"encoding/base64"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// sdkModule is the same file every package ships as deployless.py.
//
//go:embed runtime/deployless.py
var sdkModule []byte

// RuntimeModule returns the bytes of deployless.py, the no-op pc API that
// every package ships; SDKWheel wraps the same bytes for local development.
func RuntimeModule() []byte { return bytes.Clone(sdkModule) }

// sdkEpoch is every wheel entry's time: zip cannot go earlier, and a fixed
// time keeps the wheel byte-identical from run to run (as SOURCE_DATE_EPOCH
// does for other builders).
var sdkEpoch = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)

// SDKWheel returns the file name and bytes of a wheel (the binary
// distribution format, Wheel-Version 1.0) that installs the runtime module
// as the package deployless, with py.typed so type checkers use its
// annotations. version is the binary's version; PyVersion maps it to PEP
// 440. The bytes depend only on version and the module.
func SDKWheel(version string) (name string, data []byte, err error) {
	v, err := PyVersion(version)
	if err != nil {
		return "", nil, err
	}
	info := "deployless-" + v + ".dist-info/"
	files := []struct {
		path string
		data []byte
	}{
		// Package files first, then .dist-info with RECORD last, as the
		// wheel format recommends.
		{"deployless/__init__.py", sdkModule},
		{"deployless/py.typed", nil},
		{info + "METADATA", []byte("Metadata-Version: 2.1\nName: deployless\nVersion: " + v + "\n" +
			"Summary: The deployless pc API (typed, a no-op at run time) for tests, flask run, editors and mypy\n" +
			"Requires-Python: >=3.10\n")},
		{info + "WHEEL", []byte("Wheel-Version: 1.0\nGenerator: deployless " + version + "\n" +
			"Root-Is-Purelib: true\nTag: py3-none-any\n")},
	}
	var record strings.Builder
	for _, f := range files {
		sum := sha256.Sum256(f.data)
		fmt.Fprintf(&record, "%s,sha256=%s,%d\n", f.path, base64.RawURLEncoding.EncodeToString(sum[:]), len(f.data))
	}
	record.WriteString(info + "RECORD,,\n")
	files = append(files, struct {
		path string
		data []byte
	}{info + "RECORD", []byte(record.String())})

	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range files {
		h := &zip.FileHeader{Name: f.path, Method: zip.Deflate, Modified: sdkEpoch}
		h.SetMode(0o644)
		w, err := zw.CreateHeader(h)
		if err != nil {
			return "", nil, err
		}
		if _, err := w.Write(f.data); err != nil {
			return "", nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return "", nil, err
	}
	return "deployless-" + v + "-py3-none-any.whl", buf.Bytes(), nil
}

var (
	sdkSemver   = regexp.MustCompile(`^v?(\d+(?:\.\d+)*)(?:-([0-9A-Za-z.-]+))?(?:\+([0-9A-Za-z.-]+))?$`)
	sdkPre      = regexp.MustCompile(`^(dev|alpha|a|beta|b|rc|c|pre|preview)[.-]?(\d*)$`)
	sdkNonAlnum = regexp.MustCompile(`[^0-9a-z]+`)
)

// PyVersion maps a Go-style version (v1.2.3, v1.2.3-rc.1, v0.1.0-dev,
// v1.2.3+meta) to its canonical PEP 440 form (1.2.3, 1.2.3rc1, 0.1.0.dev0,
// 1.2.3+meta). A pre-release suffix that is not dev/alpha/beta/rc (a git
// describe suffix, a pseudo-version's timestamp) becomes a local version
// label, which still sorts after the release and is valid for pip.
func PyVersion(v string) (string, error) {
	m := sdkSemver.FindStringSubmatch(v)
	if m == nil {
		return "", fmt.Errorf("version %q is not of the form v1.2.3[-pre][+build]", v)
	}
	var nums []string
	for _, n := range strings.Split(m[1], ".") {
		i, err := strconv.Atoi(n)
		if err != nil {
			return "", fmt.Errorf("version %q: %v", v, err)
		}
		nums = append(nums, strconv.Itoa(i)) // PEP 440 drops leading zeros
	}
	out := strings.Join(nums, ".")
	var local []string
	if pre := strings.ToLower(m[2]); pre != "" {
		if p := sdkPre.FindStringSubmatch(pre); p != nil {
			num, _ := strconv.Atoi(p[2]) // "" is 0
			n := strconv.Itoa(num)
			switch p[1] {
			case "dev":
				out += ".dev" + n
			case "alpha", "a":
				out += "a" + n
			case "beta", "b":
				out += "b" + n
			default:
				out += "rc" + n
			}
		} else {
			local = append(local, pre)
		}
	}
	if m[3] != "" {
		local = append(local, strings.ToLower(m[3]))
	}
	if len(local) > 0 {
		segs := strings.Split(strings.Trim(sdkNonAlnum.ReplaceAllString(strings.Join(local, "."), "."), "."), ".")
		for i, s := range segs {
			if n, err := strconv.ParseUint(s, 10, 64); err == nil {
				segs[i] = strconv.FormatUint(n, 10) // canonical: numeric segments without leading zeros
			}
		}
		if label := strings.Join(segs, "."); label != "" {
			out += "+" + label
		}
	}
	return out, nil
}
