package present

import (
	"fmt"
	"sort"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
)

// StatefulSetRow is a StatefulSet as the board draws it: its pods by
// ordinal, each beside the claims that are its disks. Ordinals past the
// replicas still show while a claim of theirs is kept: the disk stays
// when the pod goes.
type StatefulSetRow struct {
	Name            string
	Ready, Replicas int32
	Ordinals        []OrdinalCell
}

// OrdinalCell is one ordinal: its pod (nil when there is none now) and
// its claims.
type OrdinalCell struct {
	Ordinal int
	Pod     *Chip
	Claims  []ClaimCell
}

// ClaimCell is one claim of an ordinal, and whether a volume is bound to it.
type ClaimCell struct {
	Name  string
	Bound bool
}

// StatefulSetRows presents the StatefulSets at instant now, by name.
func StatefulSetRows(sets []*appsv1.StatefulSet, pods []*corev1.Pod, claims []*corev1.PersistentVolumeClaim, now time.Time) []StatefulSetRow {
	podByName := map[string]*corev1.Pod{}
	for _, p := range pods {
		podByName[p.Namespace+"/"+p.Name] = p
	}
	claimByName := map[string]*corev1.PersistentVolumeClaim{}
	for _, c := range claims {
		claimByName[c.Namespace+"/"+c.Name] = c
	}
	var rows []StatefulSetRow
	for _, s := range sets {
		replicas := int32(1)
		if s.Spec.Replicas != nil {
			replicas = *s.Spec.Replicas
		}
		r := StatefulSetRow{Name: s.Name, Ready: s.Status.ReadyReplicas, Replicas: replicas}
		for ord := 0; ; ord++ {
			cell := OrdinalCell{Ordinal: ord}
			if p := podByName[fmt.Sprintf("%s/%s-%d", s.Namespace, s.Name, ord)]; p != nil {
				chip := PodChip(p, now)
				cell.Pod = &chip
			}
			for _, t := range s.Spec.VolumeClaimTemplates {
				if c := claimByName[fmt.Sprintf("%s/%s-%s-%d", s.Namespace, t.Name, s.Name, ord)]; c != nil {
					cell.Claims = append(cell.Claims, ClaimCell{Name: c.Name, Bound: c.Status.Phase == corev1.ClaimBound})
				}
			}
			if int32(ord) >= replicas && cell.Pod == nil && len(cell.Claims) == 0 {
				break
			}
			r.Ordinals = append(r.Ordinals, cell)
		}
		rows = append(rows, r)
	}
	sort.Slice(rows, func(a, b int) bool { return rows[a].Name < rows[b].Name })
	return rows
}
