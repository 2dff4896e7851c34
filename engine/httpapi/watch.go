package httpapi

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/kubeplay/kubeplay/engine/apiserver"
	"github.com/kubeplay/kubeplay/engine/store"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/watch"
)

// historySize is how many changes a watch can be replayed from, like the
// apiserver's watch cache: older resourceVersions get 410 Gone.
const historySize = 10000

// history is a ring of the latest store changes, on the kernel goroutine.
type history struct {
	cap    int
	events []store.Event // oldest first, at most cap
	// dropped is the revision of the newest change no longer kept: a
	// watch from it or later can be replayed; 0 while nothing was dropped.
	dropped int64
}

func (h *history) add(ev store.Event) {
	if len(h.events) == h.cap {
		h.dropped = h.events[0].Rev
		copy(h.events, h.events[1:])
		h.events = h.events[:len(h.events)-1]
	}
	h.events = append(h.events, ev)
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
// the HTTP goroutine takes them in order. Its queue has no bound so that
// the cluster never waits for a slow client; a client that falls too far
// behind is ended, and kubectl starts over from a list.
type watchStream struct {
	res       *apiserver.Resource
	namespace string
	sel       selector

	mu      sync.Mutex
	queue   []change
	overrun bool
	ready   chan struct{} // one value while queue is not empty
}

// change is a store change with the cluster's time when it happened, for
// the AGE columns of a watched table.
type change struct {
	store.Event
	at time.Time
}

// watchEvent is one line of a watch stream.
type watchEvent struct {
	Type   watch.EventType `json:"type"`
	Object any             `json:"object"`
}

// maxQueued bounds a watch's backlog; beyond it the watch ends with an
// error, as the apiserver ends a watcher that cannot keep up.
const maxQueued = 50000

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

// offer runs on the kernel goroutine.
func (w *watchStream) offer(ev store.Event, now time.Time) {
	if w.wants(ev) {
		w.push(change{ev, now})
	}
}

func (w *watchStream) push(evs ...change) {
	w.mu.Lock()
	if len(w.queue)+len(evs) > maxQueued {
		w.overrun = true
	} else {
		w.queue = append(w.queue, evs...)
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
	w.queue = nil
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
	ws := &watchStream{res: t.res, namespace: t.namespace, sel: sel, ready: make(chan struct{}, 1)}
	var gone error
	_, err = s.call(r, apiserver.Request{Verb: apiserver.VerbList, Resource: t.res, Namespace: t.namespace}, func(_ runtime.Object, err error) {
		if err != nil {
			return
		}
		now := s.c.K.Now()
		if from == 0 {
			for _, obj := range s.c.API.List(t.res, t.namespace) {
				m, _ := meta.Accessor(obj)
				rev, _ := strconv.ParseInt(m.GetResourceVersion(), 10, 64)
				ws.push(change{store.Event{Type: watch.Added, Object: obj, Rev: rev}, now})
			}
		} else {
			evs, ok := s.hist.since(from)
			if !ok {
				gone = apierrors.NewResourceExpired(fmt.Sprintf("too old resource version: %d (%d)", from, s.hist.dropped+1))
				return
			}
			for _, ev := range evs {
				ws.offer(ev, now)
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
	defer s.inject("unwatch", func() { delete(s.streams, ws) })
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
			line, err := s.encoded.event(t.res, ev, asTable, include, first)
			if err != nil {
				return
			}
			first = false
			if _, err := w.Write(line); err != nil {
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
// side by side) encode each change once, not once each.
type encodedEvents struct {
	mu    sync.Mutex
	lines map[encodedKey][]byte
}

// encodedKey is everything a line depends on.
type encodedKey struct {
	typ         watch.EventType
	rev         int64
	at          int64 // the cluster's time, for a table's AGE cells
	asTable     bool
	include     string
	withColumns bool
}

// maxEncoded bounds the lines kept; past it they are all dropped.
const maxEncoded = 4096

// event is the line of ev as a watch sends it: the object, or a one-row
// Table (with its columns for the stream's first event).
func (e *encodedEvents) event(res *apiserver.Resource, ev change, asTable bool, include string, withColumns bool) ([]byte, error) {
	key := encodedKey{ev.Type, ev.Rev, ev.at.UnixNano(), asTable, include, withColumns && asTable}
	e.mu.Lock()
	line, ok := e.lines[key]
	e.mu.Unlock()
	if ok {
		return line, nil
	}
	obj := ev.Object
	if ev.Type == watch.Deleted {
		// The deletion has its own resourceVersion, as in etcd.
		obj = obj.DeepCopyObject()
		m, _ := meta.Accessor(obj)
		m.SetResourceVersion(strconv.FormatInt(ev.Rev, 10))
	}
	var out any = obj
	if asTable {
		m, _ := meta.Accessor(obj)
		tbl, err := table(res, []runtime.Object{obj}, m.GetResourceVersion(), ev.at, include, withColumns)
		if err != nil {
			return nil, err
		}
		out = tbl
	}
	line, err := json.Marshal(watchEvent{Type: ev.Type, Object: out})
	if err != nil {
		return nil, err
	}
	line = append(line, '\n')
	e.mu.Lock()
	if e.lines == nil || len(e.lines) >= maxEncoded {
		e.lines = map[encodedKey][]byte{}
	}
	e.lines[key] = line
	e.mu.Unlock()
	return line, nil
}
