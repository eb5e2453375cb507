package pyfront

import "testing"

// Python refuses a source file that is not UTF-8 (without a coding
// declaration), so the Lambda would fail at import: E31 at the byte.
func TestInvalidUTF8IsASyntaxError(t *testing.T) {
	_, diags := analyze(t, map[string]string{
		"app/features/x/routes.py": "from flask import Blueprint\n\nbp = Blueprint(\"x\", __name__)\nNAME = \"caf\xe9\"\n\n@bp.get(\"/x\")\ndef x():\n    return {}\n",
	}, nil)
	if want := "app/features/x/routes.py:4:12: E31 the file is not valid UTF-8 (byte 0xe9), so Python refuses it; save it as UTF-8"; diags != want {
		t.Errorf("got %q, want %q", diags, want)
	}
}
