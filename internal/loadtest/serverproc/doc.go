// Package serverproc runs a Revival server as a child process for
// `revival bench`, and reads its memory. A load test must measure the
// server alone: in a separate process its resident memory (VmRSS) is its
// own, not mixed with the 10,000 simulated clients'.
package serverproc
