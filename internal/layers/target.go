package layers

import (
	"fmt"
	"strconv"
	"strings"
)

// Target is the Lambda platform a layer is built for: one runtime on one
// architecture (LAMBDA-FACTS.md, "Platforms and wheels").
type Target struct {
	Runtime string // python3.9 … python3.14
	Arch    string // x86_64 or arm64, as Lambda spells it
	Minor   int    // the runtime's Python minor version (13 for python3.13)
	OS      string // Amazon Linux 2 or Amazon Linux 2023
	Glibc   [2]int // the OS's glibc: wheels for a newer one cannot load
	// Platform is uv's --python-platform: manylinux_2_17 (that is,
	// manylinux2014; uv has no manylinux_2_26 target) on Amazon Linux 2,
	// manylinux_2_34 on Amazon Linux 2023. uv also accepts older manylinux
	// wheels under either, so binary packages that stopped at 2014 still
	// fit. manylinux_2_17 rather than uv's alias <arch>-manylinux2014: the
	// same platform in uv (uv-configuration's target_triple.rs), but the
	// alias only exists since uv 0.9.29.
	Platform string
}

// runtimes maps each Python runtime Lambda offers (check.SupportedRuntimes)
// to the OS it runs on: python3.9–3.11 on Amazon Linux 2 (glibc 2.26),
// python3.12 and later on Amazon Linux 2023 (glibc 2.34).
var runtimes = map[string]int{"python3.9": 9, "python3.10": 10, "python3.11": 11, "python3.12": 12, "python3.13": 13, "python3.14": 14}

// wheelArch is the architecture as wheel tags and uv spell it.
var wheelArch = map[string]string{"x86_64": "x86_64", "arm64": "aarch64"}

// NewTarget checks runtime and arch and returns their target.
func NewTarget(runtime, arch string) (Target, error) {
	minor, ok := runtimes[runtime]
	if !ok {
		return Target{}, fmt.Errorf("runtime %q has no dependency layers (expected python3.9 … python3.14)", runtime)
	}
	wa, ok := wheelArch[arch]
	if !ok {
		return Target{}, fmt.Errorf("architecture %q is not one Lambda offers (expected x86_64 or arm64)", arch)
	}
	t := Target{Runtime: runtime, Arch: arch, Minor: minor}
	if minor <= 11 {
		t.OS, t.Glibc, t.Platform = "Amazon Linux 2", [2]int{2, 26}, wa+"-manylinux_2_17"
	} else {
		t.OS, t.Glibc, t.Platform = "Amazon Linux 2023", [2]int{2, 34}, wa+"-manylinux_2_34"
	}
	return t, nil
}

// PythonVersion is uv's --python-version: "3.13".
func (t Target) PythonVersion() string { return "3." + strconv.Itoa(t.Minor) }

// String names the target for messages: "python3.13 on arm64 (Amazon Linux 2023)".
func (t Target) String() string { return t.Runtime + " on " + t.Arch + " (" + t.OS + ")" }

// wants describes the wheels the target loads, for messages.
func (t Target) wants() string {
	return fmt.Sprintf("%s loads cp3%d, abi3 or pure-Python wheels for manylinux up to glibc %d.%d on %s", t.OS, t.Minor, t.Glibc[0], t.Glibc[1], wheelArch[t.Arch])
}

// name is the target without its OS: "python3.13 on arm64".
func (t Target) name() string { return t.Runtime + " on " + t.Arch }

// Compatible reports whether a wheel tag (the Tag: lines of a .dist-info's
// WHEEL file, compressed sets such as py2.py3-none-any allowed) loads on the
// target, following the packaging specification's platform compatibility
// tags: the interpreter tag py3/py3N (N ≤ minor) or cp3N, the ABI none,
// abi3 (from cp3N with N ≤ minor) or cp3<minor>, and the platform any or
// manylinux for the target's architecture and at most its glibc.
// Free-threaded (cp313t), musllinux and plain linux_* wheels never load.
func (t Target) Compatible(tag string) bool {
	parts := strings.Split(strings.TrimSpace(tag), "-")
	if len(parts) != 3 {
		return false
	}
	for _, py := range strings.Split(parts[0], ".") {
		for _, abi := range strings.Split(parts[1], ".") {
			for _, plat := range strings.Split(parts[2], ".") {
				if t.pythonABI(py, abi) && t.platform(plat) {
					return true
				}
			}
		}
	}
	return false
}

func (t Target) pythonABI(py, abi string) bool {
	own := "cp3" + strconv.Itoa(t.Minor)
	switch {
	case py == "py3":
		return abi == "none"
	case strings.HasPrefix(py, "py3"):
		n, err := strconv.Atoi(py[3:])
		return err == nil && n <= t.Minor && abi == "none"
	case strings.HasPrefix(py, "cp3"):
		n, err := strconv.Atoi(py[3:])
		if err != nil {
			return false
		}
		switch abi {
		case "abi3":
			return n <= t.Minor
		case "none", own:
			return n == t.Minor
		}
	}
	return false
}

func (t Target) platform(plat string) bool {
	if plat == "any" {
		return true
	}
	arch := wheelArch[t.Arch]
	var major, minor int
	switch {
	case plat == "manylinux1_"+arch:
		major, minor = 2, 5
	case plat == "manylinux2010_"+arch:
		major, minor = 2, 12
	case plat == "manylinux2014_"+arch:
		major, minor = 2, 17
	case strings.HasPrefix(plat, "manylinux_") && strings.HasSuffix(plat, "_"+arch):
		v := strings.Split(strings.TrimSuffix(strings.TrimPrefix(plat, "manylinux_"), "_"+arch), "_")
		if len(v) != 2 {
			return false
		}
		var err1, err2 error
		major, err1 = strconv.Atoi(v[0])
		minor, err2 = strconv.Atoi(v[1])
		if err1 != nil || err2 != nil {
			return false
		}
	default:
		return false
	}
	return major < t.Glibc[0] || major == t.Glibc[0] && minor <= t.Glibc[1]
}
