package httpapi

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kubeplay/kubeplay/engine/apiserver"
	"github.com/kubeplay/kubeplay/engine/sim"
	"github.com/kubeplay/kubeplay/engine/store"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/watch"
)

// historySize is how many changes a watch can be replayed from, like the
// apiserver's watch cache: older resourceVersions get 410 Gone.
// historyBytes bounds the objects it keeps alive: a learner who changes
// a 1.5 MiB ConfigMap a thousand times must not make kubeplay keep every
// version.
const (
	historySize  = 10000
	historyBytes = 128 << 20
)

// history is a ring of the latest store changes, on the kernel goroutine.
type history struct {
	cap    int
	events []store.Event // oldest first, at most cap
	sizes  []int         // of events' objects
	bytes  int           // their sum
	// dropped is the revision of the newest change no longer kept: a
	// watch from it or later can be replayed; 0 while nothing was dropped.
	dropped int64
}

// add keeps ev, whose object takes size bytes, and forgets the oldest
// changes past the bounds.
func (h *history) add(ev store.Event, size int) {
	h.events = append(h.events, ev)
	h.sizes = append(h.sizes, size)
	h.bytes += size
	for len(h.events) > h.cap || (h.bytes > historyBytes && len(h.events) > 1) {
		h.dropped = h.events[0].Rev
		h.bytes -= h.sizes[0]
		h.events[0] = store.Event{} // the array must not keep the object alive
		h.events, h.sizes = h.events[1:], h.sizes[1:]
	}
}

// since returns the kept changes after rev, or false when some are gone.
func (h *history) since(rev int64) ([]store.Event, bool) {
	if rev < h.dropped {
		return nil, false
	}
	i := len(h.events)
	for i > 0 && h.events[i-1].Rev > rev {
		i--
	}
	return h.events[i:], true
}

// watchStream is one open watch. The kernel goroutine offers it changes;
// the HTTP goroutine takes them in order. The cluster never waits for a
// slow client: a client that falls too far behind — more changes, or more
// bytes of objects, than a watcher may hold — is ended, as kube-apiserver
// ends a watcher that cannot keep up, and its kubectl starts over.
type watchStream struct {
	res       *apiserver.Resource
	namespace string
	sel       selector

	budget  int // bytes its backlog may hold
	mu      sync.Mutex
	queue   []change
	queued  int // bytes of the objects of queued live changes
	overrun bool
	ready   chan struct{} // one value while queue is not empty
}

// change is a store change with the cluster's time when it happened, for
// the AGE columns of a watched table.
type change struct {
	store.Event
	at time.Time
	// size is the object's, for a change that happened while the watch
	// was open (which the queue alone may keep alive); 0 for the
	// objects a watch starts with, which the store or history keeps.
	size int
}

// watchEvent is one line of a watch stream.
type watchEvent struct {
	Type   watch.EventType `json:"type"`
	Object any             `json:"object"`
}

// A watch's backlog is bounded in changes and in bytes; beyond either
// it ends with an error, as the apiserver ends a watcher that cannot
// keep up. The bytes count the objects the backlog alone keeps alive: a
// client that reads nothing while a 1.5 MiB object changes must not make
// kubeplay keep every version.
const (
	maxQueued      = 50000
	maxQueuedBytes = 32 << 20
)

// objectSize is about what an object takes: its protobuf encoding's size,
// which the generated code computes without encoding it.
func objectSize(obj runtime.Object) int {
	if p, ok := obj.(interface{ Size() int }); ok {
		return p.Size()
	}
	return 1 << 10
}

func (w *watchStream) wants(ev store.Event) bool {
	res, err := apiserver.ResourceOf(ev.Object)
	if err != nil || res != w.res {
		return false
	}
	if w.namespace == "" {
		return true
	}
	m, err := meta.Accessor(ev.Object)
	return err == nil && m.GetNamespace() == w.namespace
}

// offer runs on the kernel goroutine; size is ev's object's, for a live
// change, else 0.
func (w *watchStream) offer(ev store.Event, now time.Time, size int) {
	if w.wants(ev) {
		w.push(change{ev, now, size})
	}
}

func (w *watchStream) push(c change) {
	w.mu.Lock()
	if len(w.queue) >= maxQueued || w.queued+c.size > w.budget {
		w.overrun = true
	} else if !w.overrun {
		w.queue = append(w.queue, c)
		w.queued += c.size
	}
	w.mu.Unlock()
	select {
	case w.ready <- struct{}{}:
	default:
	}
}

func (w *watchStream) take() ([]change, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	evs := w.queue
	w.queue, w.queued = nil, 0
	return evs, w.overrun
}

// watch serves ?watch=true: the changes after resourceVersion (or, with
// none or "0", every object as ADDED first), then each change as it
// happens, one JSON event per chunk, until the client goes, the timeout
// the client asked for passes, or kubeplay stops.
func (s *Server) watch(w http.ResponseWriter, r *http.Request, t target) {
	sel, err := parseSelector(r, t.res.New())
	if err != nil {
		s.writeError(w, err)
		return
	}
	q := r.URL.Query()
	var from int64
	if v := q.Get("resourceVersion"); v != "" {
		if from, err = strconv.ParseInt(v, 10, 64); err != nil {
			s.writeError(w, apierrors.NewBadRequest(fmt.Sprintf("invalid resource version %q", v)))
			return
		}
	}
	ws := &watchStream{res: t.res, namespace: t.namespace, sel: sel, budget: s.watchBudget, ready: make(chan struct{}, 1)}
	var gone error
	_, err = s.call(r, apiserver.Request{Verb: sim.VerbList, Resource: t.res, Namespace: t.namespace}, func(_ runtime.Object, err error) {
		if err != nil {
			return
		}
		now := s.c.Now()
		if from == 0 {
			for _, obj := range s.c.List(t.res, t.namespace) {
				m, _ := meta.Accessor(obj)
				rev, _ := strconv.ParseInt(m.GetResourceVersion(), 10, 64)
				ws.push(change{store.Event{Type: watch.Added, Object: obj, Rev: rev}, now, 0})
			}
		} else {
			evs, ok := s.hist.since(from)
			if !ok {
				gone = apierrors.NewResourceExpired(fmt.Sprintf("too old resource version: %d (%d)", from, s.hist.dropped+1))
				return
			}
			for _, ev := range evs {
				ws.offer(ev, now, 0)
			}
		}
		s.streams[ws] = struct{}{}
	})
	if err == nil {
		err = gone
	}
	if err != nil {
		s.writeError(w, err)
		return
	}
	defer s.inject(sim.VerbUnwatch, func() { delete(s.streams, ws) })
	s.wg.Add(1)
	defer s.wg.Done()
	s.streamEvents(w, r, t, ws)
}

func (s *Server) streamEvents(w http.ResponseWriter, r *http.Request, t target, ws *watchStream) {
	flusher, _ := w.(http.Flusher)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Transfer-Encoding", "chunked")
	w.WriteHeader(http.StatusOK)
	if flusher != nil {
		flusher.Flush()
	}
	var timeout <-chan time.Time
	if v := r.URL.Query().Get("timeoutSeconds"); v != "" {
		if secs, err := strconv.Atoi(v); err == nil && secs > 0 {
			timer := time.NewTimer(time.Duration(secs) * time.Second)
			defer timer.Stop()
			timeout = timer.C
		}
	}
	asTable := wantsTable(r)
	include := r.URL.Query().Get("includeObject")
	out := s.slices.writer(r.Context(), w)
	defer out.close()
	enc := json.NewEncoder(w)
	first := true
	for {
		select {
		case <-ws.ready:
		case <-r.Context().Done():
			return
		case <-s.closed:
			return
		case <-timeout:
			return
		}
		evs, overrun := ws.take()
		for _, ev := range evs {
			if !ws.sel.matches(ev.Object) {
				continue
			}
			line, err := s.encoded.event(t, ev, asTable, include, first)
			if err != nil {
				return
			}
			first = false
			if _, err := out.Write(line); err != nil {
				return
			}
		}
		if overrun {
			st := statusOf(apierrors.NewTooManyRequestsError("the watch fell too far behind the cluster; list again"))
			_ = enc.Encode(watchEvent{Type: watch.Error, Object: st})
			return
		}
		if flusher != nil {
			flusher.Flush()
		}
	}
}

// encodedEvents keeps the JSON line of recent watch events, so that many
// watchers of the same changes (a class of learners, k9s and kubectl -w
// side by side) encode each change once, not once each: a 1 MiB object
// sent to 5,000 watchers is one 1 MiB line, written 5,000 times. Watchers
// that ask for the same line at once wait for the first to encode it.
type encodedEvents struct {
	mu    sync.Mutex
	lines map[encodedKey]*encodedLine
	order []encodedKey // oldest first, to forget
	bytes int          // of the lines kept
	made  atomic.Int64 // lines encoded: what the sharing saves shows in tests
}

type encodedLine struct {
	once sync.Once
	line []byte
	err  error
}

// encodedKey is everything a line depends on.
type encodedKey struct {
	typ         watch.EventType
	rev         int64
	at          int64 // a table's AGE cells: the cluster's time, in whole seconds
	asTable     bool
	include     string
	withColumns bool
	apiVersion  string // the version the watch's path names: older ones are converted
}

// Lines are forgotten, oldest first, past either bound.
const (
	maxEncoded      = 4096
	maxEncodedBytes = 64 << 20
)

// event is the line of ev as a watch sends it: the object, or a one-row
// Table (with its columns for the stream's first event).
func (e *encodedEvents) event(t target, ev change, asTable bool, include string, withColumns bool) ([]byte, error) {
	key := encodedKey{typ: ev.Type, rev: ev.Rev, asTable: asTable, apiVersion: t.apiVersion()}
	if asTable {
		// Ages are shown in whole seconds (and creation times are whole
		// seconds): watchers that start within the same second share
		// their first lines.
		ev.at = ev.at.Truncate(time.Second)
		key.at, key.include, key.withColumns = ev.at.Unix(), include, withColumns
	}
	e.mu.Lock()
	if e.lines == nil {
		e.lines = map[encodedKey]*encodedLine{}
	}
	l, ok := e.lines[key]
	if !ok {
		l = &encodedLine{}
		e.lines[key] = l
		e.order = append(e.order, key)
	}
	e.mu.Unlock()
	l.once.Do(func() {
		l.line, l.err = encodeEvent(t, ev, asTable, include, withColumns)
		e.made.Add(1)
		e.mu.Lock()
		defer e.mu.Unlock()
		if e.lines[key] == l { // not forgotten meanwhile
			e.bytes += len(l.line)
		}
		e.forget()
	})
	return l.line, l.err
}

// forget drops the oldest lines past the bounds; watchers writing one
// keep it until they are done.
func (e *encodedEvents) forget() {
	for len(e.order) > 1 && (len(e.order) > maxEncoded || e.bytes > maxEncodedBytes) {
		key := e.order[0]
		e.order = e.order[1:]
		if l := e.lines[key]; l != nil {
			e.bytes -= len(l.line)
			delete(e.lines, key)
		}
	}
}

// encodeEvent encodes one watch event, ending in a newline.
func encodeEvent(t target, ev change, asTable bool, include string, withColumns bool) ([]byte, error) {
	obj := ev.Object
	if ev.Type == watch.Deleted {
		// The deletion has its own resourceVersion, as in etcd.
		obj = obj.DeepCopyObject()
		m, _ := meta.Accessor(obj)
		m.SetResourceVersion(strconv.FormatInt(ev.Rev, 10))
	}
	var out any = t.view(obj)
	if asTable {
		m, _ := meta.Accessor(obj)
		tbl, err := table(t.res, []runtime.Object{obj}, m.GetResourceVersion(), ev.at, include, withColumns)
		if err != nil {
			return nil, err
		}
		out = tbl
	}
	line, err := json.Marshal(watchEvent{Type: ev.Type, Object: out})
	if err != nil {
		return nil, err
	}
	return append(line, '\n'), nil
}
