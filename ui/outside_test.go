package ui

import (
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/kubeplay/kubeplay/engine/backend"
	"github.com/kubeplay/kubeplay/engine/bilingual"
	"github.com/kubeplay/kubeplay/engine/configdir"
	"github.com/kubeplay/kubeplay/engine/launch"
	"github.com/kubeplay/kubeplay/engine/serve"
	"github.com/kubeplay/kubeplay/ui/record"
	"github.com/kubeplay/kubeplay/ui/theme"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
)

// TestReplaySaysYourOwnKubectlIsNotSentAgain: a session recorded as main
// records one, its cluster's API served in-process as main serves it
// (--listen), in step mode: `create deployment`, a few steps, then the
// learner's own kubectl (a client of kubeplay's kubeconfig) lists the
// pods while the learner steps on. The recording keeps the request (its
// method, path and query, the command it came after); the replay, which
// cannot send it again, goes another way from there, and its label says
// why and from where, in English and Korean, not only that it did.
func TestReplaySaysYourOwnKubectlIsNotSentAgain(t *testing.T) {
	dir := t.TempDir()
	t.Setenv(configdir.Env, dir)
	path := filepath.Join(t.TempDir(), "demo.kpr")
	o := testOptions(Options{Lang: "en", Nodes: 3, Theme: theme.NoColor}, launch.Sim, "")
	api := serve.NewAPI(serve.Options{Addr: "127.0.0.1:0"})
	defer api.Close()
	o.Clusters.(*launch.Clusters).OnStart = func(c backend.Cluster) func() {
		if _, err := api.Serve(c, "en"); err != nil {
			t.Errorf("serving the API: %v", err)
		}
		return func() { api.Unserve(c) }
	}
	o.API = api
	o.Record = &Recording{Path: path, Header: record.Header{Seed: 1, Asked: "sim"}}
	h := startRun(t, o, nil)
	opened := h.st.add(func(a *App) bool { return a.onPlayground })
	running := h.st.add(func(a *App) bool { return a.driver.Running() })
	asked := h.st.add(func(a *App) bool { return strings.Contains(ansi.Strip(a.View().Content), "Quit kubeplay?") })
	await(t, h.started, 30*time.Second, "first frame")
	h.typeKeys("\r")
	await(t, opened, 30*time.Second, "playground")
	const create = "create deployment web --image=nginx:1.25 --replicas=3"
	h.typeKeys(create + "\r")
	await(t, running, 30*time.Second, "create deployment running")
	h.typeKeys("\x0e\x0e\x0e") // ctrl+n: three steps

	// The learner's own kubectl, in another terminal: kubeplay's kubeconfig.
	kubeconfigs, err := filepath.Glob(filepath.Join(dir, "kubeconfig-*"))
	if err != nil || len(kubeconfigs) != 1 {
		t.Fatalf("kubeplay's kubeconfig: %v %v", kubeconfigs, err)
	}
	cfg, err := clientcmd.BuildConfigFromFlags("", kubeconfigs[0])
	if err != nil {
		t.Fatal(err)
	}
	client, err := rest.HTTPClientFor(cfg)
	if err != nil {
		t.Fatal(err)
	}
	answered := make(chan error, 1)
	go func() {
		resp, err := client.Get(cfg.Host + "/api/v1/namespaces/default/pods?limit=500")
		if err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				err = &statusError{resp.Status}
			}
		}
		answered <- err
	}()
	h.typeKeys("\x0e\x0e\x0e") // three steps more, the request among them
	h.typeKeys("\x14\x14")     // ctrl+t twice: free mode, which answers it
	select {
	case err := <-answered:
		if err != nil {
			t.Fatalf("your own kubectl's request: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("your own kubectl had no answer within 30s")
	}
	rec := h.quitRecording(asked, path)
	if !rec.Header.Outside || !rec.Header.Served() {
		t.Errorf("the header does not say that the API was served and its requests kept: %+v", rec.Header)
	}
	var outside []record.Event
	cmdsBefore := -1
	cmds := 0
	for _, e := range rec.Events {
		switch e.Kind {
		case record.KindCmd:
			cmds++
		case record.KindOutside:
			if cmdsBefore < 0 {
				cmdsBefore = cmds
			}
			outside = append(outside, e)
		}
	}
	if len(outside) != 1 || outside[0].Method != "GET" || outside[0].Path != "/api/v1/namespaces/default/pods" || outside[0].Query != "limit=500" || cmdsBefore != 1 {
		t.Fatalf("the recording keeps %+v from outside, after %d commands: want GET /api/v1/namespaces/default/pods?limit=500 after 1", outside, cmdsBefore)
	}

	r, err := NewReplay(rec, simReplayClusters)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if note := r.OutsideNote(bilingual.English); note != "" {
		t.Errorf("before the request from outside, the replay says %q", note)
	}
	for r.Step() {
	}
	if r.Missed() == 0 {
		t.Fatal("the replay heard everything the session did: it cannot have sent your own kubectl's request")
	}
	label := ansi.Strip((&replayView{r: r, lang: bilingual.English, now: time.Now}).label())
	const want = "a replay cannot send your own kubectl's requests (1) again: from the first, GET /api/v1/namespaces/default/pods after command 1 (" + create + "), it went another way than the recording"
	if !strings.Contains(label, want) {
		t.Errorf("the replay's label:\n%s\nwant it to say\n%s", label, want)
	}
	const wantKO = "재생은 내 kubectl의 요청(1개)을 다시 보낼 수 없어요. 첫 요청 GET /api/v1/namespaces/default/pods(1번째 명령 " + create + " 뒤)부터 녹화와 다르게 흘러갔어요"
	if got := r.OutsideNote(bilingual.Korean); got != wantKO {
		t.Errorf("in Korean the replay says\n%s\nwant\n%s", got, wantKO)
	}
}

type statusError struct{ status string }

func (e *statusError) Error() string { return "answered " + e.status }
