//go:build !unix

package netconn

// DescriptorLimit is unknown outside Unix: 0.
func DescriptorLimit() int { return 0 }
