package printers

//lint:file-ignore SA1019 kubectl still prints v1 Endpoints (`get endpoints`, service describe), so must we.

import (
	"fmt"
	"net"
	"sort"
	"strconv"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	networkingv1 "k8s.io/api/networking/v1"
	storagev1 "k8s.io/api/storage/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/duration"
)

// cols builds a column list: plain names first, then the -o wide ones.
func cols(normal []string, wide ...string) []column {
	out := make([]column, 0, len(normal)+len(wide))
	for _, n := range normal {
		out = append(out, column{name: n})
	}
	for _, n := range wide {
		out = append(out, column{name: n, wide: true})
	}
	return out
}

// typed adapts a row function of one concrete type to tableSpec.row.
func typed[T runtime.Object](f func(T, Options) []string) func(runtime.Object, Options) []string {
	return func(obj runtime.Object, o Options) []string { return f(obj.(T), o) }
}

// tableSpecFor returns the columns and row function for obj's kind, as in
// kubernetes pkg/printers/internalversion/printers.go.
func tableSpecFor(obj runtime.Object) (tableSpec, error) {
	spec := tableSpec{nameColumn: 0}
	switch obj.(type) {
	case *corev1.Pod:
		spec.columns = cols([]string{"NAME", "READY", "STATUS", "RESTARTS", "AGE"}, "IP", "NODE", "NOMINATED NODE", "READINESS GATES")
		spec.row = typed(podRow)
	case *appsv1.ReplicaSet:
		spec.columns = cols([]string{"NAME", "DESIRED", "CURRENT", "READY", "AGE"}, "CONTAINERS", "IMAGES", "SELECTOR")
		spec.row = typed(replicaSetRow)
	case *appsv1.Deployment:
		spec.columns = cols([]string{"NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"}, "CONTAINERS", "IMAGES", "SELECTOR")
		spec.row = typed(deploymentRow)
	case *appsv1.DaemonSet:
		spec.columns = cols([]string{"NAME", "DESIRED", "CURRENT", "READY", "UP-TO-DATE", "AVAILABLE", "NODE SELECTOR", "AGE"}, "CONTAINERS", "IMAGES", "SELECTOR")
		spec.row = typed(daemonSetRow)
	case *appsv1.ControllerRevision:
		spec.columns = cols([]string{"NAME", "CONTROLLER", "REVISION", "AGE"})
		spec.row = typed(controllerRevisionRow)
	case *appsv1.StatefulSet:
		spec.columns = cols([]string{"NAME", "READY", "AGE"}, "CONTAINERS", "IMAGES")
		spec.row = typed(statefulSetRow)
	case *autoscalingv2.HorizontalPodAutoscaler:
		spec.columns = cols([]string{"NAME", "REFERENCE", "TARGETS", "MINPODS", "MAXPODS", "REPLICAS", "AGE"})
		spec.row = typed(hpaRow)
	case *batchv1.Job:
		spec.columns = cols([]string{"NAME", "STATUS", "COMPLETIONS", "DURATION", "AGE"}, "CONTAINERS", "IMAGES", "SELECTOR")
		spec.row = typed(jobRow)
	case *batchv1.CronJob:
		spec.columns = cols([]string{"NAME", "SCHEDULE", "TIMEZONE", "SUSPEND", "ACTIVE", "LAST SCHEDULE", "AGE"}, "CONTAINERS", "IMAGES", "SELECTOR")
		spec.row = typed(cronJobRow)
	case *corev1.Node:
		spec.columns = cols([]string{"NAME", "STATUS", "ROLES", "AGE", "VERSION"}, "INTERNAL-IP", "EXTERNAL-IP", "OS-IMAGE", "KERNEL-VERSION", "CONTAINER-RUNTIME")
		spec.row = typed(nodeRow)
	case *corev1.Service:
		spec.columns = cols([]string{"NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"}, "SELECTOR")
		spec.row = typed(serviceRow)
	case *corev1.Endpoints:
		spec.columns = cols([]string{"NAME", "ENDPOINTS", "AGE"})
		spec.row = typed(endpointsRow)
	case *corev1.Namespace:
		spec.columns = cols([]string{"NAME", "STATUS", "AGE"})
		spec.row = typed(namespaceRow)
	case *corev1.Event:
		spec.columns = []column{{name: "LAST SEEN"}, {name: "TYPE"}, {name: "REASON"}, {name: "OBJECT"},
			{name: "SUBOBJECT", wide: true}, {name: "SOURCE", wide: true}, {name: "MESSAGE"},
			{name: "FIRST SEEN", wide: true}, {name: "COUNT", wide: true}, {name: "NAME", wide: true}}
		spec.nameColumn = -1
		spec.row = typed(eventRow)
	case *corev1.ConfigMap:
		spec.columns = cols([]string{"NAME", "DATA", "AGE"})
		spec.row = typed(configMapRow)
	case *corev1.Secret:
		spec.columns = cols([]string{"NAME", "TYPE", "DATA", "AGE"})
		spec.row = typed(secretRow)
	case *corev1.PersistentVolume:
		spec.columns = cols([]string{"NAME", "CAPACITY", "ACCESS MODES", "RECLAIM POLICY", "STATUS", "CLAIM", "STORAGECLASS", "VOLUMEATTRIBUTESCLASS", "REASON", "AGE"}, "VOLUMEMODE")
		spec.row = typed(persistentVolumeRow)
	case *corev1.PersistentVolumeClaim:
		spec.columns = cols([]string{"NAME", "STATUS", "VOLUME", "CAPACITY", "ACCESS MODES", "STORAGECLASS", "VOLUMEATTRIBUTESCLASS", "AGE"}, "VOLUMEMODE")
		spec.row = typed(persistentVolumeClaimRow)
	case *storagev1.StorageClass:
		spec.columns = cols([]string{"NAME", "PROVISIONER", "RECLAIMPOLICY", "VOLUMEBINDINGMODE", "ALLOWVOLUMEEXPANSION", "AGE"})
		spec.row = typed(storageClassRow)
	case *networkingv1.Ingress:
		spec.columns = cols([]string{"NAME", "CLASS", "HOSTS", "ADDRESS", "PORTS", "AGE"})
		spec.row = typed(ingressRow)
	case *networkingv1.IngressClass:
		spec.columns = cols([]string{"NAME", "CONTROLLER", "PARAMETERS", "AGE"})
		spec.row = typed(ingressClassRow)
	case *discoveryv1.EndpointSlice:
		spec.columns = cols([]string{"NAME", "ADDRESSTYPE", "PORTS", "ENDPOINTS", "AGE"})
		spec.row = typed(endpointSliceRow)
	default:
		return tableSpec{}, fmt.Errorf("no table printer for %T", obj)
	}
	return spec, nil
}

func podRow(p *corev1.Pod, o Options) []string {
	now := o.Now
	s := summarizePod(p, now)
	return append([]string{p.Name, s.ready, s.status, s.restarts, since(now, p.CreationTimestamp)}, podWideCells(p)...)
}

// containerCells joins container names and images, as layoutContainerCells.
func containerCells(cs []corev1.Container) (names, images string) {
	n := make([]string, len(cs))
	im := make([]string, len(cs))
	for i, c := range cs {
		n[i], im[i] = c.Name, c.Image
	}
	return strings.Join(n, ","), strings.Join(im, ",")
}

func itoa[T int | int32 | int64](v T) string { return strconv.FormatInt(int64(v), 10) }

func deref32(p *int32) int32 {
	if p == nil {
		return 0
	}
	return *p
}

func replicaSetRow(rs *appsv1.ReplicaSet, o Options) []string {
	now := o.Now
	names, images := containerCells(rs.Spec.Template.Spec.Containers)
	return []string{rs.Name, itoa(deref32(rs.Spec.Replicas)), itoa(rs.Status.Replicas), itoa(rs.Status.ReadyReplicas),
		since(now, rs.CreationTimestamp), names, images, metav1.FormatLabelSelector(rs.Spec.Selector)}
}

func deploymentRow(d *appsv1.Deployment, o Options) []string {
	now := o.Now
	names, images := containerCells(d.Spec.Template.Spec.Containers)
	selector := "<invalid>"
	if sel, err := metav1.LabelSelectorAsSelector(d.Spec.Selector); err == nil {
		selector = sel.String()
	}
	return []string{d.Name, fmt.Sprintf("%d/%d", d.Status.ReadyReplicas, deref32(d.Spec.Replicas)),
		itoa(d.Status.UpdatedReplicas), itoa(d.Status.AvailableReplicas), since(now, d.CreationTimestamp),
		names, images, selector}
}

func daemonSetRow(ds *appsv1.DaemonSet, o Options) []string {
	now := o.Now
	names, images := containerCells(ds.Spec.Template.Spec.Containers)
	st := ds.Status
	return []string{ds.Name, itoa(st.DesiredNumberScheduled), itoa(st.CurrentNumberScheduled), itoa(st.NumberReady),
		itoa(st.UpdatedNumberScheduled), itoa(st.NumberAvailable), labels.FormatLabels(ds.Spec.Template.Spec.NodeSelector),
		since(now, ds.CreationTimestamp), names, images, metav1.FormatLabelSelector(ds.Spec.Selector)}
}

// controllerRevisionRow names the controller as kubectl does:
// daemonset.apps/fluentd, or <none> for an orphan.
func controllerRevisionRow(cr *appsv1.ControllerRevision, o Options) []string {
	controller := "<none>"
	if ref := metav1.GetControllerOfNoCopy(cr); ref != nil {
		gv, _ := schema.ParseGroupVersion(ref.APIVersion)
		controller = strings.ToLower(schema.GroupKind{Group: gv.Group, Kind: ref.Kind}.String()) + "/" + ref.Name
	}
	return []string{cr.Name, controller, strconv.FormatInt(cr.Revision, 10), since(o.Now, cr.CreationTimestamp)}
}

func statefulSetRow(ss *appsv1.StatefulSet, o Options) []string {
	now := o.Now
	names, images := containerCells(ss.Spec.Template.Spec.Containers)
	return []string{ss.Name, fmt.Sprintf("%d/%d", ss.Status.ReadyReplicas, deref32(ss.Spec.Replicas)),
		since(now, ss.CreationTimestamp), names, images}
}

func jobConditionTrue(j *batchv1.Job, t batchv1.JobConditionType) bool {
	for _, c := range j.Status.Conditions {
		if c.Type == t && c.Status == corev1.ConditionTrue {
			return true
		}
	}
	return false
}

func jobRow(j *batchv1.Job, o Options) []string {
	now := o.Now
	var completions string
	switch {
	case j.Spec.Completions != nil:
		completions = fmt.Sprintf("%d/%d", j.Status.Succeeded, *j.Spec.Completions)
	case deref32(j.Spec.Parallelism) > 1:
		completions = fmt.Sprintf("%d/1 of %d", j.Status.Succeeded, *j.Spec.Parallelism)
	default:
		completions = fmt.Sprintf("%d/1", j.Status.Succeeded)
	}
	var elapsed string
	switch {
	case j.Status.StartTime == nil:
	case j.Status.CompletionTime == nil:
		elapsed = duration.HumanDuration(now.Sub(j.Status.StartTime.Time))
	default:
		elapsed = duration.HumanDuration(j.Status.CompletionTime.Sub(j.Status.StartTime.Time))
	}
	status := "Running"
	switch {
	case jobConditionTrue(j, batchv1.JobComplete):
		status = "Complete"
	case jobConditionTrue(j, batchv1.JobFailed):
		status = "Failed"
	case j.DeletionTimestamp != nil:
		status = "Terminating"
	case jobConditionTrue(j, batchv1.JobSuspended):
		status = "Suspended"
	case jobConditionTrue(j, batchv1.JobFailureTarget):
		status = "FailureTarget"
	case jobConditionTrue(j, batchv1.JobSuccessCriteriaMet):
		status = "SuccessCriteriaMet"
	}
	names, images := containerCells(j.Spec.Template.Spec.Containers)
	return []string{j.Name, status, completions, elapsed, since(now, j.CreationTimestamp),
		names, images, metav1.FormatLabelSelector(j.Spec.Selector)}
}

func boolPtr(b *bool) string {
	if b == nil {
		return "<unset>"
	}
	return printBool(*b)
}

func printBool(b bool) string {
	if b {
		return "True"
	}
	return "False"
}

func cronJobRow(cj *batchv1.CronJob, o Options) []string {
	now := o.Now
	last := "<none>"
	if cj.Status.LastScheduleTime != nil {
		last = since(now, *cj.Status.LastScheduleTime)
	}
	tz := "<none>"
	if cj.Spec.TimeZone != nil {
		tz = *cj.Spec.TimeZone
	}
	tmpl := cj.Spec.JobTemplate.Spec
	names, images := containerCells(tmpl.Template.Spec.Containers)
	return []string{cj.Name, cj.Spec.Schedule, tz, boolPtr(cj.Spec.Suspend), itoa(len(cj.Status.Active)), last,
		since(now, cj.CreationTimestamp), names, images, metav1.FormatLabelSelector(tmpl.Selector)}
}

const (
	labelNodeRolePrefix = "node-role.kubernetes.io/"
	labelNodeRole       = "kubernetes.io/role"
)

// nodeRoles is kubectl's findNodeRoles: sorted, de-duplicated.
func nodeRoles(n *corev1.Node) []string {
	set := map[string]bool{}
	for k, v := range n.Labels {
		switch {
		case strings.HasPrefix(k, labelNodeRolePrefix):
			if r := strings.TrimPrefix(k, labelNodeRolePrefix); r != "" {
				set[r] = true
			}
		case k == labelNodeRole && v != "":
			set[v] = true
		}
	}
	roles := make([]string, 0, len(set))
	for r := range set {
		roles = append(roles, r)
	}
	sort.Strings(roles)
	return roles
}

func nodeStatus(n *corev1.Node) string {
	var status []string
	for _, c := range n.Status.Conditions {
		if c.Type != corev1.NodeReady {
			continue
		}
		if c.Status == corev1.ConditionTrue {
			status = append(status, string(c.Type))
		} else {
			status = append(status, "Not"+string(c.Type))
		}
	}
	if len(status) == 0 {
		status = append(status, "Unknown")
	}
	if n.Spec.Unschedulable {
		status = append(status, "SchedulingDisabled")
	}
	return strings.Join(status, ",")
}

func nodeAddress(n *corev1.Node, t corev1.NodeAddressType) string {
	for _, a := range n.Status.Addresses {
		if a.Type == t {
			return a.Address
		}
	}
	return "<none>"
}

func unknownIfEmpty(s string) string {
	if s == "" {
		return "<unknown>"
	}
	return s
}

func nodeRow(n *corev1.Node, o Options) []string {
	now := o.Now
	roles := strings.Join(nodeRoles(n), ",")
	info := n.Status.NodeInfo
	return []string{n.Name, nodeStatus(n), orNone(roles), since(now, n.CreationTimestamp), info.KubeletVersion,
		nodeAddress(n, corev1.NodeInternalIP), nodeAddress(n, corev1.NodeExternalIP),
		unknownIfEmpty(info.OSImage), unknownIfEmpty(info.KernelVersion), unknownIfEmpty(info.ContainerRuntimeVersion)}
}

func servicePorts(ports []corev1.ServicePort) string {
	pieces := make([]string, len(ports))
	for i, p := range ports {
		if p.NodePort > 0 {
			pieces[i] = fmt.Sprintf("%d:%d/%s", p.Port, p.NodePort, p.Protocol)
		} else {
			pieces[i] = fmt.Sprintf("%d/%s", p.Port, p.Protocol)
		}
	}
	return strings.Join(pieces, ",")
}

// loadBalancerWidth is where kubectl clips LoadBalancer addresses
// outside -o wide.
const loadBalancerWidth = 16

func loadBalancerIngress(s corev1.LoadBalancerStatus, wide bool) string {
	var result []string
	for _, in := range s.Ingress {
		if in.IP != "" {
			result = append(result, in.IP)
		} else if in.Hostname != "" {
			result = append(result, in.Hostname)
		}
	}
	r := strings.Join(result, ",")
	if !wide && len(r) > loadBalancerWidth {
		r = r[:loadBalancerWidth-3] + "..."
	}
	return r
}

func serviceExternalIP(svc *corev1.Service, wide bool) string {
	switch svc.Spec.Type {
	case corev1.ServiceTypeClusterIP, corev1.ServiceTypeNodePort:
		if len(svc.Spec.ExternalIPs) > 0 {
			return strings.Join(svc.Spec.ExternalIPs, ",")
		}
		return "<none>"
	case corev1.ServiceTypeLoadBalancer:
		lb := loadBalancerIngress(svc.Status.LoadBalancer, wide)
		if len(svc.Spec.ExternalIPs) > 0 {
			var all []string
			if lb != "" {
				all = append(all, strings.Split(lb, ",")...)
			}
			return strings.Join(append(all, svc.Spec.ExternalIPs...), ",")
		}
		if lb != "" {
			return lb
		}
		return "<pending>"
	case corev1.ServiceTypeExternalName:
		return svc.Spec.ExternalName
	}
	return "<unknown>"
}

func serviceRow(svc *corev1.Service, o Options) []string {
	now := o.Now
	clusterIP := "<none>"
	if len(svc.Spec.ClusterIPs) > 0 {
		clusterIP = svc.Spec.ClusterIPs[0]
	} else if svc.Spec.ClusterIP != "" {
		clusterIP = svc.Spec.ClusterIP
	}
	return []string{svc.Name, string(svc.Spec.Type), clusterIP, serviceExternalIP(svc, o.Wide),
		orNone(servicePorts(svc.Spec.Ports)), since(now, svc.CreationTimestamp), labels.FormatLabels(svc.Spec.Selector)}
}

// endpointAddresses lists at most three ready "ip:port" addresses and
// counts the rest, as kubectl's formatEndpoints; with portName set, only
// ports of that name count.
func endpointAddresses(ep *corev1.Endpoints, portName *string) string {
	const max = 3
	var list []string
	count := 0
	add := func(s string) {
		count++
		if len(list) < max {
			list = append(list, s)
		}
	}
	for _, ss := range ep.Subsets {
		if len(ss.Ports) == 0 {
			for _, a := range ss.Addresses {
				add(a.IP)
			}
			continue
		}
		for _, p := range ss.Ports {
			if portName != nil && p.Name != *portName {
				continue
			}
			for _, a := range ss.Addresses {
				add(net.JoinHostPort(a.IP, strconv.Itoa(int(p.Port))))
			}
		}
	}
	ret := strings.Join(list, ",")
	if count > max {
		return fmt.Sprintf("%s + %d more...", ret, count-max)
	}
	return ret
}

func endpointsRow(ep *corev1.Endpoints, o Options) []string {
	now := o.Now
	addrs := "<none>"
	if len(ep.Subsets) > 0 {
		addrs = endpointAddresses(ep, nil)
	}
	return []string{ep.Name, addrs, since(now, ep.CreationTimestamp)}
}

func namespaceRow(ns *corev1.Namespace, o Options) []string {
	now := o.Now
	return []string{ns.Name, string(ns.Status.Phase), since(now, ns.CreationTimestamp)}
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// eventSource is kubectl's formatEventSource: "component, host".
func eventSource(e *corev1.Event) string {
	component := firstNonEmpty(e.Source.Component, e.ReportingController)
	if host := firstNonEmpty(e.Source.Host, e.ReportingInstance); host != "" {
		return component + ", " + host
	}
	return component
}

func eventRow(e *corev1.Event, o Options) []string {
	now := o.Now
	first := since(now, e.FirstTimestamp)
	if e.FirstTimestamp.IsZero() {
		first = sinceMicro(now, e.EventTime)
	}
	last := since(now, e.LastTimestamp)
	if e.LastTimestamp.IsZero() {
		last = first
	}
	count := e.Count
	if e.Series != nil {
		last = sinceMicro(now, e.Series.LastObservedTime)
		count = e.Series.Count
	} else if count == 0 {
		count = 1
	}
	target := strings.ToLower(e.InvolvedObject.Kind)
	if e.InvolvedObject.Name != "" {
		target += "/" + e.InvolvedObject.Name
	}
	return []string{last, e.Type, e.Reason, target, e.InvolvedObject.FieldPath, eventSource(e),
		strings.TrimSpace(e.Message), first, itoa(count), e.Name}
}

func configMapRow(cm *corev1.ConfigMap, o Options) []string {
	now := o.Now
	return []string{cm.Name, itoa(len(cm.Data) + len(cm.BinaryData)), since(now, cm.CreationTimestamp)}
}

func secretRow(s *corev1.Secret, o Options) []string {
	now := o.Now
	return []string{s.Name, string(s.Type), itoa(len(s.Data)), since(now, s.CreationTimestamp)}
}

// accessModes is helper.GetAccessModesAsString: fixed order, short names.
func accessModes(modes []corev1.PersistentVolumeAccessMode) string {
	short := []struct {
		mode corev1.PersistentVolumeAccessMode
		name string
	}{
		{corev1.ReadWriteOnce, "RWO"},
		{corev1.ReadOnlyMany, "ROX"},
		{corev1.ReadWriteMany, "RWX"},
		{corev1.ReadWriteOncePod, "RWOP"},
	}
	var out []string
	for _, s := range short {
		for _, m := range modes {
			if m == s.mode {
				out = append(out, s.name)
				break
			}
		}
	}
	return strings.Join(out, ",")
}

const betaStorageClassAnnotation = "volume.beta.kubernetes.io/storage-class"

func volumeModeCell(m *corev1.PersistentVolumeMode) string {
	if m == nil {
		return "<unset>"
	}
	return string(*m)
}

func strPtrOrUnset(s *string) string {
	if s == nil {
		return "<unset>"
	}
	return *s
}

func persistentVolumeRow(pv *corev1.PersistentVolume, o Options) []string {
	now := o.Now
	claim := ""
	if pv.Spec.ClaimRef != nil {
		claim = pv.Spec.ClaimRef.Namespace + "/" + pv.Spec.ClaimRef.Name
	}
	phase := string(pv.Status.Phase)
	if pv.DeletionTimestamp != nil {
		phase = "Terminating"
	}
	class := pv.Spec.StorageClassName
	if c, ok := pv.Annotations[betaStorageClassAnnotation]; ok {
		class = c
	}
	capacity := pv.Spec.Capacity[corev1.ResourceStorage]
	return []string{pv.Name, capacity.String(), accessModes(pv.Spec.AccessModes), string(pv.Spec.PersistentVolumeReclaimPolicy),
		phase, claim, class, strPtrOrUnset(pv.Spec.VolumeAttributesClassName), pv.Status.Reason,
		since(now, pv.CreationTimestamp), volumeModeCell(pv.Spec.VolumeMode)}
}

func persistentVolumeClaimRow(pvc *corev1.PersistentVolumeClaim, o Options) []string {
	now := o.Now
	phase := string(pvc.Status.Phase)
	if pvc.DeletionTimestamp != nil {
		phase = "Terminating"
	}
	capacity, modes := "", ""
	if pvc.Spec.VolumeName != "" {
		modes = accessModes(pvc.Status.AccessModes)
		q := pvc.Status.Capacity[corev1.ResourceStorage]
		capacity = q.String()
	}
	class := ""
	if pvc.Spec.StorageClassName != nil {
		class = *pvc.Spec.StorageClassName
	}
	if c, ok := pvc.Annotations[betaStorageClassAnnotation]; ok {
		class = c
	}
	return []string{pvc.Name, phase, pvc.Spec.VolumeName, capacity, modes, class,
		strPtrOrUnset(pvc.Spec.VolumeAttributesClassName), since(now, pvc.CreationTimestamp), volumeModeCell(pvc.Spec.VolumeMode)}
}

func isDefaultStorageClass(sc *storagev1.StorageClass) bool {
	return sc.Annotations["storageclass.kubernetes.io/is-default-class"] == "true" ||
		sc.Annotations["storageclass.beta.kubernetes.io/is-default-class"] == "true"
}

func storageClassRow(sc *storagev1.StorageClass, o Options) []string {
	now := o.Now
	name := sc.Name
	if isDefaultStorageClass(sc) {
		name += " (default)"
	}
	reclaim := string(corev1.PersistentVolumeReclaimDelete)
	if sc.ReclaimPolicy != nil {
		reclaim = string(*sc.ReclaimPolicy)
	}
	binding := string(storagev1.VolumeBindingImmediate)
	if sc.VolumeBindingMode != nil {
		binding = string(*sc.VolumeBindingMode)
	}
	expand := sc.AllowVolumeExpansion != nil && *sc.AllowVolumeExpansion
	return []string{name, sc.Provisioner, reclaim, binding, strconv.FormatBool(expand), since(now, sc.CreationTimestamp)}
}
