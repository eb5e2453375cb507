package envfile

import (
	"strings"
	"testing"

	"github.com/deployless/deployless/internal/source"
)

// An env file that is not UTF-8 is refused at the line, without echoing
// the line or the byte (it may be part of a secret).
func TestInvalidUTF8(t *testing.T) {
	entries, d := Parse(source.NewFile(".env", []byte("A=1\nSECRET_X=p\xe4ss\n")))
	if len(entries) != 0 || len(d) != 1 || d[0].String() != ".env:2:1: E36 the env file is not valid UTF-8 on this line; save it as UTF-8" {
		t.Fatalf("entries %v, diagnostics %v", entries, d)
	}
	if strings.Contains(d[0].String(), "ss") {
		t.Error("the diagnostic echoes the secret")
	}
}
