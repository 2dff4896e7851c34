// Package framework is the pure half of kubeplay's kube-scheduler: the
// filter and score plugins of the default profile, written as pure functions
// over a snapshot of the nodes so that every decision can be replayed and
// explained.
//
// The actor, its watch and the Binding call live in engine/scheduler, as
// upstream's pkg/scheduler holds the scheduler around its framework; this
// package only answers "where would kube-scheduler put this pod, and why".
// It follows kube-scheduler 1.30+ (pkg/scheduler/framework): the same plugin
// names, the same failure reasons, the same FailedScheduling message, the
// same default score weights and the same random tie-break among the best
// nodes.
//
// Where kubeplay is smaller than upstream, on purpose:
//   - every node is evaluated (upstream samples a percentage of nodes only
//     in clusters of more than 100 nodes), in name order;
//   - a node whose Ready condition is not True is treated as carrying the
//     NoSchedule taint the node lifecycle controller would have added;
//   - extended resources, volumes, inter-pod affinity and topology spread
//     are not modelled.
//
// A Scheduler is not safe for concurrent use: it belongs to one actor.
package framework
