package lower

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/deployless/deployless/internal/config"
	"github.com/deployless/deployless/internal/diag"
	"github.com/deployless/deployless/internal/model"
	"github.com/deployless/deployless/internal/pyfront"
	"github.com/deployless/deployless/internal/source"
)

// lowerRoutes lowers one feature's routes.py and returns the model and the
// diagnostics (lowerProject fails on any).
func lowerRoutes(t *testing.T, routes string) (*model.Project, diag.List) {
	t.Helper()
	cfg, d := config.Load(source.NewFile("deployless.yaml", []byte("name: shop\n")))
	if d.HasErrors() {
		t.Fatalf("config: %v", d)
	}
	fsys := fstest.MapFS{"app/features/jobs/routes.py": &fstest.MapFile{Data: []byte(routes)}}
	facts, d := pyfront.Analyze(fsys, pyfront.Options{FeaturesDir: "app/features", SharedDir: "app/shared"})
	if d.HasErrors() {
		t.Fatalf("front end: %v", d)
	}
	return Lower(Input{Config: cfg}, facts)
}

const routesTail = `
bp = Blueprint("jobs", __name__)

@bp.get("/jobs")
def list_jobs():
    return []
`

func TestSQSContentBasedDeduplication(t *testing.T) {
	m, d := lowerRoutes(t, `import deployless as pc
from flask import Blueprint

a = pc.SQS("a", fifo=True)
b = pc.SQS("b", fifo=True, content_based_deduplication=False)
c = pc.SQS("c")
e = pc.SQS("e", content_based_deduplication=False)
pc.configure(resources={"a": a, "b": b, "c": c, "e": e})
`+routesTail)
	if d.HasErrors() {
		t.Fatalf("lower: %v", d)
	}
	want := map[string]bool{"AQueue": true, "BQueue": false, "CQueue": false, "EQueue": false}
	for _, r := range m.Resources {
		s := r.Spec.(*model.SQS)
		if w, ok := want[r.LogicalID]; !ok || s.ContentBasedDedup != w {
			t.Errorf("%s: ContentBasedDedup = %v, want %v", r.LogicalID, s.ContentBasedDedup, w)
		}
		delete(want, r.LogicalID)
	}
	if len(want) != 0 {
		t.Errorf("queues not lowered: %v", want)
	}
}

func TestSQSContentBasedDeduplicationErrors(t *testing.T) {
	for _, tc := range []struct{ call, want string }{
		// SQS refuses the attribute on a standard queue: at the argument.
		{`pc.SQS("c", content_based_deduplication=True)`,
			`app/features/jobs/routes.py:4:45: E00 SQS "c": content_based_deduplication=True needs a FIFO queue (fifo=True)`},
		// A wrong type is E10, as for every other argument of pc.SQS.
		{`pc.SQS("c", fifo=True, content_based_deduplication="yes")`,
			`app/features/jobs/routes.py:4:56: E10 SQS() content_based_deduplication must be a bool, got str "yes"`},
	} {
		_, d := lowerRoutes(t, "import deployless as pc\nfrom flask import Blueprint\n\nq = "+tc.call+"\npc.configure(resources={\"q\": q})\n"+routesTail)
		var got []string
		for _, x := range d.Sorted() {
			got = append(got, x.Span.Path+":"+itoa(x.Span.Line)+":"+itoa(x.Span.Col)+": "+string(x.Code)+" "+x.Message)
		}
		if strings.Join(got, "\n") != tc.want {
			t.Errorf("%s:\n got %q\nwant %q", tc.call, got, tc.want)
		}
	}
}

// A key without an alias is the original's AppKey, so a stack it made keeps
// the key (and what it encrypted).
func TestKMSWithoutAliasIsAppKey(t *testing.T) {
	m, d := lowerRoutes(t, `import deployless as pc
from flask import Blueprint

k = pc.KMS()
pc.configure(resources={"k": k})
`+routesTail)
	if d.HasErrors() {
		t.Fatalf("lower: %v", d)
	}
	if len(m.Resources) != 1 || m.Resources[0].LogicalID != "AppKey" || m.Resources[0].EnvVar != "KMS_KEY_ID" {
		t.Fatalf("resources = %+v, want one AppKey with KMS_KEY_ID", m.Resources)
	}
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}
