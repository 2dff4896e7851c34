package printers

import (
	"fmt"
	"math"
	"net"
	"net/url"
	"sort"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// rfc1123z is how describe prints timestamps: Mon, 23 Nov 2026 16:14:09 +0000.
const rfc1123z = time.RFC1123Z

func (d *describer) pod(p *corev1.Pod) {
	d.write(level0, "Name:\t%s\n", p.Name)
	d.write(level0, "Namespace:\t%s\n", p.Namespace)
	if p.Spec.Priority != nil {
		d.write(level0, "Priority:\t%d\n", *p.Spec.Priority)
	}
	if p.Spec.PriorityClassName != "" {
		d.write(level0, "Priority Class Name:\t%s\n", p.Spec.PriorityClassName)
	}
	if p.Spec.RuntimeClassName != nil && *p.Spec.RuntimeClassName != "" {
		d.write(level0, "Runtime Class Name:\t%s\n", *p.Spec.RuntimeClassName)
	}
	if p.Spec.ServiceAccountName != "" {
		d.write(level0, "Service Account:\t%s\n", p.Spec.ServiceAccountName)
	}
	if p.Spec.NodeName == "" {
		d.write(level0, "Node:\t<none>\n")
	} else {
		d.write(level0, "Node:\t%s\n", p.Spec.NodeName+"/"+p.Status.HostIP)
	}
	if p.Status.StartTime != nil {
		d.write(level0, "Start Time:\t%s\n", p.Status.StartTime.Format(rfc1123z))
	}
	d.labels("", "Labels", p.Labels)
	d.annotations("Annotations", p.Annotations)
	if p.DeletionTimestamp != nil && p.Status.Phase != corev1.PodFailed && p.Status.Phase != corev1.PodSucceeded {
		d.write(level0, "Status:\tTerminating (lasts %s)\n", d.since(*p.DeletionTimestamp))
		grace := int64(0)
		if p.DeletionGracePeriodSeconds != nil {
			grace = *p.DeletionGracePeriodSeconds
		}
		d.write(level0, "Termination Grace Period:\t%ds\n", grace)
	} else {
		d.write(level0, "Status:\t%s\n", p.Status.Phase)
	}
	if p.Status.Reason != "" {
		d.write(level0, "Reason:\t%s\n", p.Status.Reason)
	}
	if p.Status.Message != "" {
		d.write(level0, "Message:\t%s\n", p.Status.Message)
	}
	if sc := p.Spec.SecurityContext; sc != nil && sc.SeccompProfile != nil {
		d.write(level0, "SeccompProfile:\t%s\n", sc.SeccompProfile.Type)
		if sc.SeccompProfile.Type == corev1.SeccompProfileTypeLocalhost && sc.SeccompProfile.LocalhostProfile != nil {
			d.write(level0, "LocalhostProfile:\t%s\n", *sc.SeccompProfile.LocalhostProfile)
		}
	}
	d.write(level0, "IP:\t%s\n", p.Status.PodIP)
	if len(p.Status.PodIPs) == 0 {
		d.write(level0, "IPs:\t<none>\n")
	} else {
		d.write(level0, "IPs:\n")
		for _, ip := range p.Status.PodIPs {
			d.write(level1, "IP:\t%s\n", ip.IP)
		}
	}
	if c := controlledBy(p); c != "" {
		d.write(level0, "Controlled By:\t%s\n", c)
	}
	if p.Status.NominatedNodeName != "" {
		d.write(level0, "NominatedNodeName:\t%s\n", p.Status.NominatedNodeName)
	}
	if p.Spec.Resources != nil {
		d.write(level0, "Resources:\n")
		d.resources(p.Spec.Resources, level1)
	}
	resolve := func(e corev1.EnvVar) string { return podFieldValue(p, e.ValueFrom.FieldRef.FieldPath) }
	if len(p.Spec.InitContainers) > 0 {
		d.containers("Init Containers", p.Spec.InitContainers, p.Status.InitContainerStatuses, resolve, "")
	}
	d.containers("Containers", p.Spec.Containers, p.Status.ContainerStatuses, resolve, "")
	if len(p.Spec.ReadinessGates) > 0 {
		d.write(level0, "Readiness Gates:\n  Type\tStatus\n")
		for _, g := range p.Spec.ReadinessGates {
			status := "<none>"
			for _, c := range p.Status.Conditions {
				if c.Type == g.ConditionType {
					status = string(c.Status)
					break
				}
			}
			d.write(level1, "%v \t%v \n", g.ConditionType, status)
		}
	}
	if len(p.Status.Conditions) > 0 {
		d.write(level0, "Conditions:\n  Type\tStatus\n")
		for _, c := range p.Status.Conditions {
			d.write(level1, "%v \t%v \n", c.Type, c.Status)
		}
	}
	d.volumes(p.Spec.Volumes, "")
	d.write(level0, "QoS Class:\t%s\n", podQOS(p))
	d.labels("", "Node-Selectors", p.Spec.NodeSelector)
	d.tolerations("Tolerations", p.Spec.Tolerations)
	d.topologySpread(p.Spec.TopologySpreadConstraints, "")
	d.events()
}

// podFieldValue resolves the downward-API field paths a learner meets.
func podFieldValue(p *corev1.Pod, path string) string {
	switch path {
	case "metadata.name":
		return p.Name
	case "metadata.namespace":
		return p.Namespace
	case "metadata.uid":
		return string(p.UID)
	case "spec.nodeName":
		return p.Spec.NodeName
	case "spec.serviceAccountName":
		return p.Spec.ServiceAccountName
	case "status.podIP":
		return p.Status.PodIP
	case "status.hostIP":
		return p.Status.HostIP
	}
	for prefix, m := range map[string]map[string]string{"metadata.labels": p.Labels, "metadata.annotations": p.Annotations} {
		if key, ok := strings.CutPrefix(path, prefix+"['"); ok {
			return m[strings.TrimSuffix(key, "']")]
		}
	}
	return ""
}

func (d *describer) topologySpread(tscs []corev1.TopologySpreadConstraint, space string) {
	if len(tscs) == 0 {
		return
	}
	sorted := append([]corev1.TopologySpreadConstraint(nil), tscs...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].TopologyKey < sorted[j].TopologyKey })
	d.write(level0, "%sTopology Spread Constraints:\t", space)
	for i, c := range sorted {
		if i != 0 {
			d.write(level0, "%s\t", space)
		}
		d.write(level0, "%s:%v when max skew %d is exceeded", c.TopologyKey, c.WhenUnsatisfiable, c.MaxSkew)
		if c.LabelSelector != nil {
			d.write(level0, " for selector %s", metav1.FormatLabelSelector(c.LabelSelector))
		}
		d.write(level0, "\n")
	}
}

// containers is describeContainers; resolve is nil for pod templates.
func (d *describer) containers(label string, cs []corev1.Container, statuses []corev1.ContainerStatus,
	resolve func(corev1.EnvVar) string, space string) {
	byName := make(map[string]corev1.ContainerStatus, len(statuses))
	for _, s := range statuses {
		byName[s.Name] = s
	}
	none := ""
	if len(cs) == 0 {
		none = " <none>"
	}
	d.write(level0, "%s%s:%s\n", space, label, none)
	nameIndent := ""
	if space != "" {
		nameIndent = " "
	}
	for i := range cs {
		c := &cs[i]
		st, ok := byName[c.Name]
		d.write(level1, "%s%v:\n", nameIndent, c.Name)
		if ok {
			d.write(level2, "Container ID:\t%s\n", st.ContainerID)
		}
		d.write(level2, "Image:\t%s\n", c.Image)
		if ok {
			d.write(level2, "Image ID:\t%s\n", st.ImageID)
		}
		d.ports(c.Ports)
		if sc := c.SecurityContext; sc != nil && sc.SeccompProfile != nil {
			d.write(level2, "SeccompProfile:\t%s\n", sc.SeccompProfile.Type)
			if sc.SeccompProfile.Type == corev1.SeccompProfileTypeLocalhost && sc.SeccompProfile.LocalhostProfile != nil {
				d.write(level3, "LocalhostProfile:\t%s\n", *sc.SeccompProfile.LocalhostProfile)
			}
		}
		d.lines("Command", c.Command)
		d.lines("Args", c.Args)
		if ok {
			d.containerState("State", st.State)
			if st.LastTerminationState.Terminated != nil {
				d.containerState("Last State", st.LastTerminationState)
			}
			d.write(level2, "Ready:\t%v\n", printBool(st.Ready))
			d.write(level2, "Restart Count:\t%d\n", st.RestartCount)
		}
		d.resources(&c.Resources, level2)
		for _, pr := range []struct {
			name  string
			probe *corev1.Probe
		}{{"Liveness", c.LivenessProbe}, {"Readiness", c.ReadinessProbe}, {"Startup", c.StartupProbe}} {
			if pr.probe != nil {
				d.write(level2, "%s:\t%s\n", pr.name, describeProbe(pr.probe))
			}
		}
		if len(c.EnvFrom) > 0 {
			d.envFrom(c.EnvFrom)
		}
		d.env(c, resolve)
		d.mounts(c)
	}
}

func (d *describer) ports(ports []corev1.ContainerPort) {
	var cps, hps []string
	for _, p := range ports {
		cp := fmt.Sprintf("%d/%s", p.ContainerPort, p.Protocol)
		hp := fmt.Sprintf("%d/%s", p.HostPort, p.Protocol)
		if p.Name != "" {
			cp += " (" + p.Name + ")"
			hp += " (" + p.Name + ")"
		}
		cps, hps = append(cps, cp), append(hps, hp)
	}
	for _, f := range []struct{ one, many, value string }{
		{"Port", "Ports", strings.Join(cps, ", ")},
		{"Host Port", "Host Ports", strings.Join(hps, ", ")},
	} {
		if strings.Contains(f.value, ",") {
			d.write(level2, "%s:\t%s\n", f.many, f.value)
		} else {
			d.write(level2, "%s:\t%s\n", f.one, orNone(f.value))
		}
	}
}

func (d *describer) lines(title string, items []string) {
	if len(items) == 0 {
		return
	}
	d.write(level2, "%s:\n", title)
	for _, it := range items {
		for _, s := range strings.Split(it, "\n") {
			d.write(level3, "%s\n", s)
		}
	}
}

func (d *describer) containerState(name string, s corev1.ContainerState) {
	switch {
	case s.Running != nil:
		d.write(level2, "%s:\tRunning\n", name)
		d.write(level3, "Started:\t%v\n", s.Running.StartedAt.Format(rfc1123z))
	case s.Waiting != nil:
		d.write(level2, "%s:\tWaiting\n", name)
		if s.Waiting.Reason != "" {
			d.write(level3, "Reason:\t%s\n", s.Waiting.Reason)
		}
	case s.Terminated != nil:
		t := s.Terminated
		d.write(level2, "%s:\tTerminated\n", name)
		if t.Reason != "" {
			d.write(level3, "Reason:\t%s\n", t.Reason)
		}
		if t.Message != "" {
			d.write(level3, "Message:\t%s\n", t.Message)
		}
		d.write(level3, "Exit Code:\t%d\n", t.ExitCode)
		if t.Signal > 0 {
			d.write(level3, "Signal:\t%d\n", t.Signal)
		}
		d.write(level3, "Started:\t%s\n", t.StartedAt.Format(rfc1123z))
		d.write(level3, "Finished:\t%s\n", t.FinishedAt.Format(rfc1123z))
	default:
		d.write(level2, "%s:\tWaiting\n", name)
	}
}

// sortedResourceNames orders resource names alphabetically.
func sortedResourceNames(l corev1.ResourceList) []corev1.ResourceName {
	names := make([]corev1.ResourceName, 0, len(l))
	for n := range l {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool { return names[i] < names[j] })
	return names
}

func (d *describer) resources(r *corev1.ResourceRequirements, level int) {
	for _, part := range []struct {
		title string
		list  corev1.ResourceList
	}{{"Limits", r.Limits}, {"Requests", r.Requests}} {
		if len(part.list) == 0 {
			continue
		}
		d.write(level, "%s:\n", part.title)
		for _, n := range sortedResourceNames(part.list) {
			q := part.list[n]
			d.write(level+1, "%s:\t%s\n", n, q.String())
		}
	}
}

// describeProbe is kubectl 1.33's DescribeProbe.
func describeProbe(p *corev1.Probe) string {
	attrs := fmt.Sprintf("delay=%ds timeout=%ds period=%ds #success=%d #failure=%d",
		p.InitialDelaySeconds, p.TimeoutSeconds, p.PeriodSeconds, p.SuccessThreshold, p.FailureThreshold)
	switch {
	case p.Exec != nil:
		return fmt.Sprintf("exec %v %s", p.Exec.Command, attrs)
	case p.HTTPGet != nil:
		u := &url.URL{Scheme: strings.ToLower(string(p.HTTPGet.Scheme)), Path: p.HTTPGet.Path, Host: p.HTTPGet.Host}
		if port := p.HTTPGet.Port.String(); port != "" {
			u.Host = net.JoinHostPort(p.HTTPGet.Host, port)
		}
		return fmt.Sprintf("http-get %s %s", u.String(), attrs)
	case p.TCPSocket != nil:
		return fmt.Sprintf("tcp-socket %s:%s %s", p.TCPSocket.Host, p.TCPSocket.Port.String(), attrs)
	case p.GRPC != nil:
		service := ""
		if p.GRPC.Service != nil {
			service = *p.GRPC.Service
		}
		return fmt.Sprintf("grpc <pod>:%d %s %s", p.GRPC.Port, service, attrs)
	}
	return "unknown " + attrs
}

func (d *describer) envFrom(sources []corev1.EnvFromSource) {
	d.write(level2, "Environment Variables from:\n")
	for _, e := range sources {
		from, name, optional := "", "", false
		switch {
		case e.ConfigMapRef != nil:
			from, name = "ConfigMap", e.ConfigMapRef.Name
			optional = e.ConfigMapRef.Optional != nil && *e.ConfigMapRef.Optional
		case e.SecretRef != nil:
			from, name = "Secret", e.SecretRef.Name
			optional = e.SecretRef.Optional != nil && *e.SecretRef.Optional
		}
		if e.Prefix == "" {
			d.write(level3, "%s\t%s\tOptional: %t\n", name, from, optional)
		} else {
			d.write(level3, "%s\t%s with prefix '%s'\tOptional: %t\n", name, from, e.Prefix, optional)
		}
	}
}

func (d *describer) env(c *corev1.Container, resolve func(corev1.EnvVar) string) {
	if len(c.Env) == 0 {
		d.write(level2, "Environment:\t<none>\n")
		return
	}
	d.write(level2, "Environment:\n")
	for _, e := range c.Env {
		if e.ValueFrom == nil {
			for i, s := range strings.Split(e.Value, "\n") {
				if i == 0 {
					d.write(level3, "%s:\t%s\n", e.Name, s)
				} else {
					d.write(level3, "\t%s\n", s)
				}
			}
			continue
		}
		vf := e.ValueFrom
		switch {
		case vf.FieldRef != nil:
			value := ""
			if resolve != nil {
				value = resolve(e)
			}
			d.write(level3, "%s:\t%s (%s:%s)\n", e.Name, value, vf.FieldRef.APIVersion, vf.FieldRef.FieldPath)
		case vf.ResourceFieldRef != nil:
			value := containerResourceValue(vf.ResourceFieldRef, c)
			res := vf.ResourceFieldRef.Resource
			if value == "0" && (res == "limits.cpu" || res == "limits.memory") {
				value = "node allocatable"
			}
			d.write(level3, "%s:\t%s (%s)\n", e.Name, value, res)
		case vf.SecretKeyRef != nil:
			optional := vf.SecretKeyRef.Optional != nil && *vf.SecretKeyRef.Optional
			d.write(level3, "%s:\t<set to the key '%s' in secret '%s'>\tOptional: %t\n", e.Name, vf.SecretKeyRef.Key, vf.SecretKeyRef.Name, optional)
		case vf.ConfigMapKeyRef != nil:
			optional := vf.ConfigMapKeyRef.Optional != nil && *vf.ConfigMapKeyRef.Optional
			d.write(level3, "%s:\t<set to the key '%s' of config map '%s'>\tOptional: %t\n", e.Name, vf.ConfigMapKeyRef.Key, vf.ConfigMapKeyRef.Name, optional)
		}
	}
}

// containerResourceValue is kubectl's ExtractContainerResourceValue for
// cpu, memory and ephemeral-storage: the value divided by the divisor,
// rounded up.
func containerResourceValue(fs *corev1.ResourceFieldSelector, c *corev1.Container) string {
	kind, name, _ := strings.Cut(fs.Resource, ".")
	list := c.Resources.Requests
	if kind == "limits" {
		list = c.Resources.Limits
	}
	q := list[corev1.ResourceName(name)]
	divisor := fs.Divisor
	if divisor.IsZero() {
		divisor = resource.MustParse("1")
	}
	if name == string(corev1.ResourceCPU) {
		return fmt.Sprint(int64(math.Ceil(float64(q.MilliValue()) / float64(divisor.MilliValue()))))
	}
	return fmt.Sprint(int64(math.Ceil(float64(q.Value()) / float64(divisor.Value()))))
}

func (d *describer) mounts(c *corev1.Container) {
	if len(c.VolumeMounts) == 0 {
		d.write(level2, "Mounts:\t<none>\n")
	} else {
		d.write(level2, "Mounts:\n")
	}
	mounts := append([]corev1.VolumeMount(nil), c.VolumeMounts...)
	sort.SliceStable(mounts, func(i, j int) bool { return mounts[i].MountPath < mounts[j].MountPath })
	for _, m := range mounts {
		flags := []string{"rw"}
		if m.ReadOnly {
			flags[0] = "ro"
		}
		if m.SubPath != "" {
			flags = append(flags, fmt.Sprintf("path=%q", m.SubPath))
		}
		d.write(level3, "%s from %s (%s)\n", m.MountPath, m.Name, strings.Join(flags, ","))
	}
	if len(c.VolumeDevices) > 0 {
		d.write(level2, "Devices:\n")
		devs := append([]corev1.VolumeDevice(nil), c.VolumeDevices...)
		sort.SliceStable(devs, func(i, j int) bool { return devs[i].DevicePath < devs[j].DevicePath })
		for _, dv := range devs {
			d.write(level3, "%s from %s\n", dv.DevicePath, dv.Name)
		}
	}
}

func (d *describer) volumes(vols []corev1.Volume, space string) {
	if len(vols) == 0 {
		d.write(level0, "%sVolumes:\t<none>\n", space)
		return
	}
	d.write(level0, "%sVolumes:\n", space)
	nameIndent := ""
	if space != "" {
		nameIndent = " "
	}
	for _, v := range vols {
		d.write(level1, "%s%v:\n", nameIndent, v.Name)
		d.volumeSource(v.VolumeSource)
	}
}

func (d *describer) volumeSource(s corev1.VolumeSource) {
	switch {
	case s.HostPath != nil:
		t := "<none>"
		if s.HostPath.Type != nil {
			t = string(*s.HostPath.Type)
		}
		d.write(level2, "Type:\tHostPath (bare host directory volume)\n    Path:\t%v\n    HostPathType:\t%v\n", s.HostPath.Path, t)
	case s.EmptyDir != nil:
		limit := "<unset>"
		if sl := s.EmptyDir.SizeLimit; sl != nil && sl.Cmp(resource.Quantity{}) > 0 {
			limit = sl.String()
		}
		d.write(level2, "Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n    Medium:\t%v\n    SizeLimit:\t%v\n", s.EmptyDir.Medium, limit)
	case s.Secret != nil:
		optional := s.Secret.Optional != nil && *s.Secret.Optional
		d.write(level2, "Type:\tSecret (a volume populated by a Secret)\n    SecretName:\t%v\n    Optional:\t%v\n", s.Secret.SecretName, optional)
	case s.ConfigMap != nil:
		optional := s.ConfigMap.Optional != nil && *s.ConfigMap.Optional
		d.write(level2, "Type:\tConfigMap (a volume populated by a ConfigMap)\n    Name:\t%v\n    Optional:\t%v\n", s.ConfigMap.Name, optional)
	case s.PersistentVolumeClaim != nil:
		d.write(level2, "Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n    ClaimName:\t%v\n    ReadOnly:\t%v\n",
			s.PersistentVolumeClaim.ClaimName, s.PersistentVolumeClaim.ReadOnly)
	case s.DownwardAPI != nil:
		d.write(level2, "Type:\tDownwardAPI (a volume populated by information about the pod)\n    Items:\n")
		for _, it := range s.DownwardAPI.Items {
			if it.FieldRef != nil {
				d.write(level3, "%v -> %v\n", it.FieldRef.FieldPath, it.Path)
			}
			if it.ResourceFieldRef != nil {
				d.write(level3, "%v -> %v\n", it.ResourceFieldRef.Resource, it.Path)
			}
		}
	case s.Projected != nil:
		d.write(level2, "Type:\tProjected (a volume that contains injected data from multiple sources)\n")
		for _, src := range s.Projected.Sources {
			switch {
			case src.Secret != nil:
				d.write(level2, "SecretName:\t%v\n    Optional:\t%v\n", src.Secret.Name, src.Secret.Optional != nil && *src.Secret.Optional)
			case src.DownwardAPI != nil:
				d.write(level2, "DownwardAPI:\ttrue\n")
			case src.ConfigMap != nil:
				d.write(level2, "ConfigMapName:\t%v\n    Optional:\t%v\n", src.ConfigMap.Name, src.ConfigMap.Optional != nil && *src.ConfigMap.Optional)
			case src.ServiceAccountToken != nil:
				exp := int64(0)
				if src.ServiceAccountToken.ExpirationSeconds != nil {
					exp = *src.ServiceAccountToken.ExpirationSeconds
				}
				d.write(level2, "TokenExpirationSeconds:\t%d\n", exp)
			}
		}
	default:
		d.write(level1, "<unknown>\n")
	}
}

// podTemplate is DescribePodTemplate.
func (d *describer) podTemplate(t *corev1.PodTemplateSpec) {
	d.write(level0, "Pod Template:\n")
	d.labels("  ", "Labels", t.Labels)
	if len(t.Annotations) > 0 {
		d.annotations("  Annotations", t.Annotations)
	}
	if t.Spec.ServiceAccountName != "" {
		d.write(level1, "Service Account:\t%s\n", t.Spec.ServiceAccountName)
	}
	if len(t.Spec.InitContainers) > 0 {
		d.containers("Init Containers", t.Spec.InitContainers, nil, nil, "  ")
	}
	d.containers("Containers", t.Spec.Containers, nil, nil, "  ")
	d.volumes(t.Spec.Volumes, "  ")
	d.topologySpread(t.Spec.TopologySpreadConstraints, "  ")
	if t.Spec.PriorityClassName != "" {
		d.write(level1, "Priority Class Name:\t%s\n", t.Spec.PriorityClassName)
	}
	d.labels("  ", "Node-Selectors", t.Spec.NodeSelector)
	d.tolerations("  Tolerations", t.Spec.Tolerations)
}

// podQOS is kubectl's GetPodQOS: status.qosClass, else computed from
// the cpu and memory requests and limits of every container.
func podQOS(p *corev1.Pod) corev1.PodQOSClass {
	if p.Status.QOSClass != "" {
		return p.Status.QOSClass
	}
	reqs := []*corev1.ResourceRequirements{}
	if p.Spec.Resources != nil {
		reqs = append(reqs, p.Spec.Resources)
	} else {
		for i := range p.Spec.InitContainers {
			reqs = append(reqs, &p.Spec.InitContainers[i].Resources)
		}
		for i := range p.Spec.Containers {
			reqs = append(reqs, &p.Spec.Containers[i].Resources)
		}
	}
	var qos corev1.PodQOSClass
	for _, r := range reqs {
		c := requirementsQOS(r)
		switch {
		case c == corev1.PodQOSBurstable:
			return c
		case qos == "":
			qos = c
		case qos != c:
			return corev1.PodQOSBurstable
		}
	}
	if qos == "" {
		return corev1.PodQOSBestEffort
	}
	return qos
}

func requirementsQOS(r *corev1.ResourceRequirements) corev1.PodQOSClass {
	if len(r.Requests) == 0 && len(r.Limits) == 0 {
		return corev1.PodQOSBestEffort
	}
	var qos corev1.PodQOSClass
	for _, name := range []corev1.ResourceName{corev1.ResourceCPU, corev1.ResourceMemory} {
		req, lim := r.Requests[name], r.Limits[name]
		c := corev1.PodQOSGuaranteed
		switch {
		case !req.Equal(lim):
			return corev1.PodQOSBurstable
		case req.IsZero():
			c = corev1.PodQOSBestEffort
		}
		if qos == "" {
			qos = c
		} else if qos != c {
			return corev1.PodQOSBurstable
		}
	}
	return qos
}

// intOrStringText prints an IntOrString the way kubectl's String() does.
func intOrStringText(v *intstr.IntOrString) string {
	if v == nil {
		return "<nil>"
	}
	return v.String()
}
