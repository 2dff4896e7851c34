package controller

import (
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/kubeplay/kubeplay/engine/apiserver"
	"github.com/kubeplay/kubeplay/engine/metrics"
	"github.com/kubeplay/kubeplay/engine/sim"
	"github.com/kubeplay/kubeplay/engine/store"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/watch"
)

// hpaController is the name the HorizontalPodAutoscaler controller signs
// its events with.
const hpaController = "horizontal-pod-autoscaler"

// kube-controller-manager's flags for the HPA, at their defaults.
const (
	// HPASyncPeriod is --horizontal-pod-autoscaler-sync-period: each HPA
	// is looked at this long after its last sync or change.
	HPASyncPeriod = 15 * time.Second
	// HPADownscaleStabilization is
	// --horizontal-pod-autoscaler-downscale-stabilization: a scale-down
	// takes the highest recommendation of this window.
	HPADownscaleStabilization = 5 * time.Minute
	// hpaTolerance is --horizontal-pod-autoscaler-tolerance: a ratio this
	// close to 1 changes nothing.
	hpaTolerance = 0.1
	// The CPU of a pod that started this recently counts only once its
	// readiness has been measured for a window
	// (--horizontal-pod-autoscaler-cpu-initialization-period), and a pod
	// that turned unready within the delay of its start was never ready
	// (--horizontal-pod-autoscaler-initial-readiness-delay).
	cpuInitializationPeriod       = 5 * time.Minute
	delayOfInitialReadinessStatus = 30 * time.Second
)

// Without a behavior, a scale-up goes at most to twice the replicas, or
// to 4 (scaleUpLimitFactor, scaleUpLimitMinimum).
const (
	scaleUpLimitFactor  = 2.0
	scaleUpLimitMinimum = 4.0
)

var resHPAs, _ = apiserver.ResourceFor("horizontalpodautoscalers")

type timestampedRecommendation struct {
	recommendation int32
	timestamp      time.Time
}

type timestampedScaleEvent struct {
	replicaChange int32 // positive for scaleUp, negative for scaleDown
	timestamp     time.Time
	outdated      bool
}

// hpas is the HorizontalPodAutoscaler controller (podautoscaler's
// HorizontalController): its recommendations and scale events live in
// memory, as upstream's do.
type hpas struct {
	m               *Manager
	q               Queue
	queued          map[Key]bool
	recommendations map[Key][]timestampedRecommendation
	scaleUpEvents   map[Key][]timestampedScaleEvent
	scaleDownEvents map[Key][]timestampedScaleEvent
	// answers are what this sync's reads of the metrics API answered, in
	// the order of the HPA's metrics, taken one by one as the replica
	// calculator reaches each: set only while a sync computes.
	answers []metricAnswer
}

// metricAnswer is what one read of the metrics API answered.
type metricAnswer struct {
	pods []metrics.PodMetrics
	err  error
}

// installHPAs registers the HPA controller. A change to an HPA, or the
// end of its sync, queues it HPASyncPeriod later, once, as upstream's
// fixed-interval rate limiter does; its own status writes are no hops to
// it.
func installHPAs(m *Manager) {
	h := &hpas{m: m, queued: map[Key]bool{}, recommendations: map[Key][]timestampedRecommendation{},
		scaleUpEvents: map[Key][]timestampedScaleEvent{}, scaleDownEvents: map[Key][]timestampedScaleEvent{}}
	h.q = m.Register(Controller{Name: hpaController, Order: 65, Reconciler: h, Watches: []Watch{
		{Object: &autoscalingv2.HorizontalPodAutoscaler{}, Filter: hpaSpecChanged, Keys: h.enqueue},
	}})
}

func hpaSpecChanged(ev store.Event) (string, bool) {
	if ev.Type != watch.Modified {
		return "", true
	}
	return "", ev.Old.(*autoscalingv2.HorizontalPodAutoscaler).Generation != ev.Object.(*autoscalingv2.HorizontalPodAutoscaler).Generation
}

// enqueue is AddRateLimited: the key is synced HPASyncPeriod from now
// unless a sync is already due.
func (h *hpas) enqueue(ev store.Event) []Key {
	key := ownKey(ev)[0]
	if ev.Type == watch.Deleted {
		return []Key{key} // its sync forgets it
	}
	h.after(key)
	return nil
}

func (h *hpas) after(key Key) {
	if h.queued[key] {
		return
	}
	h.queued[key] = true
	h.q.AddAfter(key, HPASyncPeriod, fmt.Sprintf("hpa %s: sync every %s", key.Name, HPASyncPeriod))
}

// Reconcile is reconcileKey and reconcileAutoscaler.
func (h *hpas) Reconcile(key Key) Result {
	delete(h.queued, key)
	obj, err := h.m.api.Get(resHPAs, key.Namespace, key.Name)
	if err != nil {
		delete(h.recommendations, key)
		delete(h.scaleUpEvents, key)
		delete(h.scaleDownEvents, key)
		return Result{}
	}
	if !h.reconcile(key, obj.(*autoscalingv2.HorizontalPodAutoscaler), nil) {
		h.after(key)
	}
	return Result{}
}

// metricReads are the reads of the resource metrics API that the HPA's
// metrics need, in their order — one GET of pods.metrics.k8s.io for each
// Resource or ContainerResource metric, as upstream's metrics client
// makes — each named by what it is for ("cpu", "memory of container
// app"); none when the selector is no good (the sync fails before any
// read).
func metricReads(hpa *autoscalingv2.HorizontalPodAutoscaler, scale *hpaScale) []string {
	if _, err := labels.Parse(scale.selector); scale.selector == "" || err != nil {
		return nil
	}
	var reads []string
	for _, spec := range hpa.Spec.Metrics {
		switch {
		case spec.Type == autoscalingv2.ResourceMetricSourceType && spec.Resource != nil:
			reads = append(reads, string(spec.Resource.Name))
		case spec.Type == autoscalingv2.ContainerResourceMetricSourceType && spec.ContainerResource != nil:
			reads = append(reads, fmt.Sprintf("%s of container %s", spec.ContainerResource.Name, spec.ContainerResource.Container))
		}
	}
	return reads
}

// readMetrics reads the metrics API for the sync of hpa, one read after
// the other: each is a hop from the controller manager to the apiserver,
// whose aggregator hands it to metrics-server (the APIService
// v1beta1.metrics.k8s.io), and what it answers is what metrics-server
// holds when the read arrives. With every answer in, the sync runs again
// on the same HPA and computes from them; then the next sync is queued.
func (h *hpas) readMetrics(key Key, hpa *autoscalingv2.HorizontalPodAutoscaler, selector string, reads []string, answers []metricAnswer) {
	why := fmt.Sprintf("hpa %s: %s of pods %s, from metrics-server through the aggregator", hpa.Name, reads[len(answers)], selector)
	h.m.k.Send(apiserver.Latency, sim.Hop{From: Name, To: apiserver.Name, Verb: sim.VerbGet, Object: "pods.metrics.k8s.io", Summary: why}, func() {
		var a metricAnswer
		if h.m.metrics == nil {
			a.err = errNoMetricsAPI
		} else {
			a.pods, a.err = h.m.metrics.Pods(hpa.Namespace)
		}
		answers = append(answers, a)
		if len(answers) < len(reads) {
			h.readMetrics(key, hpa, selector, reads, answers)
			return
		}
		if _, err := h.m.api.Get(resHPAs, key.Namespace, key.Name); err == nil {
			// Deleted while the reads were out: the next sync forgets it.
			h.reconcile(key, hpa, answers)
		}
		h.after(key)
	})
}

// errNoMetricsAPI is the answer where no metrics API is registered.
var errNoMetricsAPI = errors.New("the server could not find the requested resource (get pods.metrics.k8s.io)")

// hpaScale is a scale target's Scale subresource.
type hpaScale struct {
	obj                  runtime.Object
	res                  *apiserver.Resource
	specReplicas, status int32
	selector             string
}

// reconcile syncs shared. Its metrics are read from the metrics API
// first: without answers it sends the reads (readMetrics) and says it is
// waiting for them, having changed nothing; with them it computes.
func (h *hpas) reconcile(key Key, shared *autoscalingv2.HorizontalPodAutoscaler, answers []metricAnswer) (waiting bool) {
	hpa := shared.DeepCopy()
	original := hpa.Status.DeepCopy()
	now := h.m.k.Now()
	ref := hpa.Spec.ScaleTargetRef
	scale, err := h.scaleOf(hpa.Namespace, ref)
	if err != nil {
		h.m.api.Record(hpa, corev1.EventTypeWarning, "FailedGetScale", hpaController, err.Error())
		setHPACondition(hpa, now, autoscalingv2.AbleToScale, corev1.ConditionFalse, "FailedGetScale", "the HPA controller was unable to get the target's current scale: "+err.Error())
		h.updateStatusIfNeeded(original, hpa, fmt.Sprintf("%s/%s: %v", ref.Kind, ref.Name, err))
		return false
	}
	setHPACondition(hpa, now, autoscalingv2.AbleToScale, corev1.ConditionTrue, "SucceededGetScale", "the HPA controller was able to get the target's current scale")
	current := scale.specReplicas
	if h.recommendations[key] == nil {
		h.recommendations[key] = []timestampedRecommendation{{current, now}}
	}
	minReplicas := int32(1)
	if hpa.Spec.MinReplicas != nil {
		minReplicas = *hpa.Spec.MinReplicas
	}
	var (
		desired        int32
		rescaleReason  string
		metricStatuses []autoscalingv2.MetricStatus
		why            string
	)
	rescale := true
	switch {
	case current == 0 && minReplicas != 0:
		rescale = false
		setHPACondition(hpa, now, autoscalingv2.ScalingActive, corev1.ConditionFalse, "ScalingDisabled", "scaling is disabled since the replica count of the target is zero")
		why = "replicas 0: scaling disabled"
	case current > hpa.Spec.MaxReplicas:
		rescaleReason, desired = "Current number of replicas above Spec.MaxReplicas", hpa.Spec.MaxReplicas
		why = fmt.Sprintf("%d replicas > maxReplicas %d → %d replicas", current, desired, desired)
	case current < minReplicas:
		rescaleReason, desired = "Current number of replicas below Spec.MinReplicas", minReplicas
		why = fmt.Sprintf("%d replicas < minReplicas %d → %d replicas", current, desired, desired)
	default:
		if answers == nil {
			if reads := metricReads(hpa, scale); len(reads) > 0 {
				h.readMetrics(key, shared, scale.selector, reads, nil)
				return true
			}
		}
		var metricDesired int32
		var metricName string
		h.answers = answers
		metricDesired, metricName, metricStatuses, err = h.computeReplicasForMetrics(hpa, scale, now)
		h.answers = nil
		if err != nil && metricDesired == -1 {
			// Upstream's setCurrentReplicasAndMetricsInStatus: the metrics
			// just read, an empty status for each that failed (TARGETS
			// <unknown>), not the last good figures.
			setHPAStatus(hpa, current, hpa.Status.DesiredReplicas, metricStatuses, false, now)
			h.updateStatusIfNeeded(original, hpa, "metrics: "+err.Error())
			h.m.api.Record(hpa, corev1.EventTypeWarning, "FailedComputeMetricsReplicas", hpaController, err.Error())
			return false
		}
		desired = metricDesired
		switch {
		case desired > current:
			rescaleReason = metricName + " above target"
		case desired < current:
			rescaleReason = "All metrics below target"
		}
		proposed := desired
		if hpa.Spec.Behavior == nil {
			desired = h.normalizeDesiredReplicas(hpa, key, current, desired, minReplicas, now)
		} else {
			desired = h.normalizeWithBehaviors(hpa, key, current, desired, minReplicas, now)
		}
		rescale = desired != current
		why = metricsWhy(hpa, metricStatuses, current, proposed, desired)
	}
	if rescale {
		if err := h.rescale(scale, desired, why); err != nil {
			h.m.api.Record(hpa, corev1.EventTypeWarning, "FailedRescale", hpaController,
				fmt.Sprintf("New size: %d; reason: %s; error: %v", desired, rescaleReason, err))
			setHPACondition(hpa, now, autoscalingv2.AbleToScale, corev1.ConditionFalse, "FailedUpdateScale", "the HPA controller was unable to update the target scale: "+err.Error())
			setHPAStatus(hpa, current, hpa.Status.DesiredReplicas, hpa.Status.CurrentMetrics, false, now)
			h.updateStatusIfNeeded(original, hpa, why)
			return false
		}
		setHPACondition(hpa, now, autoscalingv2.AbleToScale, corev1.ConditionTrue, "SucceededRescale", fmt.Sprintf("the HPA controller was able to update the target scale to %d", desired))
		h.m.api.Record(hpa, corev1.EventTypeNormal, "SuccessfulRescale", hpaController, fmt.Sprintf("New size: %d; reason: %s", desired, rescaleReason))
		h.storeScaleEvent(hpa.Spec.Behavior, key, current, desired, now)
	} else {
		desired = current
	}
	setHPAStatus(hpa, current, desired, metricStatuses, rescale, now)
	h.updateStatusIfNeeded(original, hpa, why)
	return false
}

// scaleOf reads the target's scale subresource, as the scale client
// does: the REST mapping of its kind, then the object.
func (h *hpas) scaleOf(namespace string, ref autoscalingv2.CrossVersionObjectReference) (*hpaScale, error) {
	gv, err := schema.ParseGroupVersion(ref.APIVersion)
	if err != nil {
		return nil, err
	}
	res, ok := apiserver.ResourceFor(ref.Kind + "." + gv.Group)
	if !ok || res.Kind != ref.Kind {
		return nil, fmt.Errorf("no matches for kind %q in group %q", ref.Kind, gv.Group)
	}
	obj, err := h.m.api.Get(res, namespace, ref.Name)
	if err != nil {
		return nil, apierrors.NewNotFound(res.GroupResource(), ref.Name)
	}
	s := &hpaScale{obj: obj, res: res}
	var sel *metav1.LabelSelector
	switch o := obj.(type) {
	case *appsv1.Deployment:
		s.specReplicas, s.status, sel = deref32(o.Spec.Replicas), o.Status.Replicas, o.Spec.Selector
	case *appsv1.ReplicaSet:
		s.specReplicas, s.status, sel = deref32(o.Spec.Replicas), o.Status.Replicas, o.Spec.Selector
	case *appsv1.StatefulSet:
		s.specReplicas, s.status, sel = deref32(o.Spec.Replicas), o.Status.Replicas, o.Spec.Selector
	default:
		// The apiserver serves no scale subresource for the kind.
		return nil, apierrors.NewNotFound(schema.GroupResource{Group: res.Group, Resource: res.Name + "/scale"}, ref.Name)
	}
	if ls, err := metav1.LabelSelectorAsSelector(sel); err == nil {
		s.selector = ls.String()
	}
	return s, nil
}

func deref32(p *int32) int32 {
	if p == nil {
		return 1
	}
	return *p
}

// rescale writes the target's new replicas, as an update of its scale.
func (h *hpas) rescale(s *hpaScale, replicas int32, why string) error {
	obj := s.obj.DeepCopyObject()
	switch o := obj.(type) {
	case *appsv1.Deployment:
		o.Spec.Replicas = &replicas
	case *appsv1.ReplicaSet:
		o.Spec.Replicas = &replicas
	case *appsv1.StatefulSet:
		o.Spec.Replicas = &replicas
	}
	h.m.submit(apiserver.Request{Verb: sim.VerbUpdate, Object: obj, Why: why})
	return nil
}

// metricsWhy is the hop's why: "cpu 120%/50% → 4 replicas".
func metricsWhy(hpa *autoscalingv2.HorizontalPodAutoscaler, statuses []autoscalingv2.MetricStatus, current, proposed, desired int32) string {
	s := ""
	for i, spec := range hpa.Spec.Metrics {
		if spec.Type != autoscalingv2.ResourceMetricSourceType || spec.Resource == nil {
			continue
		}
		cur := "<unknown>"
		if i < len(statuses) && statuses[i].Resource != nil && statuses[i].Resource.Current.AverageUtilization != nil {
			cur = fmt.Sprintf("%d%%", *statuses[i].Resource.Current.AverageUtilization)
		}
		target := "?"
		if u := spec.Resource.Target.AverageUtilization; u != nil {
			target = fmt.Sprintf("%d%%", *u)
		} else if v := spec.Resource.Target.AverageValue; v != nil {
			target = v.String()
			if i < len(statuses) && statuses[i].Resource != nil && statuses[i].Resource.Current.AverageValue != nil {
				cur = statuses[i].Resource.Current.AverageValue.String()
			}
		}
		if s != "" {
			s += ", "
		}
		s += fmt.Sprintf("%s %s/%s", spec.Resource.Name, cur, target)
	}
	switch {
	case desired != current:
		s += fmt.Sprintf(" → %d replicas", desired)
	case proposed != desired:
		s += fmt.Sprintf(" → %d wanted, %d kept", proposed, desired)
	default:
		s += fmt.Sprintf(" → stay at %d", desired)
	}
	return s
}

// computeReplicasForMetrics is upstream's: the highest proposal of the
// metrics that could be computed; -1 with an error when none could, or
// when some could not and the others would scale down.
func (h *hpas) computeReplicasForMetrics(hpa *autoscalingv2.HorizontalPodAutoscaler, scale *hpaScale, now time.Time) (int32, string, []autoscalingv2.MetricStatus, error) {
	if scale.selector == "" {
		h.m.api.Record(hpa, corev1.EventTypeWarning, "SelectorRequired", hpaController, "selector is required")
		setHPACondition(hpa, now, autoscalingv2.ScalingActive, corev1.ConditionFalse, "InvalidSelector", "the HPA target's scale is missing a selector")
		return -1, "", nil, errors.New("selector is required")
	}
	selector, err := labels.Parse(scale.selector)
	if err != nil {
		msg := fmt.Sprintf("couldn't convert selector into a corresponding internal selector object: %v", err)
		h.m.api.Record(hpa, corev1.EventTypeWarning, "InvalidSelector", hpaController, msg)
		setHPACondition(hpa, now, autoscalingv2.ScalingActive, corev1.ConditionFalse, "InvalidSelector", msg)
		return -1, "", nil, errors.New(msg)
	}
	statuses := make([]autoscalingv2.MetricStatus, len(hpa.Spec.Metrics))
	var replicas int32
	var metric string
	invalid := 0
	var invalidErr error
	var invalidCond autoscalingv2.HorizontalPodAutoscalerCondition
	for i, spec := range hpa.Spec.Metrics {
		proposal, name, cond, err := h.computeReplicasForMetric(hpa, spec, scale.specReplicas, selector, &statuses[i], now)
		if err != nil {
			if invalid == 0 {
				invalidCond, invalidErr = cond, err
			}
			invalid++
			continue
		}
		if replicas == 0 || proposal > replicas {
			replicas, metric = proposal, name
		}
	}
	if invalidErr != nil {
		invalidErr = fmt.Errorf("invalid metrics (%v invalid out of %v), first error is: %v", invalid, len(hpa.Spec.Metrics), invalidErr)
	}
	if invalid >= len(hpa.Spec.Metrics) || (invalid > 0 && replicas < scale.specReplicas) {
		setHPACondition(hpa, now, invalidCond.Type, invalidCond.Status, invalidCond.Reason, invalidCond.Message)
		return -1, "", statuses, invalidErr
	}
	setHPACondition(hpa, now, autoscalingv2.ScalingActive, corev1.ConditionTrue, "ValidMetricFound", "the HPA was able to successfully calculate a replica count from "+metric)
	return replicas, metric, statuses, invalidErr
}

// computeReplicasForMetric computes one metric's proposal. kubeplay's
// metrics API serves resource metrics (metrics-server's): the other
// sources, which need a custom or external metrics adapter, fail as they
// do on a cluster without one.
func (h *hpas) computeReplicasForMetric(hpa *autoscalingv2.HorizontalPodAutoscaler, spec autoscalingv2.MetricSpec, specReplicas int32,
	selector labels.Selector, status *autoscalingv2.MetricStatus, now time.Time) (int32, string, autoscalingv2.HorizontalPodAutoscalerCondition, error) {
	switch spec.Type {
	case autoscalingv2.ResourceMetricSourceType:
		proposal, current, name, err := h.resourceReplicas(specReplicas, spec.Resource.Target, spec.Resource.Name, hpa.Namespace, "", selector, now)
		if err != nil {
			cond := h.unableToCompute(hpa, "FailedGetResourceMetric", err)
			return 0, "", cond, fmt.Errorf("failed to get %s resource metric value: %v", spec.Resource.Name, err)
		}
		*status = autoscalingv2.MetricStatus{Type: autoscalingv2.ResourceMetricSourceType,
			Resource: &autoscalingv2.ResourceMetricStatus{Name: spec.Resource.Name, Current: current}}
		return proposal, name, autoscalingv2.HorizontalPodAutoscalerCondition{}, nil
	case autoscalingv2.ContainerResourceMetricSourceType:
		c := spec.ContainerResource
		proposal, current, name, err := h.resourceReplicas(specReplicas, c.Target, c.Name, hpa.Namespace, c.Container, selector, now)
		if err != nil {
			cond := h.unableToCompute(hpa, "FailedGetContainerResourceMetric", err)
			return 0, "", cond, fmt.Errorf("failed to get %s container metric value: %v", c.Container, err)
		}
		*status = autoscalingv2.MetricStatus{Type: autoscalingv2.ContainerResourceMetricSourceType,
			ContainerResource: &autoscalingv2.ContainerResourceMetricStatus{Name: c.Name, Container: c.Container, Current: current}}
		return proposal, name, autoscalingv2.HorizontalPodAutoscalerCondition{}, nil
	case autoscalingv2.PodsMetricSourceType:
		err := fmt.Errorf("unable to get metric %s: unable to fetch metrics from custom metrics API: no custom metrics API (custom.metrics.k8s.io) registered", spec.Pods.Metric.Name)
		return 0, "", h.unableToCompute(hpa, "FailedGetPodsMetric", err), fmt.Errorf("failed to get pods metric value: %v", err)
	case autoscalingv2.ObjectMetricSourceType:
		err := fmt.Errorf("unable to get metric %s: unable to fetch metrics from custom metrics API: no custom metrics API (custom.metrics.k8s.io) registered", spec.Object.Metric.Name)
		return 0, "", h.unableToCompute(hpa, "FailedGetObjectMetric", err), fmt.Errorf("failed to get object metric value: %v", err)
	case autoscalingv2.ExternalMetricSourceType:
		err := fmt.Errorf("unable to get external metric %s/%s: no external metrics API (external.metrics.k8s.io) registered", hpa.Namespace, spec.External.Metric.Name)
		return 0, "", h.unableToCompute(hpa, "FailedGetExternalMetric", err), fmt.Errorf("failed to get %s external metric value: %v", spec.External.Metric.Name, err)
	}
	err := fmt.Errorf("unknown metric source type %q", string(spec.Type))
	return 0, "", h.unableToCompute(hpa, "InvalidMetricSourceType", err), err
}

// unableToCompute records the event of a metric that could not be
// computed and returns the ScalingActive condition it proposes.
func (h *hpas) unableToCompute(hpa *autoscalingv2.HorizontalPodAutoscaler, reason string, err error) autoscalingv2.HorizontalPodAutoscalerCondition {
	h.m.api.Record(hpa, corev1.EventTypeWarning, reason, hpaController, err.Error())
	return autoscalingv2.HorizontalPodAutoscalerCondition{Type: autoscalingv2.ScalingActive, Status: corev1.ConditionFalse, Reason: reason,
		Message: "the HPA was unable to compute the replica count: " + err.Error()}
}

// resourceReplicas is computeStatusForResourceMetricGeneric: a target
// average value or a target utilization of the pods' requests.
func (h *hpas) resourceReplicas(current int32, target autoscalingv2.MetricTarget, res corev1.ResourceName, namespace, container string,
	selector labels.Selector, now time.Time) (int32, autoscalingv2.MetricValueStatus, string, error) {
	if target.AverageValue != nil {
		replicas, usage, err := h.rawResourceReplicas(current, target.AverageValue.MilliValue(), res, namespace, container, selector, now)
		if err != nil {
			return 0, autoscalingv2.MetricValueStatus{}, "", fmt.Errorf("failed to get %s usage: %v", res, err)
		}
		return replicas, autoscalingv2.MetricValueStatus{AverageValue: resource.NewMilliQuantity(usage, resource.DecimalSI)}, string(res) + " resource", nil
	}
	if target.AverageUtilization == nil {
		return 0, autoscalingv2.MetricValueStatus{}, "", errors.New("invalid resource metric source: neither an average utilization target nor an average value (usage) target was set")
	}
	replicas, utilization, raw, err := h.resourceUtilizationReplicas(current, *target.AverageUtilization, res, namespace, container, selector, now)
	if err != nil {
		return 0, autoscalingv2.MetricValueStatus{}, "", fmt.Errorf("failed to get %s utilization: %v", res, err)
	}
	name := string(res) + " resource utilization (percentage of request)"
	if container != "" {
		name = string(res) + " container resource utilization (percentage of request)"
	}
	return replicas, autoscalingv2.MetricValueStatus{AverageUtilization: &utilization, AverageValue: resource.NewMilliQuantity(raw, resource.DecimalSI)}, name, nil
}

// podMetric is one pod's measured use of a resource, in milli-units.
type podMetric struct {
	value     int64
	timestamp time.Time
	window    time.Duration
}

// resourceMetric is the metrics client's GetResourceMetric: each pod's
// use of res (one container's, when container is set), from the
// metrics API.
func (h *hpas) resourceMetric(res corev1.ResourceName, namespace, container string, selector labels.Selector) (map[string]podMetric, error) {
	if len(h.answers) == 0 {
		return nil, errors.New("unable to fetch metrics from resource metrics API: no answer was read") // a bug: metricReads missed one
	}
	all, err := h.answers[0].pods, h.answers[0].err
	h.answers = h.answers[1:]
	if errors.Is(err, metrics.ErrUnavailable) {
		// The aggregator's ServiceUnavailable, as client-go words it.
		return nil, fmt.Errorf("unable to fetch metrics from resource metrics API: %v (get pods.metrics.k8s.io)", err)
	}
	if err != nil {
		return nil, fmt.Errorf("unable to fetch metrics from resource metrics API: %v", err)
	}
	out := map[string]podMetric{}
	matched := 0
	for _, pm := range all {
		if !selector.Matches(labels.Set(pm.Labels)) {
			continue
		}
		matched++
		var sum int64
		found := false
		for _, c := range pm.Containers {
			if container != "" && c.Name != container {
				continue
			}
			found = true
			sum += usageOf(c.Usage, res)
		}
		if found {
			out[pm.Name] = podMetric{value: sum, timestamp: pm.Timestamp, window: pm.Window}
		}
	}
	if matched == 0 {
		return nil, errors.New("no metrics returned from resource metrics API")
	}
	return out, nil
}

// usageOf is a usage in the milli-units the HPA computes with.
func usageOf(u metrics.Usage, res corev1.ResourceName) int64 {
	if res == corev1.ResourceMemory {
		return u.Memory * 1000
	}
	return u.CPU
}

// selectedPods are the pods of namespace that selector picks: the
// controller's pod lister.
func (h *hpas) selectedPods(namespace string, selector labels.Selector) []*corev1.Pod {
	var pods []*corev1.Pod
	for _, o := range h.m.api.List(resPods, namespace) {
		if p := o.(*corev1.Pod); selector.Matches(labels.Set(p.Labels)) {
			pods = append(pods, p)
		}
	}
	return pods
}

// groupedPodMetrics are the metrics of the ready pods a target selects,
// with the pods grouped as groupPods does.
type groupedPodMetrics struct {
	metrics          map[string]podMetric
	pods             []*corev1.Pod
	ready            int
	unready, missing map[string]bool
}

// groupedMetrics is the calculator's common start: the pods' metrics and
// the pods, grouped, the ignored and unready ones' metrics left out.
func (h *hpas) groupedMetrics(res corev1.ResourceName, namespace, container string, selector labels.Selector, now time.Time) (groupedPodMetrics, error) {
	podMetrics, err := h.resourceMetric(res, namespace, container, selector)
	if err != nil {
		return groupedPodMetrics{}, fmt.Errorf("unable to get metrics for resource %s: %v", res, err)
	}
	pods := h.selectedPods(namespace, selector)
	if len(pods) == 0 {
		return groupedPodMetrics{}, errors.New("no pods returned by selector while calculating replica count")
	}
	ready, unready, missing, ignored := groupPods(pods, podMetrics, res, now)
	for name := range ignored {
		delete(podMetrics, name)
	}
	for name := range unready {
		delete(podMetrics, name)
	}
	if len(podMetrics) == 0 {
		return groupedPodMetrics{}, errors.New("did not receive metrics for targeted pods (pods might be unready)")
	}
	return groupedPodMetrics{metrics: podMetrics, pods: pods, ready: ready, unready: unready, missing: missing}, nil
}

// resourceUtilizationReplicas is the replica calculator's
// GetResourceReplicas: the ratio of the pods' use to their requests
// against the target, with upstream's treatment of pods that are not
// ready or have no metrics yet.
func (h *hpas) resourceUtilizationReplicas(current, targetUtilization int32, res corev1.ResourceName, namespace, container string,
	selector labels.Selector, now time.Time) (int32, int32, int64, error) {
	g, err := h.groupedMetrics(res, namespace, container, selector, now)
	if err != nil {
		return 0, 0, 0, err
	}
	podMetrics, pods, ready, unready, missing := g.metrics, g.pods, g.ready, g.unready, g.missing
	requests, err := podRequests(pods, container, res)
	if err != nil {
		return 0, 0, 0, err
	}
	ratio, utilization, raw, err := utilizationRatio(podMetrics, requests, targetUtilization)
	if err != nil {
		return 0, 0, 0, err
	}
	scaleUpWithUnready := len(unready) > 0 && ratio > 1.0
	if !scaleUpWithUnready && len(missing) == 0 {
		if math.Abs(1.0-ratio) <= hpaTolerance {
			return current, utilization, raw, nil
		}
		return int32(math.Ceil(ratio * float64(ready))), utilization, raw, nil
	}
	if len(missing) > 0 {
		if ratio < 1.0 {
			fallback := int64(max(100, targetUtilization))
			for name := range missing {
				podMetrics[name] = podMetric{value: requests[name] * fallback / 100}
			}
		} else if ratio > 1.0 {
			for name := range missing {
				podMetrics[name] = podMetric{}
			}
		}
	}
	if scaleUpWithUnready {
		for name := range unready {
			podMetrics[name] = podMetric{}
		}
	}
	newRatio, _, _, err := utilizationRatio(podMetrics, requests, targetUtilization)
	if err != nil {
		return 0, utilization, raw, err
	}
	if math.Abs(1.0-newRatio) <= hpaTolerance || (ratio < 1.0 && newRatio > 1.0) || (ratio > 1.0 && newRatio < 1.0) {
		return current, utilization, raw, nil
	}
	replicas := int32(math.Ceil(newRatio * float64(len(podMetrics))))
	if (newRatio < 1.0 && replicas > current) || (newRatio > 1.0 && replicas < current) {
		return current, utilization, raw, nil
	}
	return replicas, utilization, raw, nil
}

// rawResourceReplicas is GetRawResourceReplicas (calcPlainMetricReplicas):
// the pods' average use against a target average value.
func (h *hpas) rawResourceReplicas(current int32, target int64, res corev1.ResourceName, namespace, container string,
	selector labels.Selector, now time.Time) (int32, int64, error) {
	g, err := h.groupedMetrics(res, namespace, container, selector, now)
	if err != nil {
		return 0, 0, err
	}
	podMetrics, ready, unready, missing := g.metrics, g.ready, g.unready, g.missing
	ratio, usage := usageRatio(podMetrics, target)
	scaleUpWithUnready := len(unready) > 0 && ratio > 1.0
	if !scaleUpWithUnready && len(missing) == 0 {
		if math.Abs(1.0-ratio) <= hpaTolerance {
			return current, usage, nil
		}
		return int32(math.Ceil(ratio * float64(ready))), usage, nil
	}
	if len(missing) > 0 {
		for name := range missing {
			if ratio < 1.0 {
				podMetrics[name] = podMetric{value: target}
			} else if ratio > 1.0 {
				podMetrics[name] = podMetric{}
			}
		}
	}
	if scaleUpWithUnready {
		for name := range unready {
			podMetrics[name] = podMetric{}
		}
	}
	newRatio, _ := usageRatio(podMetrics, target)
	if math.Abs(1.0-newRatio) <= hpaTolerance || (ratio < 1.0 && newRatio > 1.0) || (ratio > 1.0 && newRatio < 1.0) {
		return current, usage, nil
	}
	replicas := int32(math.Ceil(newRatio * float64(len(podMetrics))))
	if (newRatio < 1.0 && replicas > current) || (newRatio > 1.0 && replicas < current) {
		return current, usage, nil
	}
	return replicas, usage, nil
}

// groupPods is upstream's: deleted and failed pods are ignored, pending
// ones unready, pods without metrics missing, and, for cpu, a pod whose
// readiness is too recent for its figure to count unready.
func groupPods(pods []*corev1.Pod, m map[string]podMetric, res corev1.ResourceName, now time.Time) (ready int, unready, missing, ignored map[string]bool) {
	unready, missing, ignored = map[string]bool{}, map[string]bool{}, map[string]bool{}
	for _, pod := range pods {
		if pod.DeletionTimestamp != nil || pod.Status.Phase == corev1.PodFailed {
			ignored[pod.Name] = true
			continue
		}
		if pod.Status.Phase == corev1.PodPending {
			unready[pod.Name] = true
			continue
		}
		metric, found := m[pod.Name]
		if !found {
			missing[pod.Name] = true
			continue
		}
		if res == corev1.ResourceCPU {
			var cond *corev1.PodCondition
			for i := range pod.Status.Conditions {
				if pod.Status.Conditions[i].Type == corev1.PodReady {
					cond = &pod.Status.Conditions[i]
				}
			}
			isUnready := false
			switch {
			case cond == nil || pod.Status.StartTime == nil:
				isUnready = true
			case pod.Status.StartTime.Add(cpuInitializationPeriod).After(now):
				isUnready = cond.Status == corev1.ConditionFalse || metric.timestamp.Before(cond.LastTransitionTime.Add(metric.window))
			default:
				isUnready = cond.Status == corev1.ConditionFalse && pod.Status.StartTime.Add(delayOfInitialReadinessStatus).After(cond.LastTransitionTime.Time)
			}
			if isUnready {
				unready[pod.Name] = true
				continue
			}
		}
		ready++
	}
	return ready, unready, missing, ignored
}

// podRequests is calculatePodRequests: each pod's request of res.
func podRequests(pods []*corev1.Pod, container string, res corev1.ResourceName) (map[string]int64, error) {
	out := make(map[string]int64, len(pods))
	for _, pod := range pods {
		var sum int64
		for _, c := range pod.Spec.Containers {
			if container != "" && container != c.Name {
				continue
			}
			q, ok := c.Resources.Requests[res]
			if !ok {
				return nil, fmt.Errorf("missing request for %s in container %s of Pod %s", res, c.Name, pod.Name)
			}
			sum += q.MilliValue()
		}
		out[pod.Name] = sum
	}
	return out, nil
}

// utilizationRatio is GetResourceUtilizationRatio.
func utilizationRatio(m map[string]podMetric, requests map[string]int64, target int32) (float64, int32, int64, error) {
	var total, requested int64
	n := 0
	for name, metric := range m {
		req, ok := requests[name]
		if !ok {
			continue
		}
		total += metric.value
		requested += req
		n++
	}
	if requested == 0 {
		return 0, 0, 0, errors.New("no metrics returned matched known pods")
	}
	utilization := int32(total * 100 / requested)
	return float64(utilization) / float64(target), utilization, total / int64(n), nil
}

// usageRatio is GetMetricUsageRatio.
func usageRatio(m map[string]podMetric, target int64) (float64, int64) {
	var total int64
	for _, metric := range m {
		total += metric.value
	}
	avg := total / int64(len(m))
	return float64(avg) / float64(target), avg
}

// normalizeDesiredReplicas applies, without a behavior, the downscale
// stabilization window and the fixed scale-up limit, with min and max.
func (h *hpas) normalizeDesiredReplicas(hpa *autoscalingv2.HorizontalPodAutoscaler, key Key, current, prenormalized, minReplicas int32, now time.Time) int32 {
	stabilized := h.stabilizeRecommendation(key, prenormalized, now)
	if stabilized != prenormalized {
		setHPACondition(hpa, now, autoscalingv2.AbleToScale, corev1.ConditionTrue, "ScaleDownStabilized", "recent recommendations were higher than current one, applying the highest recent recommendation")
	} else {
		setHPACondition(hpa, now, autoscalingv2.AbleToScale, corev1.ConditionTrue, "ReadyForNewScale", "recommended size matches current size")
	}
	desired, reason, message := convertDesiredReplicasWithRules(current, stabilized, minReplicas, hpa.Spec.MaxReplicas)
	status := corev1.ConditionTrue
	if desired == stabilized {
		status = corev1.ConditionFalse
	}
	setHPACondition(hpa, now, autoscalingv2.ScalingLimited, status, reason, message)
	return desired
}

// stabilizeRecommendation keeps the recommendation and returns the
// highest of those within the window.
func (h *hpas) stabilizeRecommendation(key Key, prenormalized int32, now time.Time) int32 {
	highest := prenormalized
	cutoff := now.Add(-HPADownscaleStabilization)
	oldIndex := -1
	recs := h.recommendations[key]
	for i, rec := range recs {
		if rec.timestamp.Before(cutoff) {
			oldIndex = i
		} else if rec.recommendation > highest {
			highest = rec.recommendation
		}
	}
	if oldIndex >= 0 {
		recs[oldIndex] = timestampedRecommendation{prenormalized, now}
	} else {
		h.recommendations[key] = append(recs, timestampedRecommendation{prenormalized, now})
	}
	return highest
}

func convertDesiredReplicasWithRules(current, desired, minReplicas, maxReplicas int32) (int32, string, string) {
	scaleUpLimit := int32(math.Max(scaleUpLimitFactor*float64(current), scaleUpLimitMinimum))
	maximum, reason, message := maxReplicas, "TooManyReplicas", "the desired replica count is more than the maximum replica count"
	if maxReplicas > scaleUpLimit {
		maximum, reason, message = scaleUpLimit, "ScaleUpLimit", "the desired replica count is increasing faster than the maximum scale rate"
	}
	switch {
	case desired < minReplicas:
		return minReplicas, "TooFewReplicas", "the desired replica count is less than the minimum replica count"
	case desired > maximum:
		return maximum, reason, message
	}
	return desired, "DesiredWithinRange", "the desired count is within the acceptable range"
}

// normalizeWithBehaviors is normalizeDesiredReplicasWithBehaviors: the
// stabilization windows of both directions, then the policies' rates.
func (h *hpas) normalizeWithBehaviors(hpa *autoscalingv2.HorizontalPodAutoscaler, key Key, current, prenormalized, minReplicas int32, now time.Time) int32 {
	b := hpa.Spec.Behavior
	if b.ScaleDown != nil && b.ScaleDown.StabilizationWindowSeconds == nil {
		w := int32(HPADownscaleStabilization.Seconds())
		b.ScaleDown.StabilizationWindowSeconds = &w
	}
	stabilized, reason, message := h.stabilizeWithBehaviors(key, b, current, prenormalized, now)
	if stabilized != prenormalized {
		setHPACondition(hpa, now, autoscalingv2.AbleToScale, corev1.ConditionTrue, reason, message)
	} else {
		setHPACondition(hpa, now, autoscalingv2.AbleToScale, corev1.ConditionTrue, "ReadyForNewScale", "recommended size matches current size")
	}
	desired, reason, message := h.convertWithBehaviorRate(key, b, current, stabilized, minReplicas, hpa.Spec.MaxReplicas, now)
	status := corev1.ConditionTrue
	if desired == stabilized {
		status = corev1.ConditionFalse
	}
	setHPACondition(hpa, now, autoscalingv2.ScalingLimited, status, reason, message)
	return desired
}

func windowOf(r *autoscalingv2.HPAScalingRules) time.Duration {
	if r == nil || r.StabilizationWindowSeconds == nil {
		return 0
	}
	return time.Duration(*r.StabilizationWindowSeconds) * time.Second
}

// stabilizeWithBehaviors is stabilizeRecommendationWithBehaviors.
func (h *hpas) stabilizeWithBehaviors(key Key, b *autoscalingv2.HorizontalPodAutoscalerBehavior, current, desired int32, now time.Time) (int32, string, string) {
	up, down := desired, desired
	upCutoff, downCutoff := now.Add(-windowOf(b.ScaleUp)), now.Add(-windowOf(b.ScaleDown))
	oldIndex := -1
	recs := h.recommendations[key]
	for i, rec := range recs {
		if rec.timestamp.After(upCutoff) {
			up = min(rec.recommendation, up)
		}
		if rec.timestamp.After(downCutoff) {
			down = max(rec.recommendation, down)
		}
		if rec.timestamp.Before(upCutoff) && rec.timestamp.Before(downCutoff) {
			oldIndex = i
		}
	}
	recommendation := current
	if recommendation < up {
		recommendation = up
	}
	if recommendation > down {
		recommendation = down
	}
	if oldIndex >= 0 {
		recs[oldIndex] = timestampedRecommendation{desired, now}
	} else {
		h.recommendations[key] = append(recs, timestampedRecommendation{desired, now})
	}
	if desired >= current {
		return recommendation, "ScaleUpStabilized", "recent recommendations were lower than current one, applying the lowest recent recommendation"
	}
	return recommendation, "ScaleDownStabilized", "recent recommendations were higher than current one, applying the highest recent recommendation"
}

// convertWithBehaviorRate is convertDesiredReplicasWithBehaviorRate: the
// policies' limits on what may change within their periods.
func (h *hpas) convertWithBehaviorRate(key Key, b *autoscalingv2.HorizontalPodAutoscalerBehavior, current, desired, minReplicas, maxReplicas int32, now time.Time) (int32, string, string) {
	switch {
	case desired > current:
		limit := scaleLimitWithRules(true, current, h.scaleUpEvents[key], h.scaleDownEvents[key], b.ScaleUp, now)
		limit = max(limit, current)
		maximum, reason, message := maxReplicas, "TooManyReplicas", "the desired replica count is more than the maximum replica count"
		if maximum > limit {
			maximum, reason, message = limit, "ScaleUpLimit", "the desired replica count is increasing faster than the maximum scale rate"
		}
		if desired > maximum {
			return maximum, reason, message
		}
	case desired < current:
		limit := scaleLimitWithRules(false, current, h.scaleUpEvents[key], h.scaleDownEvents[key], b.ScaleDown, now)
		limit = min(limit, current)
		minimum, reason, message := minReplicas, "TooFewReplicas", "the desired replica count is less than the minimum replica count"
		if minimum < limit {
			minimum, reason, message = limit, "ScaleDownLimit", "the desired replica count is decreasing faster than the maximum scale rate"
		}
		if desired < minimum {
			return minimum, reason, message
		}
	}
	return desired, "DesiredWithinRange", "the desired count is within the acceptable range"
}

func changeInPeriod(periodSeconds int32, events []timestampedScaleEvent, now time.Time) int32 {
	cutoff := now.Add(-time.Duration(periodSeconds) * time.Second)
	var n int32
	for _, e := range events {
		if e.timestamp.After(cutoff) {
			n += e.replicaChange
		}
	}
	return n
}

// scaleLimitWithRules is calculateScaleUpLimitWithScalingRules (up) and
// calculateScaleDownLimitWithBehaviors: the farthest the policies let
// the replicas go from where they were at the start of each policy's
// period, the policy picked by selectPolicy (Max: the largest change).
func scaleLimitWithRules(up bool, current int32, ups, downs []timestampedScaleEvent, r *autoscalingv2.HPAScalingRules, now time.Time) int32 {
	if r == nil {
		if up {
			return math.MaxInt32
		}
		return math.MinInt32
	}
	sel := autoscalingv2.MaxChangePolicySelect
	if r.SelectPolicy != nil {
		sel = *r.SelectPolicy
	}
	if sel == autoscalingv2.DisabledPolicySelect {
		return current
	}
	// The largest change up is the highest count; down, the lowest.
	largest := sel != autoscalingv2.MinChangePolicySelect
	higher := largest == up
	result := int32(math.MaxInt32)
	if higher {
		result = math.MinInt32
	}
	for _, p := range r.Policies {
		start := current - changeInPeriod(p.PeriodSeconds, ups, now) + changeInPeriod(p.PeriodSeconds, downs, now)
		var proposed int32
		switch {
		case up && p.Type == autoscalingv2.PercentScalingPolicy:
			proposed = int32(math.Ceil(float64(start) * (1 + float64(p.Value)/100)))
		case up:
			proposed = start + p.Value
		case p.Type == autoscalingv2.PercentScalingPolicy:
			proposed = int32(float64(start) * (1 - float64(p.Value)/100))
		default:
			proposed = start - p.Value
		}
		if higher {
			result = max(result, proposed)
		} else {
			result = min(result, proposed)
		}
	}
	return result
}

// storeScaleEvent remembers a scale for the policies' periods (with a
// behavior only: without one nothing reads them).
func (h *hpas) storeScaleEvent(b *autoscalingv2.HorizontalPodAutoscalerBehavior, key Key, prev, next int32, now time.Time) {
	if b == nil {
		return
	}
	events, rules, change := h.scaleUpEvents, b.ScaleUp, next-prev
	if next < prev {
		events, rules, change = h.scaleDownEvents, b.ScaleDown, prev-next
	}
	var longest int32
	if rules != nil {
		for _, p := range rules.Policies {
			longest = max(longest, p.PeriodSeconds)
		}
	}
	cutoff := now.Add(-time.Duration(longest) * time.Second)
	list := events[key]
	for i := range list {
		if list[i].timestamp.Before(cutoff) {
			list[i].outdated = true
		}
	}
	e := timestampedScaleEvent{change, now, false}
	for i := range list {
		if list[i].outdated {
			list[i] = e
			return
		}
	}
	events[key] = append(list, e)
}

// setHPAStatus is setStatus: a rescale stamps lastScaleTime.
func setHPAStatus(hpa *autoscalingv2.HorizontalPodAutoscaler, current, desired int32, statuses []autoscalingv2.MetricStatus, rescale bool, now time.Time) {
	hpa.Status = autoscalingv2.HorizontalPodAutoscalerStatus{CurrentReplicas: current, DesiredReplicas: desired,
		LastScaleTime: hpa.Status.LastScaleTime, CurrentMetrics: statuses, Conditions: hpa.Status.Conditions}
	if rescale {
		t := metav1.NewTime(now.Truncate(time.Second))
		hpa.Status.LastScaleTime = &t
	}
}

// setHPACondition is setConditionInList: a condition's transition time
// moves only when its status does.
func setHPACondition(hpa *autoscalingv2.HorizontalPodAutoscaler, now time.Time, t autoscalingv2.HorizontalPodAutoscalerConditionType, status corev1.ConditionStatus, reason, message string) {
	var c *autoscalingv2.HorizontalPodAutoscalerCondition
	for i := range hpa.Status.Conditions {
		if hpa.Status.Conditions[i].Type == t {
			c = &hpa.Status.Conditions[i]
		}
	}
	if c == nil {
		hpa.Status.Conditions = append(hpa.Status.Conditions, autoscalingv2.HorizontalPodAutoscalerCondition{Type: t})
		c = &hpa.Status.Conditions[len(hpa.Status.Conditions)-1]
	}
	if c.Status != status {
		c.LastTransitionTime = metav1.NewTime(now.Truncate(time.Second))
	}
	c.Status, c.Reason, c.Message = status, reason, message
}

// updateStatusIfNeeded writes the status when it changed.
func (h *hpas) updateStatusIfNeeded(original *autoscalingv2.HorizontalPodAutoscalerStatus, hpa *autoscalingv2.HorizontalPodAutoscaler, why string) {
	if apiequality.Semantic.DeepEqual(original, &hpa.Status) {
		return
	}
	hpa.ResourceVersion = ""
	h.m.submit(apiserver.Request{Verb: sim.VerbUpdateStatus, Object: hpa, Why: why})
}
