package httpapi

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kubeplay/kubeplay/engine/cluster"
	"github.com/kubeplay/kubeplay/engine/store"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/watch"
)

// bigConfigMap is a ConfigMap in namespace big with n bytes of data.
func bigConfigMap(name string, n int, fill byte) string {
	return fmt.Sprintf(`{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":%q,"namespace":"big"},"data":{"x":%q}}`, name, strings.Repeat(string(fill), n))
}

// bigData is a merge patch that sets a ConfigMap's data to n bytes.
func bigData(n int, fill byte) string {
	return fmt.Sprintf(`{"data":{"x":%q}}`, strings.Repeat(string(fill), n))
}

func (sv *served) makeNamespace(t testing.TB, name string) {
	t.Helper()
	if code, body := sv.do(t, "POST", "/api/v1/namespaces", "application/json", `{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"`+name+`"}}`); code != 201 {
		t.Fatalf("namespace: %d %s", code, body)
	}
}

// openWatch starts a watch of path; its events arrive on the channel,
// which closes when the stream ends.
func (sv *served) openWatch(t *testing.T, ctx context.Context, path string, header ...string) <-chan watchLine {
	t.Helper()
	req, _ := http.NewRequestWithContext(ctx, "GET", sv.base+path, nil)
	setHeaders(req, header)
	resp, err := sv.client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 {
		t.Fatalf("watch %s: %d", path, resp.StatusCode)
	}
	ch := make(chan watchLine, 100)
	go func() {
		defer close(ch)
		defer resp.Body.Close()
		dec := json.NewDecoder(bufio.NewReader(resp.Body))
		for {
			var ev watchLine
			if dec.Decode(&ev) != nil {
				return
			}
			ch <- ev
		}
	}()
	return ch
}

type watchLine struct {
	Type   watch.EventType `json:"type"`
	Object json.RawMessage `json:"object"`
}

func next(t *testing.T, ch <-chan watchLine) watchLine {
	t.Helper()
	select {
	case ev, ok := <-ch:
		if !ok {
			t.Fatal("the watch ended")
		}
		return ev
	case <-time.After(20 * time.Second):
		t.Fatal("no event within 20s")
	}
	return watchLine{}
}

// TestWatchersShareEachEncodedEvent: watchers that start one after
// another each get the large object they start with, and all of them its
// change, but each line is encoded once for all watchers that want it in
// the same form — not once per watcher.
func TestWatchersShareEachEncodedEvent(t *testing.T) {
	sv := serve(t)
	sv.makeNamespace(t, "big")
	if code, body := sv.do(t, "POST", "/api/v1/namespaces/big/configmaps", "application/json", bigConfigMap("big", 1<<20, 'a')); code != 201 {
		t.Fatalf("create: %d %.200s", code, body)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	const jsonWatchers, tableWatchers = 20, 4
	var streams []<-chan watchLine
	for i := range jsonWatchers + tableWatchers {
		var header []string
		if i >= jsonWatchers {
			header = []string{"Accept", "application/json;as=Table;v=v1;g=meta.k8s.io"}
		}
		ch := sv.openWatch(t, ctx, "/api/v1/namespaces/big/configmaps?watch=true", header...)
		if ev := next(t, ch); ev.Type != watch.Added || len(ev.Object) < 1<<20 && i < jsonWatchers {
			t.Fatalf("watcher %d began with %s of %d bytes", i, ev.Type, len(ev.Object))
		}
		streams = append(streams, ch)
		time.Sleep(5 * time.Millisecond) // the cluster's clock moves on
	}
	if code, body := sv.do(t, "PATCH", "/api/v1/namespaces/big/configmaps/big", "application/merge-patch+json", bigData(1<<20, 'b')); code != 200 {
		t.Fatalf("update: %d %.200s", code, body)
	}
	for i, ch := range streams {
		if ev := next(t, ch); ev.Type != watch.Modified {
			t.Fatalf("watcher %d: %s", i, ev.Type)
		}
	}
	// One line for the JSON watchers' ADDED and one for their MODIFIED;
	// the tables' first lines are shared within a second.
	if made := sv.s.encoded.made.Load(); made > 6 {
		t.Errorf("%d watchers made %d encodings of two changes", len(streams), made)
	}
}

// TestSlowWatcherIsEnded: a watcher that reads nothing while a large
// object keeps changing is ended with an error once its backlog holds
// its budget (maxQueuedBytes), as kube-apiserver ends a watcher that cannot keep up,
// instead of keeping every version of the object alive for it.
func TestSlowWatcherIsEnded(t *testing.T) {
	c, err := cluster.New(cluster.Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	const budget = 4 << 20 // maxQueuedBytes's 32 MiB would take long to fill
	sv := serveCluster(t, c, func(s *Server) { s.watchBudget = budget })
	sv.makeNamespace(t, "big")
	const size = 1400 << 10
	if code, body := sv.do(t, "POST", "/api/v1/namespaces/big/configmaps", "application/json", bigConfigMap("big", size, 'a')); code != 201 {
		t.Fatalf("create: %d %.200s", code, body)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", sv.base+"/api/v1/namespaces/big/configmaps?watch=true&resourceVersion="+strconv.FormatInt(sv.revision(), 10), nil)
	resp, err := sv.client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	const changes = 20 // 27 MiB: more than the backlog and the sockets hold
	for i := range changes {
		if code, body := sv.do(t, "PATCH", "/api/v1/namespaces/big/configmaps/big", "application/merge-patch+json", bigData(size, byte('b'+i%25))); code != 200 {
			t.Fatalf("update %d: %d %.200s", i, code, body)
		}
	}
	// A watcher that is never ended would block here: a deadline ends it.
	timer := time.AfterFunc(time.Minute, cancel)
	defer timer.Stop()
	dec := json.NewDecoder(resp.Body)
	var modified int
	var last watchLine
	for dec.Decode(&last) == nil && last.Type == watch.Modified {
		modified++
	}
	var st metav1.Status
	if last.Type != watch.Error || json.Unmarshal(last.Object, &st) != nil || st.Code != 429 || !strings.Contains(st.Message, "fell too far behind") {
		t.Fatalf("after %d of %d changes: %s %.300s", modified, changes, last.Type, last.Object)
	}
	if modified >= changes {
		t.Errorf("the slow watcher was sent all %d changes", changes)
	}
}

// TestHistoryIsBoundedInBytes: the changes watches replay from keep at
// most historyBytes of objects alive; older versions answer 410.
func TestHistoryIsBoundedInBytes(t *testing.T) {
	h := history{cap: historySize}
	const size = 1 << 20
	for rev := int64(1); rev <= 300; rev++ {
		h.add(store.Event{Type: watch.Modified, Rev: rev, Object: &corev1.ConfigMap{}}, size)
	}
	if h.bytes > historyBytes || len(h.events)*size > historyBytes || h.bytes != len(h.events)*size {
		t.Fatalf("history keeps %d changes, %d bytes", len(h.events), h.bytes)
	}
	if _, ok := h.since(1); ok {
		t.Error("a forgotten version can still be replayed")
	}
	if evs, ok := h.since(299); !ok || len(evs) != 1 {
		t.Errorf("the latest change: %v %v", evs, ok)
	}
}
