// Package record is the format of a kubeplay recording (`kubeplay
// --record demo.kpr`): JSON lines, a header first — the format's version
// and what the session ran on (seed, runtime, nodes, language, size…) —
// then one event a line, written as the session goes, so that a crash
// loses at most the line being written. An event is what reached the
// screen from outside its deterministic core: a key, a paste, a resize,
// the terminal's background, a notice, a timer firing (the animation's
// frames, the clock's ticks); and, for people and `replay --shell`, the
// command each line ran, with its cluster time, and each request the
// learner's own kubectl sent kubeplay's API. The same events fed to the
// same screens on a simulated cluster of the same seed give the same
// frames, byte for byte. A reader skips the kinds it does not know, so
// that a kind added later needs no new Version: an older kubeplay still
// replays the file, without what the new kind adds.
package record

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/kubeplay/kubeplay/engine/bilingual"
)

// Version is the version of the format this kubeplay writes and reads.
const Version = 1

// Magic is the header's first field, which says the file is a recording.
const Magic = "kubeplay-recording"

// Header is a recording's first line: what reproduces the session.
type Header struct {
	Format  string `json:"format"`  // Magic
	Version int    `json:"version"` // Version
	// Started is the wall time the session started (RFC 3339).
	Started time.Time `json:"started"`
	Seed    uint64    `json:"seed"`
	// Runtime is the runtime the session ran on: sim, docker or real;
	// Asked what --runtime said (auto, sim, docker).
	Runtime    string `json:"runtime"`
	Asked      string `json:"asked,omitempty"`
	Fallback   string `json:"fallback,omitempty"` // why auto chose sim, when it did
	Nodes      int    `json:"nodes"`
	NodeCPU    string `json:"nodeCPU,omitempty"`
	NodeMemory string `json:"nodeMemory,omitempty"`
	// IngressPort is the ingress controller's port (0: none).
	IngressPort int    `json:"ingressPort,omitempty"`
	Lang        string `json:"lang"`
	Presenter   bool   `json:"presenter,omitempty"`
	Theme       string `json:"theme,omitempty"` // auto, high-contrast, no-color
	// Banner is what the playground said of the API served, in each
	// language (the replay serves none).
	Banner map[string]string `json:"banner,omitempty"`
	// Progress is the lessons' steps done when the session started (the
	// lesson list shows them; the replay saves none).
	Progress map[string][]int `json:"progress,omitempty"`
	// Lesson is the lesson the session opened on (kubeplay lesson ID).
	Lesson string `json:"lesson,omitempty"`
	// Outside: the recorder kept each request from outside (KindOutside).
	// A recording without it, made by an older kubeplay while the API was
	// served (Served), may have had requests it did not keep.
	Outside bool `json:"outside,omitempty"`
}

// Served reports whether the session served kubeplay's API to the
// learner's own kubectl: its banner says where the API listened. (The
// banner's words are all an older recording says of it.)
func (h Header) Served() bool {
	return strings.Contains(h.Banner[string(bilingual.English)], "kubeplay's API listens on ")
}

// Language is the language the session was in (English when the header
// names none it knows).
func (h Header) Language() bilingual.Lang {
	lang, err := bilingual.Parse(h.Lang)
	if err != nil {
		return bilingual.English
	}
	return lang
}

// Kinds of events.
const (
	KindSize   = "size"   // W×H
	KindKey    = "key"    // a key press
	KindPaste  = "paste"  // Text pasted
	KindWheel  = "wheel"  // the mouse wheel at X,Y
	KindClick  = "click"  // a mouse click at X,Y
	KindBg     = "bg"     // the terminal's background: Dark
	KindNotice = "notice" // a notice from outside the screen (Text)
	KindTimer  = "timer"  // the N-th timer the screen set fired
	KindCmd    = "cmd"    // a command line started (Line, Stdin): for people and --shell, not replayed
	// KindSync: the running command handed the cluster back (it waits on
	// it, or it ended), the screen heard it here among the other events.
	KindSync = "sync"
	// KindOutside: a request from outside the screen — the learner's own
	// kubectl, over kubeplay's API — came before the next event: its
	// Method, Path, Query and Body. A replay cannot send it again, and
	// says so when it then goes another way. (A kubeplay older than this
	// kind skips it, as it skips any kind it does not know.)
	KindOutside = "outside"
)

// Event is one line after the header.
type Event struct {
	// T is the wall time since the start, in microseconds.
	T int64 `json:"t"`
	// C is the cluster's time then (since its start), in nanoseconds.
	C    int64  `json:"c,omitempty"`
	Kind string `json:"k"`
	// A key: tea.Key's fields.
	Code    rune   `json:"code,omitempty"`
	Mod     int    `json:"mod,omitempty"`
	Text    string `json:"text,omitempty"` // also a paste's and a notice's text
	Shifted rune   `json:"shifted,omitempty"`
	Base    rune   `json:"base,omitempty"`
	Repeat  bool   `json:"repeat,omitempty"`
	// A size, a mouse position and button.
	W      int  `json:"w,omitempty"`
	H      int  `json:"h,omitempty"`
	X      int  `json:"x,omitempty"`
	Y      int  `json:"y,omitempty"`
	Button int  `json:"button,omitempty"`
	Dark   bool `json:"dark,omitempty"`
	// N is a timer's number, counting from 1 in the order they were set.
	N int `json:"n,omitempty"`
	// Line and Stdin are a command's.
	Line  string `json:"line,omitempty"`
	Stdin string `json:"stdin,omitempty"`
	// A request from outside: its method, path (/api/v1/namespaces/…),
	// raw query and body (base64 in the file: a body need not be text).
	Method string `json:"method,omitempty"`
	Path   string `json:"path,omitempty"`
	Query  string `json:"query,omitempty"`
	Body   []byte `json:"body,omitempty"`
}

// Wall is the event's wall offset.
func (e Event) Wall() time.Duration { return time.Duration(e.T) * time.Microsecond }

// Cluster is the event's cluster time.
func (e Event) Cluster() time.Duration { return time.Duration(e.C) }

// Input reports whether the event is something a person did: a key, a
// paste, the mouse. A replay step by step moves one such at a time.
func (e Event) Input() bool {
	switch e.Kind {
	case KindKey, KindPaste, KindWheel, KindClick:
		return true
	}
	return false
}

// FromMsg is the event msg makes, if it is one a recording keeps (not a
// timer: the recorder numbers those).
func FromMsg(msg tea.Msg) (Event, bool) {
	switch m := msg.(type) {
	case tea.WindowSizeMsg:
		return Event{Kind: KindSize, W: m.Width, H: m.Height}, true
	case tea.KeyPressMsg:
		return Event{Kind: KindKey, Code: m.Code, Mod: int(m.Mod), Text: m.Text, Shifted: m.ShiftedCode, Base: m.BaseCode, Repeat: m.IsRepeat}, true
	case tea.PasteMsg:
		return Event{Kind: KindPaste, Text: m.Content}, true
	case tea.MouseWheelMsg:
		return Event{Kind: KindWheel, X: m.X, Y: m.Y, Button: int(m.Button), Mod: int(m.Mod)}, true
	case tea.MouseClickMsg:
		return Event{Kind: KindClick, X: m.X, Y: m.Y, Button: int(m.Button), Mod: int(m.Mod)}, true
	case tea.BackgroundColorMsg:
		return Event{Kind: KindBg, Dark: m.IsDark()}, true
	}
	return Event{}, false
}

// Msg is the message the event was (nil for a timer, a notice, a
// command, a request from outside, which the replay handles itself, and
// a kind this kubeplay does not know).
func (e Event) Msg() tea.Msg {
	switch e.Kind {
	case KindSize:
		return tea.WindowSizeMsg{Width: e.W, Height: e.H}
	case KindKey:
		return tea.KeyPressMsg{Code: e.Code, Mod: tea.KeyMod(e.Mod), Text: e.Text, ShiftedCode: e.Shifted, BaseCode: e.Base, IsRepeat: e.Repeat}
	case KindPaste:
		return tea.PasteMsg{Content: e.Text}
	case KindWheel:
		return tea.MouseWheelMsg{X: e.X, Y: e.Y, Button: tea.MouseButton(e.Button), Mod: tea.KeyMod(e.Mod)}
	case KindClick:
		return tea.MouseClickMsg{X: e.X, Y: e.Y, Button: tea.MouseButton(e.Button), Mod: tea.KeyMod(e.Mod)}
	}
	return nil
}

// Writer writes a recording as the session goes: each line reaches the
// file with one write, unbuffered.
type Writer struct {
	mu  sync.Mutex
	w   io.Writer
	c   io.Closer
	err error
}

// Create creates (or truncates) the recording at path and writes h.
func Create(path string, h Header, lang bilingual.Lang) (*Writer, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", lang.Pick("cannot write the recording", "녹화 파일을 쓸 수 없어요"), err)
	}
	w := NewWriter(f, h)
	w.c = f
	if w.err != nil {
		f.Close()
		return nil, w.err
	}
	return w, nil
}

// NewWriter writes h to w and returns the writer of the events after it.
func NewWriter(w io.Writer, h Header) *Writer {
	h.Format, h.Version = Magic, Version
	rw := &Writer{w: w}
	rw.line(h)
	return rw
}

// Write writes one event; the first error is kept (Err) and later
// writes are dropped.
func (w *Writer) Write(e Event) { w.line(e) }

func (w *Writer) line(v any) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.err == nil {
		w.err = jsonLine(w.w, v)
	}
}

// jsonLine writes v as one line of JSON, with one write.
func jsonLine(w io.Writer, v any) error {
	b, err := json.Marshal(v)
	if err == nil {
		_, err = w.Write(append(b, '\n'))
	}
	return err
}

// Err is the first error a write met.
func (w *Writer) Err() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.err
}

// Close closes the file Create opened.
func (w *Writer) Close() error {
	if w.c == nil {
		return w.Err()
	}
	err := w.c.Close()
	if e := w.Err(); e != nil {
		return e
	}
	return err
}

// Recording is a recording read back.
type Recording struct {
	Header Header
	Events []Event
	// Truncated: the last line was cut short (the session crashed while
	// writing it) and was left out.
	Truncated bool
}

// Inputs is how many events are inputs (Event.Input).
func (r *Recording) Inputs() int {
	n := 0
	for _, e := range r.Events {
		if e.Input() {
			n++
		}
	}
	return n
}

// Duration is the wall time from the start to the last event.
func (r *Recording) Duration() time.Duration {
	if len(r.Events) == 0 {
		return 0
	}
	return r.Events[len(r.Events)-1].Wall()
}

// Open reads the recording at path, saying in lang what is wrong with it.
func Open(path string, lang bilingual.Lang) (*Recording, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf(lang.Pick("no recording at %s: record one with kubeplay --record %s", "%s에 녹화 파일이 없어요. kubeplay --record %s로 녹화하세요"), path, path)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", lang.Pick("cannot read the recording", "녹화 파일을 읽을 수 없어요"), err)
	}
	defer f.Close()
	r, err := Read(f, lang)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return r, nil
}

// Read reads a recording from r.
func Read(r io.Reader, lang bilingual.Lang) (*Recording, error) {
	br := bufio.NewReader(r)
	notOne := lang.Pick("not a kubeplay recording (its first line is no kubeplay header)", "kubeplay 녹화 파일이 아니에요 (첫 줄이 kubeplay 헤더가 아니에요)")
	first, err := br.ReadBytes('\n')
	if len(bytes.TrimSpace(first)) == 0 {
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, err
		}
		return nil, errors.New(lang.Pick("the recording is empty", "녹화 파일이 비어 있어요"))
	}
	var h Header
	if json.Unmarshal(first, &h) != nil || h.Format != Magic {
		return nil, errors.New(notOne)
	}
	if h.Version > Version {
		return nil, fmt.Errorf(lang.Pick("the recording's format is version %d, newer than this kubeplay reads (%d): update kubeplay to replay it",
			"녹화 파일의 형식 버전(%d)이 이 kubeplay가 읽는 버전(%d)보다 새로워요. kubeplay를 업데이트하고 다시 재생하세요"), h.Version, Version)
	}
	if h.Version < 1 {
		return nil, fmt.Errorf(lang.Pick("the recording's format version %d is not one kubeplay wrote", "녹화 파일의 형식 버전(%d)은 kubeplay가 쓴 적 없는 버전이에요"), h.Version)
	}
	rec := &Recording{Header: h}
	for n := 2; ; n++ {
		line, err := br.ReadBytes('\n')
		if len(bytes.TrimSpace(line)) > 0 {
			var e Event
			if uerr := json.Unmarshal(line, &e); uerr != nil || e.Kind == "" {
				if err != nil && line[len(line)-1] != '\n' {
					// The last line, cut short by a crash: the rest stands.
					rec.Truncated = true
					return rec, nil
				}
				return nil, fmt.Errorf(lang.Pick("line %d is not a recorded event: the recording is damaged", "%d번째 줄이 녹화된 이벤트가 아니에요. 녹화 파일이 손상됐어요"), n)
			}
			if k := len(rec.Events); k > 0 && e.T < rec.Events[k-1].T {
				return nil, fmt.Errorf(lang.Pick("line %d goes back in time: the recording is damaged", "%d번째 줄의 시간이 거꾸로 가요. 녹화 파일이 손상됐어요"), n)
			}
			rec.Events = append(rec.Events, e)
		}
		if errors.Is(err, io.EOF) {
			return rec, nil
		}
		if err != nil {
			return nil, err
		}
	}
}
