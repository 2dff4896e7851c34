// Package dns is the cluster's DNS, CoreDNS's stand-in: the names a
// cluster answers for its Services and pods, and the figures every part
// of the cluster agrees on (the kube-dns Service's IP, the cluster's
// domain), as kubeadm configures them.
package dns

// ServiceIP is the kube-dns Service's ClusterIP, the nameserver of every
// pod with dnsPolicy ClusterFirst (the kubelet's clusterDNS): kubeadm's
// choice, the tenth address of the Service range 10.96.0.0/12.
const ServiceIP = "10.96.0.10"

// Domain is the cluster's DNS domain (the kubelet's clusterDomain).
const Domain = "cluster.local"

// APIServiceIP is the kubernetes Service's ClusterIP in default: the
// first address of the Service range, where pods find the apiserver.
const APIServiceIP = "10.96.0.1"
