// Package wpnload is the WinMX load tool behind `revival bench wpn`: it
// logs thousands of raw secondaries in to one primary, has each share a
// folder of generated files, and measures the primary's memory per
// secondary and per shared file and the time it takes to answer term
// searches across all of them (the figures of issue 6).
package wpnload
