// Package lessons is kubeplay's guided lessons: the lesson model and its
// loader (lesson files embedded from assets/lessons/), the step checks
// evaluated against the cluster, the learner's progress, and the text
// front end (`kubeplay lesson ID --shell`). The TUI's lesson page builds on
// the same model. The engine never imports this package.
package lessons

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/kubeplay/kubeplay/engine/backend"
	"github.com/kubeplay/kubeplay/engine/bilingual"
	"github.com/kubeplay/kubeplay/engine/sim"
)

// Text is one text in both languages. Keeping them side by side in one
// file is what makes a missing translation a load error, not a surprise.
type Text = bilingual.Text

// Lesson is one lesson, as its file says.
type Lesson struct {
	ID      string `json:"id"`
	Level   string `json:"level"`
	Title   Text   `json:"title"`
	Summary Text   `json:"summary"`
	// Addons are the cluster add-ons the lesson needs besides the
	// cluster itself (Addons lists them): the cluster a front end starts
	// for the lesson has them (launch.Clusters.Fresh) unless kubeplay was
	// told not to (--ingress-port=0), and the lesson's first step says
	// what to do when one is missing.
	Addons []string `json:"addons,omitempty"`
	// RealCluster says whether the lesson plays on a real cluster.
	RealCluster *RealCluster `json:"real_cluster"`
	Steps       []Step       `json:"steps"`

	// file is the lesson's file name under assets/, for error messages.
	file string
}

// AddonIngress is the ingress controller (IngressClass kubeplay).
const AddonIngress = backend.AddonIngress

// Addons are the add-ons a lesson may ask for.
var Addons = []string{AddonIngress}

// Needs reports whether the lesson needs the add-on.
func (l *Lesson) Needs(addon string) bool { return slices.Contains(l.Addons, addon) }

// File is the lesson's file, as assets/ names it.
func (l *Lesson) File() string { return l.file }

// Step is one thing to read, do and see.
type Step struct {
	Text     Text      `json:"text"`
	Manifest *Manifest `json:"manifest,omitempty"`
	// Command is pre-filled at the prompt; the learner may type another.
	Command string  `json:"command,omitempty"`
	Check   *Check  `json:"check,omitempty"`
	Hints   []Text  `json:"hints,omitempty"`
	PauseOn []Pause `json:"pause_on,omitempty"`
}

// Manifest is a file the learner's kubectl can read with -f during the
// lesson: from assets/ (File) or written in the lesson (YAML).
type Manifest struct {
	File string `json:"file,omitempty"`
	Name string `json:"name,omitempty"`
	YAML string `json:"yaml,omitempty"`

	data []byte // resolved by the loader
}

// Data is the manifest's content.
func (m *Manifest) Data() []byte { return m.data }

// Check is what the cluster must show for a step to be done: every field
// given must hold.
type Check struct {
	// Wait is `kubectl wait`'s arguments: --for=… TYPE/NAME, or TYPE -l SEL.
	Wait  string     `json:"wait,omitempty"`
	Pods  *PodCount  `json:"pods,omitempty"`
	Event *EventSeen `json:"event,omitempty"`
	// Load is what a load run started during the step shows once over.
	Load *LoadResult `json:"load,omitempty"`
	// Rollout is a Deployment whose rollout is over, as rollout status
	// says it.
	Rollout *RolloutDone `json:"rollout,omitempty"`
	// Serves is a Service kube-proxy sends requests to.
	Serves *Serving `json:"serves,omitempty"`
	// Ran is the start of a command the learner ran during the step.
	Ran string `json:"ran,omitempty"`
	// Exec is a command run in a pod's container and what it prints: what
	// the container itself sees (an env var, a mounted file), whichever
	// way the manifest gave it.
	Exec *ExecOutput `json:"exec,omitempty"`
	// Within is how much cluster time may pass for it after a command.
	Within Duration `json:"within,omitempty"`
	// MovedOn says what to do when the cluster's history has moved past
	// what the step's command expects: a step revisited after later steps
	// changed the revisions, say. It is part of the "not yet" message.
	MovedOn *Text `json:"moved_on,omitempty"`

	wait *waitSpec // parsed by the loader
}

// PodCount counts pods: those matching Selector in Phase, not being
// deleted, Ready ones only with Ready.
type PodCount struct {
	Namespace string `json:"namespace,omitempty"`
	Selector  string `json:"selector,omitempty"`
	Phase     string `json:"phase,omitempty"`
	Ready     bool   `json:"ready,omitempty"`
	Count     int    `json:"count"`
}

// RolloutDone is a Deployment (in default) whose rollout is over: every
// replica updated to its current template and available, as `kubectl
// rollout status` waits for. Image, when given, is the image of the
// template's first container; Changed asks for a template changed during
// the step (a rollback, a new image): a rollout of this step, whichever
// revision the history now holds.
type RolloutDone struct {
	Deployment string `json:"deployment"`
	Image      string `json:"image,omitempty"`
	Changed    bool   `json:"changed,omitempty"`
}

// Serving is a Service (in default) that answers: kube-proxy has synced
// its Endpoints and sends its requests to Endpoints pods (at least one
// when 0). The Endpoints object alone is not enough: kube-proxy follows
// it up to a second later, and a curl before then is refused.
type Serving struct {
	Service   string `json:"service"`
	Endpoints int    `json:"endpoints,omitempty"`
}

// ExecOutput is a command run in a container of a pod (in the run's
// namespace: default on kubeplay's own cluster), as kubectl exec runs it,
// that succeeds and prints Output (surrounding blank space aside).
// Container "" is the pod's first.
type ExecOutput struct {
	Pod       string `json:"pod"`
	Container string `json:"container,omitempty"`
	Command   string `json:"command"`
	Output    string `json:"output"`

	argv []string // Command's words, parsed by the loader
}

// EventSeen is an Event with Reason about Object ("kind/name", the name a
// glob), recorded during the step.
type EventSeen struct {
	Reason string `json:"reason"`
	Object string `json:"object"`
}

// Pause marks a hop for step-through mode, with what to say about it.
type Pause struct {
	Match   HopMatch `json:"match"`
	Explain Text     `json:"explain"`
}

// HopMatch selects hops; empty fields match anything.
type HopMatch struct {
	From   sim.Component `json:"from,omitempty"` // a kind names every component of it
	To     sim.Component `json:"to,omitempty"`
	Verb   sim.Verb      `json:"verb,omitempty"`
	Object string        `json:"object,omitempty"` // a prefix
}

// Duration is a time.Duration written as "30s" in lesson files.
type Duration time.Duration

// UnmarshalJSON reads "30s", "2m".
func (d *Duration) UnmarshalJSON(b []byte) error {
	s := strings.Trim(string(b), `"`)
	v, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("%q is not a duration (write 30s or 2m)", s)
	}
	*d = Duration(v)
	return nil
}

// MarshalJSON writes the duration as it is read.
func (d Duration) MarshalJSON() ([]byte, error) {
	return []byte(`"` + time.Duration(d).String() + `"`), nil
}
