// Package present turns cluster objects into what the UI draws: chips,
// rows and labels. Pure functions of their inputs, so they are tested
// without a terminal and without a cluster.
package present

import (
	"fmt"
	"math"
	"time"

	corev1 "k8s.io/api/core/v1"
)

// PodState is what a pod's chip says about it, symbol and colour alike.
type PodState int

// The states a chip shows.
const (
	Pending PodState = iota
	NotReady
	Ready
	Failed
	Terminating
)

// Symbol is the state's mark: states differ by shape, not colour alone.
func (s PodState) Symbol() string {
	return [...]string{"○", "◐", "●", "✕", "⌛"}[s]
}

// Chip is one pod on the board.
type Chip struct {
	Name     string
	State    PodState
	Ready    string // "1/1"
	Restarts int32
	Left     int // seconds until a terminating pod is killed; -1 otherwise
	Reason   string
}

// Text is the chip as words: "● web-7d4b9c8f5-xk2pq 1/1 ⟳2". The pod's
// name is whole: names are what a learner types next (describe, logs,
// delete), and a shortened one is a name no pod has.
func (c Chip) Text() string {
	s := c.State.Symbol() + " " + c.Name
	if c.State == Terminating {
		return fmt.Sprintf("%s ⌛%d", s, c.Left)
	}
	s += " " + c.Ready
	if c.Restarts > 0 {
		s += fmt.Sprintf(" ⟳%d", c.Restarts)
	}
	// Why a pod failed, or that it completed: a finished Job's pod is 0/1
	// and would read as a broken one without it (kubectl says Completed).
	if c.Reason != "" {
		s += " " + c.Reason
	}
	return s
}

// failing are the waiting reasons that mean the pod is broken, not slow.
var failing = map[string]bool{
	"CrashLoopBackOff": true, "ErrImagePull": true, "ImagePullBackOff": true,
	"CreateContainerConfigError": true, "InvalidImageName": true, "CreateContainerError": true,
}

// PodChip presents a pod at instant now.
func PodChip(p *corev1.Pod, now time.Time) Chip {
	c := Chip{Name: p.Name, Left: -1}
	ready := 0
	for _, st := range p.Status.ContainerStatuses {
		c.Restarts += st.RestartCount
		if st.Ready {
			ready++
		}
		if w := st.State.Waiting; w != nil && failing[w.Reason] {
			c.Reason = w.Reason
		}
		if t := st.State.Terminated; t != nil && t.ExitCode != 0 && c.Reason == "" && p.Spec.RestartPolicy == corev1.RestartPolicyNever {
			c.Reason = t.Reason
		}
	}
	c.Ready = fmt.Sprintf("%d/%d", ready, len(p.Spec.Containers))
	switch {
	case p.DeletionTimestamp != nil:
		c.State = Terminating
		c.Left = max(0, int(math.Ceil(p.DeletionTimestamp.Sub(now).Seconds())))
	case p.Status.Phase == corev1.PodFailed || c.Reason != "":
		c.State = Failed
		if c.Reason == "" {
			c.Reason = string(p.Status.Phase)
		}
	case p.Status.Phase == corev1.PodRunning && ready == len(p.Spec.Containers):
		c.State = Ready
	case p.Status.Phase == corev1.PodRunning:
		c.State = NotReady
	case p.Status.Phase == corev1.PodSucceeded:
		c.State, c.Reason = Ready, "Completed"
	default:
		c.State = Pending
	}
	return c
}
