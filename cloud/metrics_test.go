package cloud

import (
	"net/http/httptest"
	"strings"
	"testing"
)

func TestMetricsEscapeLabelsAndTypeCounters(t *testing.T) {
	st, err := OpenBolt(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	s := NewServer(st, Options{})
	s.metrics.webhook("we\"ird\\chan\nnel", "created")
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	out := rec.Body.String()
	if want := `pos_cloud_webhooks_total{channel="we\"ird\\chan\nnel",outcome="created"} 1`; !strings.Contains(out, want) {
		t.Fatalf("label not escaped as Prometheus does; want %s in\n%s", want, out)
	}
	types := map[string]string{}
	for _, line := range strings.Split(out, "\n") {
		if f := strings.Fields(line); len(f) == 4 && f[0] == "#" && f[1] == "TYPE" {
			types[f[2]] = f[3]
		}
	}
	if len(types) == 0 {
		t.Fatal("no TYPE lines")
	}
	for name, typ := range types {
		if strings.HasSuffix(name, "_total") != (typ == "counter") {
			t.Errorf("%s is a %s: counters end in _total and only they do", name, typ)
		}
	}
}
